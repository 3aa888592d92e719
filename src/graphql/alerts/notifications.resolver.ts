import { Arg, Authorized, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { NotificationRow } from "../../db/schema.js";
import { NOTIFICATION_ADDED } from "../../domain/alerts/live.js";
import { notificationMessage } from "../../domain/alerts/messages.js";
import { listNotifications, markNotificationsRead } from "../../domain/alerts/notifications.js";
import { GlobalArtist } from "../artist/global-artist.type.js";
import { toConnection } from "../common/connection.js";
import { requireViewer, type Context } from "../context.js";
import { AlertRule } from "./alert-rule.type.js";
import { NotificationsArgs } from "./alerts.inputs.js";
import { Notification, NotificationConnection } from "./notification.type.js";

@Authorized()
@Resolver(() => Notification)
export class NotificationsResolver {
  @Query(() => NotificationConnection, { description: "The signed-in user's notifications, newest first." })
  async notifications(@Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() context: Context) {
    const inbox = await listNotifications(context.db, requireViewer(context), args);
    return { ...toConnection(inbox), unreadCount: inbox.unreadCount };
  }

  @Mutation(() => Int, { description: "Marks the given notifications read (all of them when ids is left out); returns how many changed." })
  markNotificationsRead(@Arg("ids", () => [ID], { nullable: true }) ids: string[] | null | undefined, @Ctx() context: Context) {
    return markNotificationsRead(context.db, requireViewer(context), ids);
  }

  @Subscription(() => Notification, {
    description: "Every new notification of the signed-in user, as it is created (graphql-ws on the /graphql path).",
    topics: NOTIFICATION_ADDED,
    topicId: ({ context }) => requireViewer(context as Context),
  })
  notificationAdded(@Root() notification: NotificationRow): Notification {
    return notification as Notification;
  }

  @FieldResolver(() => GlobalArtist)
  artist(@Root() notification: Notification, @Ctx() { loaders }: Context) {
    return loaders.artist.load(notification.artistId);
  }

  @FieldResolver(() => AlertRule, { nullable: true, description: "Null when the rule has since been deleted." })
  rule(@Root() notification: Notification, @Ctx() { loaders }: Context) {
    return notification.ruleId ? loaders.alertRule.load(notification.ruleId) : null;
  }

  @FieldResolver(() => String, { description: "What happened, in one sentence a person reads." })
  async message(@Root() notification: Notification, @Ctx() { loaders }: Context) {
    const artist = await loaders.artist.load(notification.artistId);
    return notificationMessage(notification.kind, artist?.name ?? "An artist", notification.facts);
  }
}
