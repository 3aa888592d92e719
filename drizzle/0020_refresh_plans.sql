CREATE TABLE "refresh_plan_artists" (
	"day" date NOT NULL,
	"artist_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	CONSTRAINT "refresh_plan_artists_pkey" PRIMARY KEY("day","artist_id")
);
--> statement-breakpoint
CREATE TABLE "refresh_plans" (
	"day" date PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"candidates" integer NOT NULL,
	"planned" integer NOT NULL,
	"remaining" integer NOT NULL,
	"due_left_out" integer NOT NULL,
	"scored_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "refresh_plan_artists" ADD CONSTRAINT "refresh_plan_artists_day_refresh_plans_day_fk" FOREIGN KEY ("day") REFERENCES "public"."refresh_plans"("day") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_plan_artists" ADD CONSTRAINT "refresh_plan_artists_artist_id_global_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."global_artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refresh_plan_artists_pending_idx" ON "refresh_plan_artists" USING btree ("artist_id") WHERE NOT "refresh_plan_artists"."done";