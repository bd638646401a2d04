/**
 * An adaptive concurrency window, judged a round at a time: a round is the next `window` requests
 * sent, and it is judged when all of them have answered (about one round trip). A round with no
 * refusal grows the window: doubling while it has never been refused (slow start), then by one. A
 * round with refusals (429) sets the window to the number of its requests the server took: what it
 * holds at once. Requests sent before a decrease belong to their own round, so one burst of
 * refusals counts once. A Retry-After pauses every new request until then; rounds refused again and
 * again with no hint back off in time too.
 */
export interface WindowOptions {
  /** The cap (the `workspaceAccess.bulk.maxConcurrency` setting). */
  readonly maxConcurrency: number;
  /** Where the window starts; 16 by default (one refused round costs less than a slow ramp), never above the cap. */
  readonly initialConcurrency?: number;
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

const MAX_PAUSE_MS = 30_000;

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
  private readonly now: () => number;

  constructor(options: WindowOptions) {
    this.cap = Math.max(1, Math.floor(options.maxConcurrency));
    this.window = Math.min(this.cap, Math.max(1, Math.floor(options.initialConcurrency ?? 16)));
    this.now = options.now ?? Date.now;
  }

  /** How many requests may be in flight now. */
  get size(): number {
    return this.window;
  }

  /** Milliseconds until requests may go out again (0: now). */
  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.now());
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
            this.now() + Math.min(MAX_PAUSE_MS, 100 * 2 ** (this.strikes - 3)),
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
