import type { Logger } from "../logger.js";
import { ProviderUnavailableError, type SyncedPlatform } from "./provider.js";
import type { RateLimiter } from "./rate-limiter.js";

export type HttpOptions = {
  platform: SyncedPlatform;
  timeoutMs: number;
  maxRetries: number;
  limiter: RateLimiter;
  logger: Logger;
  /** Longest Retry-After worth waiting for inside one call; a longer one fails the call. */
  maxRetryAfterMs?: number;
  /** First backoff step; doubles with each retry. */
  backoffMs?: number;
};

/** An answer after the transport's own failures have been retried away. */
export type HttpAnswer = { status: number; headers: Headers; body: unknown };

/**
 * What the caller makes of an answer: `retry` asks for another try (after `afterMs` when the
 * provider said so), anything else is the caller's result.
 */
export type Verdict<T> = { retry: true; afterMs?: number; reason: string } | { retry: false; value: T };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds (the only form Spotify sends) or as an HTTP date. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Sends a request within the platform's rate limit, with a timeout; retries timeouts, network
 * errors and what `judge` asks to retry, with exponential backoff that honours Retry-After.
 */
export async function callProvider<T>(options: HttpOptions, url: string, init: RequestInit, judge: (answer: HttpAnswer) => Verdict<T>): Promise<T> {
  const { platform, maxRetries, logger } = options;
  const backoff = options.backoffMs ?? 500;
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  let lastReason = "no answer";
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    let waitMs: number | undefined;
    await options.limiter.acquire(platform);
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (a proxy's error page, say): judged on its status alone.
      }
      const verdict = judge({ status: response.status, headers: response.headers, body });
      if (!verdict.retry) return verdict.value;
      lastReason = verdict.reason;
      waitMs = verdict.afterMs;
    } catch (error) {
      if (!(error instanceof Error) || !["TimeoutError", "AbortError", "TypeError"].includes(error.name)) throw error;
      lastReason = error.name === "TypeError" ? `network error (${error.message})` : `no answer within ${options.timeoutMs} ms`;
    }
    if (waitMs !== undefined && waitMs > maxRetryAfter) {
      throw new ProviderUnavailableError(platform, `${lastReason}; asked to wait ${Math.round(waitMs / 1000)} s`, waitMs);
    }
    if (attempt < maxRetries) {
      const delay = waitMs ?? backoff * 2 ** attempt * (0.75 + Math.random() * 0.5);
      logger.warn({ platform, attempt: attempt + 1, delayMs: Math.round(delay), reason: lastReason }, "provider call will be retried");
      await sleep(delay);
    }
  }
  throw new ProviderUnavailableError(platform, `${lastReason} after ${maxRetries + 1} attempts`);
}
