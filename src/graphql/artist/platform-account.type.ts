import { Field, ObjectType } from "type-graphql";
import { Platform } from "../enums.js";

@ObjectType()
export class PlatformAccount {
  @Field(() => Platform)
  platform!: Platform;

  @Field(() => String)
  externalId!: string;

  @Field(() => String, { nullable: true })
  url!: string | null;
}
