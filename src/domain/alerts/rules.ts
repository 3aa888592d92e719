import { and, asc, eq } from "drizzle-orm";
import { isAnyOf } from "../../db/pg-array.js";
import type { Database } from "../../db/client.js";
import { alertRules, userArtists, type AlertKindValue, type AlertRuleRow, type MomentumCategoryValue } from "../../db/schema.js";
import { DomainError, invalidArgument } from "../errors.js";
import { parseId } from "../ids.js";
import { lockUser } from "../users.js";

/** How many rules one user may hold: each is evaluated for every artist it concerns, every day. */
export const MAX_RULES_PER_USER = 100;

export const GROWTH_WINDOWS = [7, 28] as const;

export type NewAlertRule = {
  artistId?: string | null;
  kind: AlertKindValue;
  category?: MomentumCategoryValue | null;
  threshold?: number | null;
  windowDays?: number | null;
};

type Parameters = Pick<AlertRuleRow, "category" | "threshold" | "windowDays">;

const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/** Each kind takes exactly its own parameters: one left over is a mistake worth reporting, not ignoring. */
function parametersOf(input: NewAlertRule): Parameters {
  const refuseUnless = (field: "category" | "threshold" | "window", allowed: boolean, kinds: string) => {
    const value = field === "window" ? input.windowDays : input[field];
    if (given(value) && !allowed) throw invalidArgument(`input.${field}`, `applies to ${kinds} rules only`);
  };
  refuseUnless("category", input.kind === "category_reached", "CATEGORY_REACHED");
  refuseUnless("threshold", input.kind === "score_above" || input.kind === "growth_above", "SCORE_ABOVE and GROWTH_ABOVE");
  refuseUnless("window", input.kind === "growth_above", "GROWTH_ABOVE");
  switch (input.kind) {
    case "category_reached":
      if (!given(input.category)) throw invalidArgument("input.category", "is required for CATEGORY_REACHED");
      if (input.category === "declining") throw invalidArgument("input.category", "must be above DECLINING (every artist is at DECLINING or above)");
      return { category: input.category, threshold: null, windowDays: null };
    case "score_above":
      if (!given(input.threshold)) throw invalidArgument("input.threshold", "is required for SCORE_ABOVE (a score from 0 to 100)");
      if (!Number.isFinite(input.threshold) || input.threshold < 0 || input.threshold > 100) throw invalidArgument("input.threshold", "must be a score from 0 to 100");
      return { category: null, threshold: input.threshold, windowDays: null };
    case "growth_above": {
      if (!given(input.threshold)) throw invalidArgument("input.threshold", "is required for GROWTH_ABOVE (a fraction: 0.1 is +10%)");
      if (!Number.isFinite(input.threshold) || input.threshold < 0 || input.threshold > 100) {
        throw invalidArgument("input.threshold", "must be a fraction from 0 to 100 (0.1 is +10%)");
      }
      const windowDays = input.windowDays ?? 7;
      if (!(GROWTH_WINDOWS as readonly number[]).includes(windowDays)) throw invalidArgument("input.window", "must be DAYS_7 or DAYS_28");
      return { category: null, threshold: input.threshold, windowDays };
    }
    case "new_high":
      return { category: null, threshold: null, windowDays: null };
  }
}

/**
 * A new rule, after checking every field, that the user tracks its artist, and the user's rule
 * limit. The user's row is locked while counting, so concurrent requests cannot pass the limit
 * together. Asking for a rule the user already has returns that rule.
 */
export async function createAlertRule(db: Database, userId: string, input: NewAlertRule): Promise<AlertRuleRow> {
  const artistId = given(input.artistId) ? parseId(input.artistId, "input.artistId") : null;
  const parameters = parametersOf(input);
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    if (artistId) {
      const [link] = await tx.select({ id: userArtists.id }).from(userArtists).where(and(eq(userArtists.userId, userId), eq(userArtists.artistId, artistId)));
      if (!link) throw invalidArgument("input.artistId", `you do not track artist ${artistId}; track it first, or leave artistId out for every artist you track`);
    }
    const rules = await tx.select().from(alertRules).where(eq(alertRules.userId, userId));
    const same = rules.find(
      (r) => r.artistId === artistId && r.kind === input.kind && r.category === parameters.category && r.threshold === parameters.threshold && r.windowDays === parameters.windowDays,
    );
    if (same) return same;
    if (rules.length >= MAX_RULES_PER_USER) {
      throw new DomainError("BAD_USER_INPUT", `input: you hold ${MAX_RULES_PER_USER} alert rules, the most allowed; delete one first`, "input");
    }
    const [rule] = await tx
      .insert(alertRules)
      .values({ userId, artistId, kind: input.kind, ...parameters })
      .returning();
    return rule!;
  });
}

/** True when the rule was the user's and is gone; its notifications stay, without their rule. */
export async function deleteAlertRule(db: Database, userId: string, idInput: string): Promise<boolean> {
  const id = parseId(idInput, "id");
  const removed = await db
    .delete(alertRules)
    .where(and(eq(alertRules.id, id), eq(alertRules.userId, userId)))
    .returning({ id: alertRules.id });
  return removed.length > 0;
}

export const alertRulesOf = (db: Database, userId: string): Promise<AlertRuleRow[]> =>
  db.select().from(alertRules).where(eq(alertRules.userId, userId)).orderBy(asc(alertRules.createdAt), asc(alertRules.id));

/** Rules by id, for the loaders; only the viewer's own are found. */
export const alertRulesByIds = (db: Database, userId: string, ids: readonly string[]): Promise<AlertRuleRow[]> =>
  db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.userId, userId), isAnyOf(alertRules.id, ids)));
