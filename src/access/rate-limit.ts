/**
 * Requests per second per caller (an API key, or an address for calls without one), as a token bucket in this
 * process: a caller may burst to `burst` requests, then `perSecond` on average. With several API processes each
 * keeps its own buckets, so a caller spread over N processes may reach N times the rate (a shared limit would cost
 * a database write per request; the limit is there to stop a runaway client, not to meter).
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** RAINCHECK_RATE_LIMIT=<per second>[/<burst>], e.g. `200/400`; `0` turns limiting off. */
export function rateLimitFromEnv(value = process.env.RAINCHECK_RATE_LIMIT, fallback: RateLimit = { perSecond: 200, burst: 400 }): RateLimit | undefined {
  if (value === undefined || value === '') return fallback;
  const m = /^(\d+)(?:\/(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`RAINCHECK_RATE_LIMIT must look like 200 or 200/400 (requests per second / burst), not '${value}'`);
  const perSecond = Number(m[1]);
  if (perSecond === 0) return undefined;
  return { perSecond, burst: Number(m[2] ?? perSecond * 2) };
}

const maxCallers = 10_000;

export function rateLimiter(limit: RateLimit, now: () => number = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  // A bucket that has refilled carries no information: forget those, so many distinct addresses cannot grow the map.
  const sweep = (t: number) => {
    for (const [k, b] of buckets) if (b.tokens + ((t - b.at) / 1000) * limit.perSecond >= limit.burst) buckets.delete(k);
  };
  return {
    /** Takes one request from the caller's bucket: 0 if allowed, else the seconds to wait. */
    take(caller: string): number {
      const t = now();
      if (buckets.size > maxCallers) sweep(t);
      const bucket = buckets.get(caller) ?? { tokens: limit.burst, at: t };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond);
      bucket.at = t;
      buckets.set(caller, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / limit.perSecond);
    },
  };
}
