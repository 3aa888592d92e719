CREATE TABLE "budget_uses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP TABLE "provider_calls" CASCADE;--> statement-breakpoint
DROP TABLE "sign_in_attempts" CASCADE;--> statement-breakpoint
CREATE INDEX "budget_uses_key_time_idx" ON "budget_uses" USING btree ("key","used_at");