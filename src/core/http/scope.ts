/**
 * Signals the bulk engine hands to each item's work. A request made with one of them leaves rate
 * limits and server failures to the engine: a 429, a 5xx or a timeout is thrown at once (the engine
 * re-queues or checks the item, adapts its window, and pauses the job in an outage). Writes are left to the engine too when it can check an item before resending (the task
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
