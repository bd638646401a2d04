import * as vscode from 'vscode';
import { redactText } from '../core/http/redact';
import type { Logger } from '../core/logger';

/**
 * The extension's one LogOutputChannel, behind the core Logger interface. Every line is tagged with
 * its component and passes through redaction: known key values and credential-looking tokens.
 */
export class Log implements Logger {
  private constructor(
    readonly channel: vscode.LogOutputChannel,
    private readonly secrets: Set<string>,
    private readonly tag: string,
  ) {}

  static create(name: string): Log {
    return new Log(vscode.window.createOutputChannel(name, { log: true }), new Set(), 'main');
  }

  /** The same channel, lines tagged `[tag]`. */
  child(tag: string): Log {
    return new Log(this.channel, this.secrets, tag);
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
    this.channel.trace(this.line(message));
  }
  debug(message: string): void {
    this.channel.debug(this.line(message));
  }
  info(message: string): void {
    this.channel.info(this.line(message));
  }
  warn(message: string): void {
    this.channel.warn(this.line(message));
  }
  error(message: string): void {
    this.channel.error(this.line(message));
  }

  private line(message: string): string {
    return `[${this.tag}] ${this.redact(message)}`;
  }
}
