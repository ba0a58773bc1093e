/**
 * When a failed delivery is tried again: exponential backoff with "equal jitter" (half fixed, half random), so
 * retries spread out instead of hammering a receiver that just came back, yet never retry at once.
 */
export interface BackoffPolicy {
  max_attempts: number;
  backoff_base_seconds: number;
  backoff_max_seconds: number;
}

/** Milliseconds to wait after `attempts` failed tries, or null when the message should be dead-lettered. */
export function retryDelayMs(policy: BackoffPolicy, attempts: number, random: () => number): number | null {
  if (attempts >= policy.max_attempts) return null;
  const cap = Math.min(policy.backoff_max_seconds, policy.backoff_base_seconds * 2 ** Math.max(0, attempts - 1)) * 1000;
  return Math.round(cap / 2 + random() * (cap / 2));
}
