import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { TrackedArtistOrder } from "../enums.js";

@InputType()
export class TrackArtistInput {
  @Field(() => String, { nullable: true })
  spotifyId?: string | null;
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
export class MyArtistsArgs {
  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Boolean, { nullable: true })
  favoritesOnly?: boolean | null;

  @Field(() => TrackedArtistOrder, { nullable: true })
  orderBy?: TrackedArtistOrder | null;
}
