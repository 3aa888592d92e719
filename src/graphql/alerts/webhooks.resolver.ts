import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { pageSize } from "../../domain/pagination.js";
import { createWebhook, deleteWebhook, webhooksOf } from "../../domain/webhooks/webhooks.js";
import { requireViewer, type Context } from "../context.js";
import { CreatedWebhook, CreateWebhookInput, Webhook, WebhookDelivery } from "./webhook.types.js";

@Authorized()
@Resolver(() => Webhook)
export class WebhooksResolver {
  @Query(() => [Webhook], { description: "The signed-in user's webhooks; their secrets are shown only when created." })
  webhooks(@Ctx() context: Context) {
    return webhooksOf(context.db, requireViewer(context));
  }

  @Mutation(() => CreatedWebhook)
  createWebhook(@Arg("input", () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() context: Context) {
    return createWebhook(context.db, context.box, context.webhookDelivery, requireViewer(context), input);
  }

  @Mutation(() => Boolean)
  deleteWebhook(@Arg("id", () => ID) id: string, @Ctx() context: Context) {
    return deleteWebhook(context.db, requireViewer(context), id);
  }

  @FieldResolver(() => [WebhookDelivery], { description: "The newest delivery attempts, newest first." })
  deliveries(@Root() webhook: Webhook, @Arg("first", () => Int, { nullable: true }) first: number | null, @Ctx() { loaders }: Context) {
    return loaders.webhookDeliveries.load({ webhookId: webhook.id, first: pageSize(first) });
  }
}
