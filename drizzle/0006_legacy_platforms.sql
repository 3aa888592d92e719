ALTER TYPE "public"."platform" ADD VALUE 'apple_music';--> statement-breakpoint
ALTER TYPE "public"."platform" ADD VALUE 'youtube';--> statement-breakpoint
ALTER TYPE "public"."platform" ADD VALUE 'instagram';--> statement-breakpoint
ALTER TYPE "public"."platform" ADD VALUE 'tiktok';--> statement-breakpoint
ALTER TYPE "public"."platform" ADD VALUE 'twitter';--> statement-breakpoint
ALTER TYPE "public"."platform" ADD VALUE 'facebook';