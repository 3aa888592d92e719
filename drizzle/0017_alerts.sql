CREATE TYPE "public"."alert_kind" AS ENUM('category_reached', 'score_above', 'growth_above', 'new_high');--> statement-breakpoint
CREATE TABLE "alert_evaluations" (
	"artist_id" uuid NOT NULL,
	"day" date NOT NULL,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_evaluations_pkey" PRIMARY KEY("artist_id","day")
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"artist_id" uuid,
	"kind" "alert_kind" NOT NULL,
	"category" "momentum_category",
	"threshold" double precision,
	"window_days" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rules_parameters" CHECK (CASE "alert_rules"."kind"
        WHEN 'category_reached' THEN "alert_rules"."category" IS NOT NULL AND "alert_rules"."category" <> 'declining' AND "alert_rules"."threshold" IS NULL AND "alert_rules"."window_days" IS NULL
        WHEN 'score_above' THEN "alert_rules"."category" IS NULL AND "alert_rules"."threshold" BETWEEN 0 AND 100 AND "alert_rules"."window_days" IS NULL
        WHEN 'growth_above' THEN "alert_rules"."category" IS NULL AND "alert_rules"."threshold" BETWEEN 0 AND 100 AND "alert_rules"."window_days" IN (7, 28)
        ELSE "alert_rules"."category" IS NULL AND "alert_rules"."threshold" IS NULL AND "alert_rules"."window_days" IS NULL
      END)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"rule_id" uuid,
	"artist_id" uuid NOT NULL,
	"kind" "alert_kind" NOT NULL,
	"day" date NOT NULL,
	"facts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "alert_evaluations" ADD CONSTRAINT "alert_evaluations_artist_id_global_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."global_artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_artist_id_global_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."global_artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_artist_id_global_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."global_artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_rules_user_created_idx" ON "alert_rules" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "alert_rules_artist_idx" ON "alert_rules" USING btree ("artist_id") WHERE "alert_rules"."artist_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "alert_rules_every_artist_idx" ON "alert_rules" USING btree ("user_id") WHERE "alert_rules"."artist_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_rule_artist_day_key" ON "notifications" USING btree ("rule_id","artist_id","day");--> statement-breakpoint
CREATE INDEX "notifications_user_created_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_user_unread_idx" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" IS NULL;