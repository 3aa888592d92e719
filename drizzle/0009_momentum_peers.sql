CREATE TYPE "public"."momentum_peer_group" AS ENUM('tier', 'all', 'default');--> statement-breakpoint
ALTER TABLE "artist_momentum" ADD COLUMN "peer_group" "momentum_peer_group" NOT NULL;--> statement-breakpoint
ALTER TABLE "artist_momentum" ADD COLUMN "peer_count" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "artist_momentum" ADD COLUMN "peer_mean" double precision NOT NULL;--> statement-breakpoint
ALTER TABLE "artist_momentum" ADD COLUMN "peer_sd" double precision NOT NULL;