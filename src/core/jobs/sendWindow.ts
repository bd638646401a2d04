/**
 * An adaptive concurrency window, judged a round at a time: a round is the next `window` requests
 * sent, and it is judged when all of them have answered (about one round trip). A round with no
 * refusal grows the window: doubling while it has never been refused (slow start), then by one. A
 * round with refusals (429) sets the window to the number of its requests the server took: what it
 * holds at once. Requests sent before a decrease belong to their own round, so one burst of
 * refusals counts once. A Retry-After pauses every new request until then; rounds refused again and
 * again with no hint back off in time too. An item waits for rate limits a bounded time in all (its
 * budget); past it, the engine pauses the job, as in an outage.
 */
export interface WindowOptions {
  /** The cap (the `workspaceAccess.bulk.maxConcurrency` setting). */
  readonly maxConcurrency: number;
  /** Where the window starts; 16 by default (one refused round costs less than a slow ramp), never above the cap. */
  readonly initialConcurrency?: number;
  /** How long one item may wait for rate limits in all (`RATE_LIMIT_BUDGET_MS` by default). */
  readonly rateLimitBudgetMs?: number;
  /** For tests. */
  readonly now?: () => number;
}

/** Which round a request belongs to. */
export type Ticket = number;

interface Round {
  sent: number;
  taken: number;
  refused: number;
  retryAfter: boolean;
}

/** Where the window starts, by default. */
export const DEFAULT_INITIAL_CONCURRENCY = 16;
/** The longest pause one refusal imposes on every request, Retry-After or backoff. */
export const MAX_PAUSE_MS = 30_000;
/** The first backoff step when rounds are refused again and again with no Retry-After (doubled each round). */
export const BACKOFF_BASE_MS = 100;
/**
 * How long one item waits for rate limits in all, from its first refusal, before the job pauses: the
 * same as one call's budget (core/http/retry.ts), so neither waits minutes for a platform that refuses.
 */
export const RATE_LIMIT_BUDGET_MS = 60_000;

export class AdaptiveWindow {
  private window: number;
  private threshold = Number.POSITIVE_INFINITY;
  private pausedUntil = 0;
  /** Refused rounds in a row, for a backoff when the server gives no Retry-After. */
  private strikes = 0;
  private readonly rounds = new Map<number, Round>();
  /** The round new requests join, and the oldest round not judged yet. */
  private sending = 0;
  private judging = 0;
  private readonly cap: number;
  readonly now: () => number;
  /** How long one item may wait for rate limits in all. */
  readonly budgetMs: number;

  constructor(options: WindowOptions) {
    this.cap = Math.max(1, Math.floor(options.maxConcurrency));
    this.window = Math.min(
      this.cap,
      Math.max(1, Math.floor(options.initialConcurrency ?? DEFAULT_INITIAL_CONCURRENCY)),
    );
    this.now = options.now ?? Date.now;
    this.budgetMs = options.rateLimitBudgetMs ?? RATE_LIMIT_BUDGET_MS;
  }

  /** How many requests may be in flight now. */
  get size(): number {
    return this.window;
  }

  /** Milliseconds until requests may go out again (0: now). */
  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  /**
   * Whether an item refused first at `since` (epoch ms, on this window's clock), refused again just
   * now, is past its budget once it waits what the platform asked (`retryAfterMs`, taken whole,
   * however far) or the window's pause. Called after `rateLimited`.
   */
  pastBudget(since: number, retryAfterMs: number | undefined): boolean {
    return this.now() - since + (retryAfterMs ?? this.pausedFor()) > this.budgetMs;
  }

  sent(): Ticket {
    let round = this.round(this.sending);
    if (round.sent >= this.window) {
      this.sending++;
      this.judge(); // the full round may have answered already
      round = this.round(this.sending);
    }
    round.sent++;
    return this.sending;
  }

  succeeded(ticket: Ticket): void {
    this.round(ticket).taken++;
    this.judge();
  }

  /**
   * The server failed the request (a 5xx, a timeout): congestion, judged like a refusal. The window
   * shrinks to what the round took, and rounds failed again and again back off in time.
   */
  congested(ticket: Ticket, retryAfterMs?: number): void {
    this.rateLimited(ticket, retryAfterMs);
  }

  rateLimited(ticket: Ticket, retryAfterMs?: number): void {
    const round = this.round(ticket);
    round.refused++;
    // Do not wait for the round's end to stop over-sending: it cannot hold more than it did not refuse.
    this.window = Math.max(1, Math.min(this.window, round.sent - round.refused));
    if (retryAfterMs !== undefined) {
      round.retryAfter = true;
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(retryAfterMs, MAX_PAUSE_MS));
    }
    this.judge();
  }

  /** The request ended some other way (an error, a cancellation): it says nothing of the limit. */
  ended(ticket: Ticket): void {
    this.round(ticket).sent--;
    this.judge();
  }

  private round(n: number): Round {
    let r = this.rounds.get(n);
    if (!r) this.rounds.set(n, (r = { sent: 0, taken: 0, refused: 0, retryAfter: false }));
    return r;
  }

  /** Judges every finished round, oldest first. A round is finished when it is full and all of it answered. */
  private judge(): void {
    for (;;) {
      const r = this.rounds.get(this.judging);
      if (!r || this.judging >= this.sending || r.taken + r.refused < r.sent) return;
      if (r.refused > 0) {
        this.window = Math.max(1, Math.min(this.window, r.taken));
        this.threshold = this.window;
        if (!r.retryAfter && ++this.strikes >= 3) {
          this.pausedUntil = Math.max(
            this.pausedUntil,
            this.now() + Math.min(MAX_PAUSE_MS, BACKOFF_BASE_MS * 2 ** (this.strikes - 3)),
          );
        }
      } else if (r.sent > 0) {
        this.strikes = 0;
        this.window = Math.min(
          this.cap,
          this.window < this.threshold ? Math.min(this.threshold, Math.ceil(this.window * 1.5)) : this.window + 1,
        );
      }
      this.rounds.delete(this.judging++);
    }
  }
}
