import { Field, ObjectType } from "type-graphql";
import type { PlatformAccountRow } from "../../db/schema.js";
import { AccountLinkSource, Platform } from "../enums.js";

@ObjectType({ simpleResolvers: true })
export class PlatformAccount {
  @Field(() => Platform)
  platform!: Platform;

  @Field(() => String)
  externalId!: string;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => AccountLinkSource, { description: "How FanPulse knows that this account is the artist's." })
  linkedBy!: PlatformAccountRow["linkedBy"];

  @Field(() => Boolean, { description: "True when this account's figures come from the simulated provider." })
  simulated!: boolean;
}
