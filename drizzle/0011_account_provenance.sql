CREATE TYPE "public"."account_link_source" AS ENUM('tracked', 'legacy_import', 'musicbrainz', 'name_match', 'user');--> statement-breakpoint
CREATE TYPE "public"."snapshot_source" AS ENUM('platform', 'simulated', 'legacy_import');--> statement-breakpoint
ALTER TABLE "metric_snapshots" ADD COLUMN "source" "snapshot_source";--> statement-breakpoint
ALTER TABLE "platform_accounts" ADD COLUMN "linked_by" "account_link_source";--> statement-breakpoint
ALTER TABLE "platform_accounts" ADD COLUMN "linked_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "platform_accounts" ADD COLUMN "simulated" boolean;--> statement-breakpoint
ALTER TABLE "platform_accounts" ADD CONSTRAINT "platform_accounts_linked_by_user_id_users_id_fk" FOREIGN KEY ("linked_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- An artist tracked by a Spotify id owns that account: one another artist took first (a user
-- attached it before anyone tracked it) comes back to it, with its history.
UPDATE "platform_accounts" a SET "artist_id" = g."id"
FROM "global_artists" g
WHERE a."platform" = 'spotify' AND a."external_id" = g."spotify_id" AND a."artist_id" <> g."id";--> statement-breakpoint
INSERT INTO "platform_accounts" ("artist_id", "platform", "external_id", "url", "linked_by")
SELECT g."id", 'spotify', g."spotify_id", 'https://open.spotify.com/artist/' || g."spotify_id", 'tracked'
FROM "global_artists" g
WHERE g."spotify_id" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "platform_accounts" a WHERE a."platform" = 'spotify' AND a."external_id" = g."spotify_id");--> statement-breakpoint
-- How each link was made, as far as the data tells: the account an artist was tracked by; accounts
-- on platforms only a legacy database brought; the rest were added by users.
UPDATE "platform_accounts" a SET "linked_by" = CASE
    WHEN a."platform" = 'spotify' AND EXISTS (SELECT 1 FROM "global_artists" g WHERE g."id" = a."artist_id" AND g."spotify_id" = a."external_id") THEN 'tracked'
    WHEN a."platform" NOT IN ('spotify', 'deezer') THEN 'legacy_import'
    ELSE 'user' END::account_link_source
WHERE a."linked_by" IS NULL;--> statement-breakpoint
-- One account per synced platform and artist: the one it was tracked by, else the oldest. The
-- others, added by users on top, leave with their figures, which no longer count in its audience.
DELETE FROM "platform_accounts" a
WHERE a."platform" IN ('spotify', 'deezer') AND EXISTS (
  SELECT 1 FROM "platform_accounts" b
  WHERE b."artist_id" = a."artist_id" AND b."platform" = a."platform" AND b."id" <> a."id"
    AND (b."linked_by" = 'tracked' AND a."linked_by" <> 'tracked'
         OR (b."linked_by" = 'tracked') = (a."linked_by" = 'tracked') AND (b."created_at", b."id") < (a."created_at", a."id")));--> statement-breakpoint
ALTER TABLE "platform_accounts" ALTER COLUMN "linked_by" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "platform_accounts_artist_synced_platform_key" ON "platform_accounts" USING btree ("artist_id","platform") WHERE "platform_accounts"."platform" IN ('spotify', 'deezer');--> statement-breakpoint
CREATE INDEX "platform_accounts_simulated_idx" ON "platform_accounts" USING btree ("id") WHERE "platform_accounts"."simulated";--> statement-breakpoint
DROP INDEX "global_artists_spotify_id_key";--> statement-breakpoint
ALTER TABLE "global_artists" DROP COLUMN "spotify_id";
