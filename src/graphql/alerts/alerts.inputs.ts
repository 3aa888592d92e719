import { ArgsType, Field, Float, ID, InputType } from "type-graphql";
import type { AlertKindValue, MomentumCategoryValue } from "../../db/schema.js";
import { PageArgs } from "../common/page.args.js";
import { AlertKind, GrowthWindow, MomentumCategory } from "../enums.js";

@InputType()
export class CreateAlertRuleInput {
  @Field(() => ID, { nullable: true, description: "Left out: every artist the user tracks, now and later." })
  artistId?: string | null;

  @Field(() => AlertKind)
  kind!: AlertKindValue;

  @Field(() => MomentumCategory, { nullable: true, description: "CATEGORY_REACHED: the category to reach or pass." })
  category?: MomentumCategoryValue | null;

  @Field(() => Float, {
    nullable: true,
    description: "SCORE_ABOVE: the score (0-100); GROWTH_ABOVE: the audience change over window as a fraction (0.1 = +10%).",
  })
  threshold?: number | null;

  @Field(() => GrowthWindow, { nullable: true, description: "GROWTH_ABOVE: the window; 7 days when left out." })
  window?: number | null;
}

@ArgsType()
export class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: "Only notifications not marked read yet." })
  unreadOnly?: boolean | null;
}
