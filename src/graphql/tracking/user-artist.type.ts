import { Field, ID, ObjectType } from "type-graphql";
import { GlobalArtist } from "../artist/global-artist.type.js";
import { connectionType } from "../common/connection.js";

@ObjectType({ description: "A user's link to an artist.", simpleResolvers: true })
export class UserArtist {
  @Field(() => ID)
  id!: string;

  @Field(() => Boolean)
  isFavorite!: boolean;

  @Field(() => String, { nullable: true, description: "Private to the user who wrote them." })
  customNotes!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  userId!: string;
  artistId!: string;
  /** Brought along by the statement that fetched the link, when it did. */
  artist?: GlobalArtist;
}

export const UserArtistConnection = connectionType("UserArtist", UserArtist);
