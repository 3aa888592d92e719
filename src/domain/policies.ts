import type { Budget } from "./budgets.js";
import type { RequestBudgets } from "./request-budgets.js";
import type { SignInPolicy } from "./users.js";

/** The limits the domain enforces, as configured (see README's configuration table). */
export type Policies = {
  signIn: SignInPolicy;
  /** Per user: the platform look-ups their mutations make (tracking a new artist, linking an account). */
  platformLookups: Omit<Budget, "key">;
  /** Per user and per API key: requests of any kind. */
  requests: RequestBudgets;
};
