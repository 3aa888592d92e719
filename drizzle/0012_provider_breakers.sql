ALTER TYPE "public"."sync_status" ADD VALUE 'retrying';--> statement-breakpoint
CREATE TABLE "provider_breakers" (
	"platform" "platform" PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"open_until" timestamp with time zone,
	"probing_until" timestamp with time zone
);
