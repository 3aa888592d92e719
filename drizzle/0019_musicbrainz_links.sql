ALTER TABLE "global_artists" ADD COLUMN "musicbrainz_id" uuid;--> statement-breakpoint
ALTER TABLE "global_artists" ADD COLUMN "cross_linked_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "global_artists_musicbrainz_id_key" ON "global_artists" USING btree ("musicbrainz_id");