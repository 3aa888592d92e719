import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { momentumCategory, type MomentumCategoryValue } from "../db/schema.js";
import { MODEL_VERSION } from "./momentum/v1.js";

export type DashboardCounts = {
  trackedCount: number;
  favoriteCount: number;
  /** Every category, in order from declining to explosive, with how many of the user's artists are in it now. */
  categories: { category: MomentumCategoryValue; count: number }[];
  unscoredCount: number;
};

/** The signed-in user's counts for the dashboard, in one statement. */
export async function dashboardCounts(db: Database, userId: string): Promise<DashboardCounts> {
  const rows = await db.execute<{ category: MomentumCategoryValue | null; links: number; favorites: number }>(sql`
    SELECT latest.category::text AS category, count(*)::int AS links, count(*) FILTER (WHERE l.is_favorite)::int AS favorites
    FROM user_artists l
    LEFT JOIN LATERAL (
      SELECT m.category FROM artist_momentum m
      WHERE m.artist_id = l.artist_id AND m.model_version = ${MODEL_VERSION}
      ORDER BY m.day DESC LIMIT 1
    ) latest ON true
    WHERE l.user_id = ${userId}::uuid
    GROUP BY latest.category`);
  const count = (category: MomentumCategoryValue | null) => rows.find((r) => r.category === category)?.links ?? 0;
  return {
    trackedCount: rows.reduce((sum, r) => sum + r.links, 0),
    favoriteCount: rows.reduce((sum, r) => sum + r.favorites, 0),
    categories: momentumCategory.enumValues.map((category) => ({ category, count: count(category) })),
    unscoredCount: count(null),
  };
}
