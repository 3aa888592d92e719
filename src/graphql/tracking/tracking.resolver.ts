import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { listTrackedArtists } from "../../domain/artists.js";
import { refreshArtist, trackArtist, untrackArtist, updateTrackedArtist } from "../../domain/tracking.js";
import { GlobalArtist } from "../artist/global-artist.type.js";
import { toConnection } from "../common/connection.js";
import { selects } from "../common/selection.js";
import { requireRequester, requireViewer, type Context } from "../context.js";
import { User } from "../user/user.type.js";
import { MyArtistsArgs, TrackArtistInput, UpdateTrackedArtistInput } from "./tracking.inputs.js";
import { UserArtist, UserArtistConnection } from "./user-artist.type.js";

/** The signed-in user's tracking: their list and the mutations on it. */
@Authorized()
@Resolver()
export class TrackingResolver {
  @Query(() => UserArtistConnection, { description: "The signed-in user's tracked artists. UNAUTHENTICATED without a token." })
  async myArtists(@Args(() => MyArtistsArgs) args: MyArtistsArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const page = await listTrackedArtists(context.db, requireViewer(context), args, {
      withArtists: selects(info, ["edges", "node", "artist"]),
      withCount: selects(info, ["totalCount"]),
    });
    // Each artist's link to the viewer is the page's own node.
    if (selects(info, ["edges", "node", "artist", "viewerTracking"])) {
      for (const { node } of page.items) context.loaders.viewerLink.prime(node.artistId, node);
    }
    return toConnection(page);
  }

  @Mutation(() => UserArtist, {
    description:
      "Track an artist. spotifyId takes a Spotify artist ID, a spotify:artist: URI\nor an open.spotify.com artist URL. Idempotent: tracking an artist twice\nreturns the same UserArtist. Any number of users can track the same artist.",
  })
  trackArtist(@Arg("input", () => TrackArtistInput) input: TrackArtistInput, @Ctx() context: Context) {
    return trackArtist(context.db, context.providers, requireRequester(context), input);
  }

  @Mutation(() => Boolean, { description: "Stop tracking; true when a link was removed. The shared artist and its history stay." })
  untrackArtist(@Arg("artistId", () => ID) artistId: string, @Ctx() context: Context) {
    return untrackArtist(context.db, requireViewer(context), artistId);
  }

  @Mutation(() => UserArtist)
  updateTrackedArtist(@Arg("input", () => UpdateTrackedArtistInput) input: UpdateTrackedArtistInput, @Ctx() context: Context) {
    return updateTrackedArtist(context.db, requireViewer(context), input);
  }

  @Mutation(() => Boolean, {
    description: "Queue a metrics refresh for a tracked artist; repeated calls while one is queued do not queue more.",
  })
  refreshArtist(@Arg("artistId", () => ID) artistId: string, @Ctx() context: Context) {
    return refreshArtist(context.db, requireViewer(context), artistId);
  }

}

@Resolver(() => UserArtist)
export class UserArtistFieldsResolver {
  @FieldResolver(() => User)
  user(@Root() link: UserArtist, @Ctx() { loaders }: Context) {
    return loaders.user.load(link.userId);
  }

  // Synchronous when the link's statement brought its artist along (a page of myArtists): no promise per link.
  @FieldResolver(() => GlobalArtist)
  artist(@Root() link: UserArtist, @Ctx() { loaders }: Context) {
    return link.artist ?? loaders.artist.load(link.artistId);
  }
}
