import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { PlatformAccountRow } from "../../db/schema.js";
import { artistBySpotifyId, listArtists } from "../../domain/artists.js";
import { parseId } from "../../domain/ids.js";
import { seriesRange } from "../../domain/series-range.js";
import { toConnection } from "../common/connection.js";
import { ArtistsArgs, DateRangeArgs, MetricSeriesArgs } from "./artist.args.js";
import type { Context } from "../context.js";
import { UserArtist } from "../tracking/user-artist.type.js";
import { GlobalArtist, GlobalArtistConnection } from "./global-artist.type.js";
import { Momentum } from "../momentum/momentum.types.js";
import { MetricPoint, MetricValue } from "./metrics.types.js";
import { PlatformAccount } from "./platform-account.type.js";

/** The artist queries, for signed-in users (the fields below are reached only through them). */
@Authorized()
@Resolver()
export class ArtistQueriesResolver {
  @Query(() => GlobalArtist, { nullable: true })
  artist(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.artist.load(parseId(id, "id"));
  }

  @Query(() => GlobalArtist, { nullable: true })
  artistBySpotifyId(@Arg("spotifyId", () => String) spotifyId: string, @Ctx() { db }: Context) {
    return artistBySpotifyId(db, spotifyId);
  }

  @Query(() => GlobalArtistConnection, {
    description: "Every artist that anyone tracks, searchable by name (case- and accent-insensitive).",
  })
  async artists(@Args(() => ArtistsArgs) args: ArtistsArgs, @Ctx() { db }: Context) {
    return toConnection(await listArtists(db, args));
  }
}

/** The artist's accounts: those its statement brought along (synchronously), or a batch's. */
function withAccounts<T>(artist: GlobalArtist, { loaders }: Context, then: (accounts: PlatformAccountRow[]) => T): T | Promise<T> {
  return artist.platformAccounts ? then(artist.platformAccounts) : loaders.platformAccounts.load(artist.id).then(then);
}

@Resolver(() => GlobalArtist)
export class GlobalArtistFieldsResolver {
  @FieldResolver(() => Int, { description: "How many users track this artist." })
  trackerCount(@Root() artist: GlobalArtist, @Ctx() { loaders }: Context) {
    return artist.trackerCount ?? loaders.trackerCount.load(artist.id);
  }

  @FieldResolver(() => UserArtist, {
    nullable: true,
    description: "The signed-in user's link to this artist; null when not tracked or not signed in.",
  })
  viewerTracking(@Root() artist: GlobalArtist, @Ctx() { loaders }: Context) {
    return loaders.viewerLink.load(artist.id);
  }

  @FieldResolver(() => [PlatformAccount])
  platformAccounts(@Root() artist: GlobalArtist, @Ctx() context: Context) {
    return withAccounts(artist, context, (accounts) => accounts);
  }

  @FieldResolver(() => String, { nullable: true, description: "The artist's Spotify account, when it has one." })
  spotifyId(@Root() artist: GlobalArtist, @Ctx() context: Context) {
    return withAccounts(artist, context, (accounts) => accounts.find((a) => a.platform === "spotify")?.externalId ?? null);
  }

  @FieldResolver(() => Boolean, { description: "True when any figure shown for this artist is synthetic rather than the platform's own." })
  simulated(@Root() artist: GlobalArtist, @Ctx() context: Context) {
    return withAccounts(artist, context, (accounts) => accounts.some((a) => a.simulated));
  }

  @FieldResolver(() => Momentum, { nullable: true, description: "Latest momentum; null until enough history exists." })
  momentum(@Root() artist: GlobalArtist, @Ctx() { loaders }: Context) {
    return loaders.momentum.load(artist.id);
  }

  @FieldResolver(() => [Momentum], { description: "Daily momentum for charts, oldest first; from and to default to the last 90 days. Costs one complexity point per day it spans (at most 366 days)." })
  momentumHistory(@Root() artist: GlobalArtist, @Args(() => DateRangeArgs) args: DateRangeArgs, @Ctx() { loaders }: Context) {
    return loaders.momentumHistory.load({ artistId: artist.id, ...seriesRange(args.from, args.to) });
  }

  @FieldResolver(() => [MetricValue], { description: "The newest value of each metric on each platform." })
  latestMetrics(@Root() artist: GlobalArtist, @Ctx() { loaders }: Context) {
    return loaders.latestMetrics.load(artist.id);
  }

  @FieldResolver(() => [MetricPoint], { description: "Daily values, oldest first; from and to default to the last 90 days. Costs one complexity point per day it spans (at most 366 days)." })
  metricSeries(@Root() artist: GlobalArtist, @Args(() => MetricSeriesArgs) args: MetricSeriesArgs, @Ctx() { loaders }: Context) {
    return loaders.metricSeries.load({ artistId: artist.id, platform: args.platform, metric: args.metric, ...seriesRange(args.from, args.to) });
  }
}
