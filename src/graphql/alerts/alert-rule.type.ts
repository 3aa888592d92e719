import { Field, Float, ID, ObjectType } from "type-graphql";
import type { AlertKindValue, MomentumCategoryValue } from "../../db/schema.js";
import { AlertKind, GrowthWindow, MomentumCategory } from "../enums.js";

@ObjectType({ description: "A rule that notifies its user when an artist crosses a mark: once per crossing, not on every day the mark holds." })
export class AlertRule {
  @Field(() => ID)
  id!: string;

  @Field(() => AlertKind)
  kind!: AlertKindValue;

  @Field(() => MomentumCategory, { nullable: true })
  category!: MomentumCategoryValue | null;

  @Field(() => Float, { nullable: true })
  threshold!: number | null;

  @Field(() => GrowthWindow, { name: "window", nullable: true })
  windowDays!: number | null;

  @Field(() => Date)
  createdAt!: Date;

  artistId!: string | null;
}
