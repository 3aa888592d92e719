import { ArgsType, Field } from "type-graphql";
import { PageArgs } from "../common/page.args.js";
import { MetricKind, Platform } from "../enums.js";

@ArgsType()
export class ArtistsArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  search?: string | null;
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
