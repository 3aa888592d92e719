import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType()
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: "The HTTP status the receiver answered; null when it could not be reached." })
  status!: number | null;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Boolean)
  succeeded!: boolean;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed; null once delivered." })
  lastError!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class Webhook {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class CreatedWebhook {
  @Field(() => Webhook)
  webhook!: Webhook;

  @Field(() => String, {
    description: "Signs every delivery: X-FanPulse-Signature is 'sha256=' and the hex HMAC-SHA256 of the raw body with this secret. Shown once.",
  })
  secret!: string;
}

@InputType()
export class CreateWebhookInput {
  @Field(() => String, { description: "https URL (http only to localhost) that receives a signed POST for every notification." })
  url!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}
