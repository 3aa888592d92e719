import type { AlertKindValue, NotificationFacts } from "../../db/schema.js";
import { platformName } from "../platform-names.js";


const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A fraction as a signed percentage a person reads: +18%, +4.5%, -3%. */
export function percent(fraction: number): string {
  const value = fraction * 100;
  const rounded = Math.abs(value) >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded >= 0 ? "+" : ""}${rounded}%`;
}

const score = (value: number) => value.toFixed(1);

/** "score 99.2, +18% in 7 days", leaving out what is unknown. */
function momentumDetails(facts: NotificationFacts, withScore: boolean): string {
  const parts = [
    ...(withScore && facts.score !== undefined ? [`score ${score(facts.score)}`] : []),
    ...(facts.growth7d !== null && facts.growth7d !== undefined ? [`${percent(facts.growth7d)} in 7 days`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/**
 * What happened, in one sentence, from the figures stored with the notification and the
 * artist's current name (a name found by a later sync replaces a placeholder).
 */
export function notificationMessage(kind: AlertKindValue, artistName: string, facts: NotificationFacts): string {
  switch (kind) {
    case "category_reached":
      return `${artistName} reached ${(facts.category ?? "").toUpperCase()} momentum${momentumDetails(facts, true)}`;
    case "score_above":
      return `${artistName}'s momentum score rose above ${facts.threshold} to ${score(facts.score ?? 0)}${momentumDetails(facts, false)}`;
    case "growth_above": {
      const days = facts.windowDays ?? 7;
      const growth = days === 28 ? facts.growth28d : facts.growth7d;
      const audience = facts.audience !== undefined ? ` to ${count.format(facts.audience)} followers` : "";
      return `${artistName}'s audience grew ${percent(growth ?? 0)} in ${days} days${audience}, above ${percent(facts.threshold ?? 0)}`;
    }
    case "new_high": {
      const highs = (facts.highs ?? []).map((h) => `${count.format(h.value)} followers on ${platformName(h.platform)}`);
      return `${artistName} reached an all-time high of ${highs.join(" and ")}`;
    }
  }
}
