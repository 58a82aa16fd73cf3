/**
 * Capped exponential backoff with full jitter: the n-th retry waits a random time in
 * [0, min(cap, base × 2^(n−1))). Jitter spreads the retries of many clients instead of having
 * them hit a recovering server together (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function retryDelayMs(retry: number, policy: { baseMs: number; capMs: number }, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
