import * as vscode from 'vscode';
import { redactText } from '../core/http/redact';
import { logLine, type Logger, type LogLevel } from '../core/logger';

/**
 * The extension's one LogOutputChannel, behind the core Logger interface. Every line is tagged with
 * its component and passes through redaction here, whatever its writer did: known key values and
 * credential-looking tokens, and at info and above emails (see logLine).
 */
export class Log implements Logger {
  private constructor(
    private readonly holder: { channel?: vscode.LogOutputChannel; readonly name: string },
    private readonly secrets: Set<string>,
    private readonly tag: string,
  ) {}

  /** The channel is made with the first line (or Show Log): activation makes none. */
  static create(name: string): Log {
    return new Log({ name }, new Set(), 'main');
  }

  get channel(): vscode.LogOutputChannel {
    this.holder.channel ??= vscode.window.createOutputChannel(this.holder.name, { log: true });
    return this.holder.channel;
  }

  /** Closes the channel, if one was made. */
  dispose(): void {
    this.holder.channel?.dispose();
  }

  /** The same channel, lines tagged `[tag]`. */
  child(tag: string): Log {
    return new Log(this.holder, this.secrets, tag);
  }

  /** A key value that must never be written; kept in memory only. */
  addSecret(value: string): void {
    if (value) this.secrets.add(value);
  }

  /** The text as it would be logged: for error messages shown to a person, too. */
  redact(text: string): string {
    return redactText(text, this.secrets);
  }

  trace(message: string): void {
    this.channel.trace(this.line('trace', message));
  }
  debug(message: string): void {
    this.channel.debug(this.line('debug', message));
  }
  info(message: string): void {
    this.channel.info(this.line('info', message));
  }
  warn(message: string): void {
    this.channel.warn(this.line('warn', message));
  }
  error(message: string): void {
    this.channel.error(this.line('error', message));
  }

  private line(level: LogLevel, message: string): string {
    return logLine(level, this.tag, message, this.secrets);
  }
}
