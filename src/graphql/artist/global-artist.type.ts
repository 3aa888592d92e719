import { Field, ID, ObjectType } from "type-graphql";
import { connectionType } from "../common/connection.js";

@ObjectType({ description: "An artist shared by every user who tracks it." })
export class GlobalArtist {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  spotifyId!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => [String])
  genres!: string[];

  @Field(() => String, { nullable: true })
  imageUrl!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const GlobalArtistConnection = connectionType("GlobalArtist", GlobalArtist);
