/** The facts about a platform that every layer shares (each provider folder defines its own). */
export interface PlatformInfo {
  readonly id: string;
  /** The name people know the platform by. */
  readonly label: string;
  /** What a connection of this platform manages. */
  readonly container: string;
  readonly defaultBaseUrl: string;
  /** Header that carries the key, and how the value is written. */
  readonly authHeader: string;
  readonly authValue: (key: string) => string;
  /** Where a person creates a key. */
  readonly keyHelpUrl: string;
  /** The codicon on its connections. */
  readonly icon: string;
}
