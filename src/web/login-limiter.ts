/**
 * Slows token guessing: after `maxFailures` wrong tokens from one address within `windowMs`, that address is
 * refused (429) until the window has passed. The token has 256 bits; this keeps logs and CPU quiet, too.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Whether this address may try now. */
  allows(address: string, now: number): boolean {
    return this.recent(address, now).length < this.maxFailures;
  }

  /** A wrong token from this address. */
  failed(address: string, now: number): void {
    const list = this.recent(address, now);
    list.push(now);
    this.failures.set(address, list);
    // Bounded memory however many addresses try.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  /** Seconds until this address may try again (for Retry-After). */
  retryAfter(address: string, now: number): number {
    const first = this.recent(address, now)[0];
    return first === undefined ? 0 : Math.ceil((first + this.windowMs - now) / 1000);
  }

  private recent(address: string, now: number): number[] {
    const list = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(address);
    return list;
  }
}
