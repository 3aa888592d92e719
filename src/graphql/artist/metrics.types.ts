import { Field, Float, ObjectType } from "type-graphql";
import { MetricKind, Platform } from "../enums.js";

@ObjectType({ simpleResolvers: true })
export class MetricValue {
  @Field(() => Platform)
  platform!: Platform;

  @Field(() => MetricKind)
  metric!: MetricKind;

  @Field(() => Float)
  value!: number;

  @Field(() => Date)
  capturedAt!: Date;

  @Field(() => Boolean, { description: "True when the value is synthetic rather than the platform's own." })
  simulated!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class MetricPoint {
  @Field(() => Date)
  capturedAt!: Date;

  @Field(() => Float)
  value!: number;
}
