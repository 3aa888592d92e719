/** Errors the API reports to its callers; anything else is an internal error and is never shown. */
export type ErrorCode = "BAD_USER_INPUT" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "TOO_MANY_REQUESTS" | "SERVICE_UNAVAILABLE";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly argument?: string,
    /** More for the client to act on, in `extensions` (`retryAfter` in seconds, a `reason`). */
    readonly details?: Record<string, string | number>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Bad input: the message names the argument, e.g. `input.spotifyId: ...`. */
export const invalidArgument = (argument: string, problem: string) =>
  new DomainError("BAD_USER_INPUT", `${argument}: ${problem}`, argument);

export const unauthenticated = () =>
  new DomainError("UNAUTHENTICATED", "Sign in first: send 'Authorization: Bearer <token>'");
