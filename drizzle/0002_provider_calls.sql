CREATE TABLE "provider_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"platform" "platform" NOT NULL,
	"called_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "provider_calls_platform_time_idx" ON "provider_calls" USING btree ("platform","called_at");