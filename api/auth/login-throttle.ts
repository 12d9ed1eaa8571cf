/**
 * When a username may try to log in again, from its recent failures (kept in PostgreSQL so every process and
 * every restart sees them). Unknown usernames are throttled exactly like real ones, so answers never reveal
 * whether an account exists.
 */
export const LOGIN_POLICY = {
  /** Failures within this window count. */
  windowMs: 15 * 60_000,
  /** This many failures within the window lock the username. */
  maxFailures: 5,
  /** The lock lasts this long after the last failure. */
  lockMs: 15 * 60_000,
  /** Wait before the next attempt after the first failure; doubles with each further failure. */
  firstDelayMs: 1_000,
} as const;

export type LoginGate =
  | { state: 'open' }
  | { state: 'delayed'; retryAfterSeconds: number }
  | { state: 'locked'; retryAfterSeconds: number };

/** `failures` are the failure times within the window, oldest first. */
export function loginGate(failures: Date[], now: Date): LoginGate {
  const last = failures.at(-1);
  if (!last) return { state: 'open' };
  const waitUntil =
    failures.length >= LOGIN_POLICY.maxFailures
      ? last.getTime() + LOGIN_POLICY.lockMs
      : last.getTime() + LOGIN_POLICY.firstDelayMs * 2 ** (failures.length - 1);
  const waitMs = waitUntil - now.getTime();
  if (waitMs <= 0) return { state: 'open' };
  const retryAfterSeconds = Math.ceil(waitMs / 1000);
  return failures.length >= LOGIN_POLICY.maxFailures ? { state: 'locked', retryAfterSeconds } : { state: 'delayed', retryAfterSeconds };
}

export function loginWindowStart(now: Date): Date {
  return new Date(now.getTime() - LOGIN_POLICY.windowMs);
}
