import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { createApiKey, listApiKeys, revokeApiKey } from "../../domain/api-keys.js";
import { requireViewer, type Context } from "../context.js";
import { ACCOUNT_OWNER } from "./access.js";
import { ApiKey, CreateApiKeyInput, CreatedApiKey } from "./api-key.types.js";

@Authorized(ACCOUNT_OWNER)
@Resolver()
export class ApiKeysResolver {
  @Query(() => [ApiKey], { description: "The signed-in user's API keys; their secrets are shown only when created." })
  apiKeys(@Ctx() context: Context) {
    return listApiKeys(context.db, requireViewer(context));
  }

  @Mutation(() => CreatedApiKey)
  async createApiKey(@Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() context: Context): Promise<CreatedApiKey> {
    const { key, secret } = await createApiKey(context.db, context.keys, requireViewer(context), input);
    return { apiKey: key as ApiKey, secret };
  }

  @Mutation(() => Boolean)
  revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() context: Context) {
    return revokeApiKey(context.db, requireViewer(context), id);
  }
}
