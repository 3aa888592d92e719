import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { changePassword, deleteAccount, signOutEverywhere } from "../../domain/account.js";
import { requireSession, type Context } from "../context.js";
import { ACCOUNT_OWNER } from "./access.js";
import { ChangePasswordInput } from "./account.types.js";

@Authorized(ACCOUNT_OWNER)
@Resolver()
export class AccountResolver {
  @Mutation(() => Boolean, { description: "Every token and session issued before now stops working; API keys stay until revoked." })
  async signOutEverywhere(@Ctx() context: Context) {
    await signOutEverywhere(context.db, (await requireSession(context)).user.id);
    return true;
  }

  @Mutation(() => Boolean, { description: "A new password under sign-up's rules (the current one confirms it is you); every other session ends, this one stays." })
  async changePassword(@Arg("input", () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() context: Context) {
    const { user, sessionId } = await requireSession(context);
    await changePassword(context.db, user, sessionId, input, context.policies.signIn);
    return true;
  }

  @Mutation(() => Boolean, { description: "Deletes the account, its links, notes, rules, notifications, webhooks and keys. Shared artists and their history stay." })
  async deleteAccount(@Arg("password", () => String) password: string, @Ctx() context: Context) {
    await deleteAccount(context.db, (await requireSession(context)).user, password, context.policies.signIn);
    return true;
  }
}
