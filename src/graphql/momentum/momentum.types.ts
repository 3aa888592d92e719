import { Field, Float, Int, ObjectType } from "type-graphql";
import { GlobalArtist } from "../artist/global-artist.type.js";
import { MomentumCategory } from "../enums.js";

@ObjectType()
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

  @Field(() => Float, { description: "Standard deviations above the mean of artists of a similar audience that day." })
  z!: number;

  @Field(() => Float, { description: "The audience (followers summed over platforms) the score was computed on." })
  audience!: number;
}

@ObjectType()
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
}

@ObjectType()
export class MomentumCategoryCount {
  @Field(() => MomentumCategory)
  category!: MomentumCategory;

  @Field(() => Int)
  count!: number;
}
