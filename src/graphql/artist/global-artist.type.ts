import { Field, ID, ObjectType } from "type-graphql";
import type { GlobalArtistRow, PlatformAccountRow } from "../../db/schema.js";
import { connectionType } from "../common/connection.js";
import { SyncStatus } from "../enums.js";

@ObjectType({ description: "An artist shared by every user who tracks it.", simpleResolvers: true })
export class GlobalArtist {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [String])
  genres!: string[];

  @Field(() => String, { nullable: true })
  imageUrl!: string | null;

  @Field(() => String, { nullable: true, description: "The artist's MusicBrainz id, once MusicBrainz's URL relationships named it." })
  musicbrainzId!: string | null;

  @Field(() => SyncStatus, { description: "Where this artist's refresh stands." })
  syncStatus!: GlobalArtistRow["syncStatus"];

  @Field(() => Date, { nullable: true })
  lastSyncedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the last sync did not finish (RETRYING, FAILED) or found nothing (NOT_FOUND); null after a success." })
  syncError!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  // Brought along by the statement that fetched the artist, when it did (a page of myArtists).
  trackerCount?: number;
  platformAccounts?: PlatformAccountRow[];
}

export const GlobalArtistConnection = connectionType("GlobalArtist", GlobalArtist);
