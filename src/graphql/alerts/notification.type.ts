import { Field, ID, Int, ObjectType } from "type-graphql";
import type { AlertKindValue, NotificationFacts } from "../../db/schema.js";
import { connectionType } from "../common/connection.js";
import { AlertKind } from "../enums.js";

@ObjectType()
export class Notification {
  @Field(() => ID)
  id!: string;

  @Field(() => AlertKind)
  kind!: AlertKindValue;

  @Field(() => String, { description: "The UTC day (YYYY-MM-DD) of the data that fired it." })
  day!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  readAt!: Date | null;

  artistId!: string;
  ruleId!: string | null;
  facts!: NotificationFacts;
}

@ObjectType()
export class NotificationConnection extends connectionType("Notification", Notification) {
  @Field(() => Int, { description: "The user's unread notifications, whatever the filter." })
  unreadCount!: number;
}
