/**
 * Signals the bulk engine hands to each item's work. A request made with one of them leaves rate
 * limits and repeats of writes to the engine: a 429 is thrown at once (the engine re-queues the
 * item and adapts its window), and a write is never sent twice by the client (the engine checks
 * first). Reads keep their usual retries. A signal is passed through every provider call as is,
 * so it carries this from the engine to the client without a global context.
 */
const engineSignals = new WeakSet<AbortSignal>();

export function markEngineSignal(signal: AbortSignal): AbortSignal {
  engineSignals.add(signal);
  return signal;
}

export function isEngineSignal(signal: AbortSignal | undefined): boolean {
  return signal !== undefined && engineSignals.has(signal);
}
