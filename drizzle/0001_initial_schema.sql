CREATE TYPE "public"."metric_kind" AS ENUM('followers', 'popularity');--> statement-breakpoint
CREATE TYPE "public"."momentum_category" AS ENUM('declining', 'steady', 'growing', 'high', 'explosive');--> statement-breakpoint
CREATE TYPE "public"."platform" AS ENUM('spotify', 'deezer');--> statement-breakpoint
CREATE TYPE "public"."sync_status" AS ENUM('pending', 'synced', 'failed', 'not_found');--> statement-breakpoint
CREATE TABLE "artist_momentum" (
	"artist_id" uuid NOT NULL,
	"day" date NOT NULL,
	"model_version" text NOT NULL,
	"score" double precision NOT NULL,
	"z" double precision NOT NULL,
	"category" "momentum_category" NOT NULL,
	"growth7d" double precision,
	"growth28d" double precision,
	"acceleration" double precision,
	"audience" double precision NOT NULL,
	"tier" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artist_momentum_pkey" PRIMARY KEY("artist_id","day","model_version")
);
--> statement-breakpoint
CREATE TABLE "global_artists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"spotify_id" text,
	"name" text NOT NULL,
	"genres" text[] DEFAULT '{}'::text[] NOT NULL,
	"image_url" text,
	"sync_status" "sync_status" DEFAULT 'pending' NOT NULL,
	"sync_error" text,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_snapshots" (
	"account_id" uuid NOT NULL,
	"metric" "metric_kind" NOT NULL,
	"day" date NOT NULL,
	"value" double precision NOT NULL,
	"captured_at" timestamp with time zone NOT NULL,
	CONSTRAINT "metric_snapshots_pkey" PRIMARY KEY("account_id","metric","day")
);
--> statement-breakpoint
CREATE TABLE "platform_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"artist_id" uuid NOT NULL,
	"platform" "platform" NOT NULL,
	"external_id" text NOT NULL,
	"url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email_key" text NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_artists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"artist_id" uuid NOT NULL,
	"is_favorite" boolean DEFAULT false NOT NULL,
	"custom_notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_artists_notes_length" CHECK (char_length("user_artists"."custom_notes") <= 5000)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "artist_momentum" ADD CONSTRAINT "artist_momentum_artist_id_global_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."global_artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_snapshots" ADD CONSTRAINT "metric_snapshots_account_id_platform_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."platform_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_accounts" ADD CONSTRAINT "platform_accounts_artist_id_global_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."global_artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_artists" ADD CONSTRAINT "user_artists_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_artists" ADD CONSTRAINT "user_artists_artist_id_global_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."global_artists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "artist_momentum_day_idx" ON "artist_momentum" USING btree ("model_version","day");--> statement-breakpoint
CREATE UNIQUE INDEX "global_artists_spotify_id_key" ON "global_artists" USING btree ("spotify_id");--> statement-breakpoint
CREATE INDEX "global_artists_name_search_idx" ON "global_artists" USING gin (fanpulse_search_key("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "global_artists_name_id_idx" ON "global_artists" USING btree (fanpulse_search_key("name"),"id");--> statement-breakpoint
CREATE INDEX "metric_snapshots_day_idx" ON "metric_snapshots" USING btree ("day","metric");--> statement-breakpoint
CREATE UNIQUE INDEX "platform_accounts_platform_external_key" ON "platform_accounts" USING btree ("platform","external_id");--> statement-breakpoint
CREATE INDEX "platform_accounts_artist_idx" ON "platform_accounts" USING btree ("artist_id");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_email_time_idx" ON "sign_in_attempts" USING btree ("email_key","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "user_artists_user_artist_key" ON "user_artists" USING btree ("user_id","artist_id");--> statement-breakpoint
CREATE INDEX "user_artists_user_created_idx" ON "user_artists" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "user_artists_artist_idx" ON "user_artists" USING btree ("artist_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));