/**
 * Signals the bulk engine hands to each item's work. A request made with one of them leaves rate
 * limits to the engine: a 429 is thrown at once (the engine re-queues the item and adapts its
 * window). When the task can check an item (verify), 5xx answers and timeouts are thrown at once too
 * (the engine checks, adapts its window, and pauses the job in an outage); otherwise the client
 * retries what is safe to repeat first. Writes are left to the engine too when it can check an item before resending (the task
 * has a verify step); otherwise the client keeps repeating idempotent writes itself, and a
 * non-idempotent write is never repeated by either. Reads keep their usual retries. A signal is
 * passed through every provider call as is, so it carries this from the engine to the client
 * without a global context.
 */
export interface EngineScope {
  /** The engine checks (verify) before sending a write again, so the client must not repeat one. */
  readonly verifies: boolean;
}

const engineSignals = new WeakMap<AbortSignal, EngineScope>();

export function markEngineSignal(signal: AbortSignal, scope: EngineScope): AbortSignal {
  engineSignals.set(signal, scope);
  return signal;
}

export function engineScopeOf(signal: AbortSignal | undefined): EngineScope | undefined {
  return signal ? engineSignals.get(signal) : undefined;
}
