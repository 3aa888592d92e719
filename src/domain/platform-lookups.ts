import type { Executor } from "../db/client.js";
import { requireBudget, type Budget } from "./budgets.js";

/** Who a request's platform look-ups are made for, and how many they may make. */
export type LookupRequester = { userId: string; lookups: Omit<Budget, "key"> };

/**
 * Every look-up a user's request makes on a live platform (a new artist's profile, an account
 * to confirm) passes here first: they all spend the platforms' shared rate limit, so one user's
 * script may not starve every other user's syncs. Simulated platforms cost nothing.
 */
export const spendPlatformLookup = (executor: Executor, requester: LookupRequester, argument: string) =>
  requireBudget(executor, { key: `lookups:user:${requester.userId}`, ...requester.lookups }, `${argument}: too many platform look-ups`);
