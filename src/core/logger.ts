import { redactText } from './http/redact';
import { maskPersonal } from './personal';

/** The logging surface core and providers write to. The VS Code layer backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = keyof Logger;

/**
 * A line as the log keeps it: tagged with its component, every key value and credential-looking
 * token redacted, and at info, warning and error every email masked (a platform's error text, a
 * request path). Debug and trace keep people: they are where per-person lines go.
 */
export function logLine(level: LogLevel, tag: string, message: string, secrets: Iterable<string>): string {
  const redacted = redactText(message, secrets);
  return `[${tag}] ${level === 'debug' || level === 'trace' ? redacted : maskPersonal(redacted)}`;
}
