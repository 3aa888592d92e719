import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { signIn, signUp } from "../../domain/users.js";
import type { Context } from "../context.js";
import { AuthPayload, SignInInput, SignUpInput } from "./auth.types.js";
import { User } from "./user.type.js";

@Resolver()
export class AuthResolver {
  @Query(() => User, { nullable: true, description: "The signed-in user; null when the request carries no token. An expired, revoked or invalid token is UNAUTHENTICATED, with the reason in extensions." })
  me(@Ctx() { viewerId, loaders }: Context) {
    return viewerId ? loaders.user.load(viewerId) : null;
  }

  @Mutation(() => AuthPayload)
  async signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() { db, tokens }: Context): Promise<AuthPayload> {
    const user = await signUp(db, input);
    return { user, token: await tokens.issue(user) };
  }

  @Mutation(() => AuthPayload)
  async signIn(@Arg("input", () => SignInInput) input: SignInInput, @Ctx() { db, tokens, clientAddress, policies }: Context): Promise<AuthPayload> {
    const user = await signIn(db, input, clientAddress, policies.signIn);
    return { user, token: await tokens.issue(user) };
  }
}
