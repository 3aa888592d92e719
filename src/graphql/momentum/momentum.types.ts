import { Field, Float, Int, ObjectType } from "type-graphql";
import { GlobalArtist } from "../artist/global-artist.type.js";
import { MomentumCategory, MomentumPeerGroup } from "../enums.js";

@ObjectType({ description: "The peers an artist's momentum was compared with, and why.", simpleResolvers: true })
export class MomentumPeers {
  @Field(() => MomentumPeerGroup, {
    description: "TIER: artists of the same audience tier; ALL: every artist that day (the tier had too few); DEFAULT: fixed statistics (too few artists overall).",
  })
  group!: MomentumPeerGroup;

  @Field(() => Int, { description: "The audience tier: 0 (< 10k), 1 (< 100k), 2 (< 1M), 3 (< 10M), 4 (10M and more)." })
  tier!: number;

  @Field(() => Int, { description: "How many artists the group held that day (for DEFAULT: every artist scored that day)." })
  count!: number;

  @Field(() => Float, { description: "The group's mean raw momentum that day." })
  mean!: number;

  @Field(() => Float, { description: "The group's standard deviation of raw momentum that day, floored at 0.001." })
  sd!: number;
}

@ObjectType({ simpleResolvers: true })
export class Momentum {
  @Field(() => Float, { description: "0 to 100; 50 is typical growth for artists of a similar audience size." })
  score!: number;

  @Field(() => MomentumCategory)
  category!: MomentumCategory;

  @Field(() => Float, { nullable: true, description: "Audience change over 7 days, as a fraction (0.05 = +5%)." })
  growth7d!: number | null;

  @Field(() => Float, { nullable: true, description: "Audience change over 28 days, as a fraction." })
  growth28d!: number | null;

  @Field(() => Float, { nullable: true })
  acceleration!: number | null;

  @Field(() => Date)
  computedAt!: Date;

  @Field(() => String, { description: "The UTC day (YYYY-MM-DD) this momentum describes." })
  day!: string;

  @Field(() => Float, { description: "Standard deviations above the mean of the peer group that day." })
  z!: number;

  @Field(() => MomentumPeers, { description: "The peers the artist was compared with, and why." })
  peers!: MomentumPeers;

  @Field(() => Float, { description: "The audience (followers summed over platforms) the score was computed on." })
  audience!: number;
}

@ObjectType({ simpleResolvers: true })
export class ArtistMovement {
  @Field(() => GlobalArtist)
  artist!: GlobalArtist;

  @Field(() => Float)
  startValue!: number;

  @Field(() => Float)
  endValue!: number;

  @Field(() => Float)
  change!: number;

  @Field(() => Float, { nullable: true, description: "The change in percent of the start value (12.5 = +12.5%); null when the start is 0." })
  changePercent!: number | null;

  @Field(() => String, { description: "Pass as `after` for the movers that follow this one, in the same order." })
  cursor!: string;
}

@ObjectType({ simpleResolvers: true })
export class MomentumCategoryCount {
  @Field(() => MomentumCategory)
  category!: MomentumCategory;

  @Field(() => Int)
  count!: number;
}
