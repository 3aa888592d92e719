import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../logger.js";
import { ProviderUnavailableError, type CallOptions, type Service } from "./provider.js";
import type { RateLimiter } from "./rate-limiter.js";

export type HttpOptions = {
  platform: Service;
  timeoutMs: number;
  maxRetries: number;
  limiter: RateLimiter;
  logger: Logger;
  /** First backoff step; doubles with each retry. */
  backoffMs?: number;
};

/** An answer after the transport's own failures have been retried away. */
export type HttpAnswer = { status: number; headers: Headers; body: unknown };

/**
 * What the caller makes of an answer: `retry` asks for another try, `wait` says the platform set
 * a time to come back (Retry-After, an exhausted quota), anything else is the caller's result.
 */
export type Verdict<T> = { retry: true; reason: string } | { wait: number; reason: string } | { retry: false; value: T };

/** The promise's outcome, or ProviderUnavailableError as soon as `signal` aborts (the promise goes on for others). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, platform: Service): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ProviderUnavailableError(platform, "gave up at the call's deadline"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

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
 * Sends a request within the platform's rate limit, with a timeout per attempt and the caller's
 * deadline over them all; retries timeouts, network errors and what `judge` asks to retry, with
 * exponential backoff. A time to come back the platform sets is never slept through here: it is
 * reported (ProviderUnavailableError.retryAfterMs), so a job is rescheduled for then and a request
 * answers without waiting.
 */
export async function callProvider<T>(options: HttpOptions, url: string, init: RequestInit, judge: (answer: HttpAnswer) => Verdict<T>, call: CallOptions = {}): Promise<T> {
  const { platform, maxRetries, logger } = options;
  const backoff = options.backoffMs ?? 500;
  const { signal } = call;
  let lastReason = "no answer";
  const gaveUp = () => new ProviderUnavailableError(platform, `${lastReason}; gave up at the call's deadline`);
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    try {
      await options.limiter.acquire(platform, signal);
    } catch (error) {
      if (signal?.aborted) throw gaveUp();
      throw error;
    }
    try {
      const attemptSignal = signal ? AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs);
      const response = await fetch(url, { ...init, signal: attemptSignal });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (a proxy's error page, say): judged on its status alone.
      }
      const verdict = judge({ status: response.status, headers: response.headers, body });
      if ("wait" in verdict) throw new ProviderUnavailableError(platform, verdict.reason, verdict.wait);
      if (!verdict.retry) return verdict.value;
      lastReason = verdict.reason;
    } catch (error) {
      if (!(error instanceof Error) || !["TimeoutError", "AbortError", "TypeError"].includes(error.name)) throw error;
      if (signal?.aborted) throw gaveUp();
      lastReason = error.name === "TypeError" ? `network error (${error.message})` : `no answer within ${options.timeoutMs} ms`;
    }
    if (attempt < maxRetries) {
      const delay = backoff * 2 ** attempt * (0.75 + Math.random() * 0.5);
      logger.warn({ platform, attempt: attempt + 1, delayMs: Math.round(delay), reason: lastReason }, "provider call will be retried");
      await sleep(delay, undefined, { signal }).catch(() => {
        throw gaveUp();
      });
    }
  }
  throw new ProviderUnavailableError(platform, `${lastReason} after ${maxRetries + 1} attempts`);
}
