import { Field, InputType, ObjectType } from "type-graphql";
import { User } from "./user.type.js";

@InputType()
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;
}

@InputType()
export class SignInInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: "Send as 'Authorization: Bearer <token>'." })
  token!: string;

  @Field(() => User)
  user!: User;
}
