import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { DateTimeResolver } from "graphql-scalars";
import { createNotificationHub, type NotificationHub } from "../domain/alerts/live.js";
import { buildSchema, type AuthChecker } from "type-graphql";
import { checkAccess } from "./account/access.js";
import { AccountResolver } from "./account/account.resolver.js";
import { ApiKeysResolver } from "./account/api-keys.resolver.js";
import type { Context } from "./context.js";
import { ArtistQueriesResolver, GlobalArtistFieldsResolver } from "./artist/artist.resolver.js";
import { AlertRulesResolver } from "./alerts/alert-rules.resolver.js";
import { NotificationsResolver } from "./alerts/notifications.resolver.js";
import { WebhooksResolver } from "./alerts/webhooks.resolver.js";
import { LinkingResolver } from "./artist/linking.resolver.js";
import { CatalogResolver } from "./catalog/catalog.resolver.js";
import { DashboardResolver } from "./momentum/dashboard.resolver.js";
import { MoversResolver } from "./momentum/movers.resolver.js";
import { ServiceInfoResolver } from "./service/service-info.resolver.js";
import { TrackingResolver, UserArtistFieldsResolver } from "./tracking/tracking.resolver.js";
import { AuthResolver } from "./user/auth.resolver.js";

export const resolvers = [
  AuthResolver,
  ArtistQueriesResolver,
  GlobalArtistFieldsResolver,
  TrackingResolver,
  UserArtistFieldsResolver,
  LinkingResolver,
  MoversResolver,
  DashboardResolver,
  ServiceInfoResolver,
  ApiKeysResolver,
  AccountResolver,
  AlertRulesResolver,
  NotificationsResolver,
  WebhooksResolver,
  CatalogResolver,
] as const;

/**
 * Private by default: a resolver class marked @Authorized() needs a signed-in caller (and
 * @Authorized(ACCOUNT_OWNER) one signed in with a password); only the ones left unmarked on
 * purpose (sign-up, sign-in, me, serviceInfo) and the field resolvers of types reached through
 * private roots are not checked, so a nested field costs no check. The object types of the hot
 * reads are declared with `simpleResolvers`, so their plain fields are read straight off the value:
 * an @Authorized on one of those fields would not be checked (none has one).
 */
const authChecker: AuthChecker<Context> = ({ context, info }, roles) => checkAccess(context.credential, roles, info.operation.operation);

/** The schema; its subscriptions are fed by `hub` (a process's own, or a fresh one to print it). */
export function buildFanPulseSchema(hub: NotificationHub = createNotificationHub()): Promise<GraphQLSchema> {
  return buildSchema({
    pubSub: hub,
    resolvers,
    validate: false,
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
}

/** The SDL committed as schema.graphql; sorted so that it changes only when the schema does. */
export const printFanPulseSchema = (schema: GraphQLSchema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
