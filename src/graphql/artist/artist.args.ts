import { ArgsType, Field, Int } from "type-graphql";
import { MetricKind, Platform } from "../enums.js";

@ArgsType()
export class ArtistsArgs {
  @Field(() => String, { nullable: true })
  search?: string | null;

  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class DateRangeArgs {
  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}

@ArgsType()
export class MetricSeriesArgs extends DateRangeArgs {
  @Field(() => Platform)
  platform!: Platform;

  @Field(() => MetricKind)
  metric!: MetricKind;
}
