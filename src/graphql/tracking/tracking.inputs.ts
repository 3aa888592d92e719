import { ArgsType, Field, ID, InputType } from "type-graphql";
import { PageArgs } from "../common/page.args.js";
import { TrackedArtistOrder } from "../enums.js";

@InputType()
export class TrackArtistInput {
  @Field(() => String, { nullable: true })
  spotifyId?: string | null;

  @Field(() => String, { nullable: true, description: "A Deezer artist id (the number in deezer.com/artist/<id>)." })
  deezerId?: string | null;

  @Field(() => String, { nullable: true, description: "An artist URL or URI of a supported platform: open.spotify.com/artist/..., spotify:artist:..., deezer.com/artist/..." })
  url?: string | null;
}

@InputType()
export class UpdateTrackedArtistInput {
  @Field(() => ID)
  artistId!: string;

  @Field(() => Boolean, { nullable: true })
  isFavorite?: boolean | null;

  @Field(() => String, { nullable: true, description: "Private to the user who wrote them." })
  customNotes?: string | null;
}

@ArgsType()
export class MyArtistsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true })
  favoritesOnly?: boolean | null;

  @Field(() => TrackedArtistOrder, { nullable: true })
  orderBy?: TrackedArtistOrder | null;
}
