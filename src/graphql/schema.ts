import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { DateTimeResolver } from "graphql-scalars";
import { buildSchema } from "type-graphql";
import { ArtistResolver } from "./artist/artist.resolver.js";
import { LinkingResolver } from "./artist/linking.resolver.js";
import { DashboardResolver } from "./momentum/dashboard.resolver.js";
import { MoversResolver } from "./momentum/movers.resolver.js";
import { ServiceInfoResolver } from "./service/service-info.resolver.js";
import { TrackingResolver } from "./tracking/tracking.resolver.js";
import { AuthResolver } from "./user/auth.resolver.js";

export const resolvers = [
  AuthResolver,
  ArtistResolver,
  TrackingResolver,
  LinkingResolver,
  MoversResolver,
  DashboardResolver,
  ServiceInfoResolver,
] as const;

export function buildFanPulseSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
}

/** The SDL committed as schema.graphql; sorted so that it changes only when the schema does. */
export const printFanPulseSchema = (schema: GraphQLSchema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
