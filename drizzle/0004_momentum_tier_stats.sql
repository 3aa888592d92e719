CREATE TABLE "momentum_tier_stats" (
	"day" date NOT NULL,
	"model_version" text NOT NULL,
	"tier" integer NOT NULL,
	"artists" integer NOT NULL,
	"mean" double precision NOT NULL,
	"sd" double precision NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "momentum_tier_stats_pkey" PRIMARY KEY("model_version","day","tier")
);
