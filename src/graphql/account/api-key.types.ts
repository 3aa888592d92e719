import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ApiKeyScope } from "../enums.js";

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ApiKeyScope)
  scope!: ApiKeyScope;

  @Field(() => String, { description: "The first characters of the secret, to recognise it." })
  prefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field(() => String, { description: "Send as 'Authorization: Bearer <secret>'. Shown once." })
  secret!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String)
  name!: string;

  @Field(() => ApiKeyScope)
  scope!: ApiKeyScope;

  @Field(() => Date, { nullable: true, description: "Left out: never expires." })
  expiresAt?: Date | null;
}
