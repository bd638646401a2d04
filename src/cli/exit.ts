/**
 * The command line's exit codes, for the workflows that act on them (`--help` and the README list
 * them). Each outcome a pipeline treats differently has a code of its own.
 */
export const EXIT = {
  /** plan, drift: live matches the file; apply: every change done; export: written. */
  ok: 0,
  /** A runtime error: the file's problems, a missing key, a platform that failed, a refused change. */
  error: 1,
  /** plan, drift: changes are pending (apply would make them). */
  pending: 2,
  /** Live differs in ways the file cannot fix (a change no key here can make): someone must look. */
  cannot: 3,
  /**
   * apply PLAN: the saved plan is stale, so nothing was sent: the access file's bytes, the tool's
   * version, or the live state one of its changes was computed from differ from when it was made.
   * A workflow plans again and has the new plan reviewed; it does not retry.
   */
  stale: 4,
  /** apply: changes that remove access, demote or move ownership, and no --yes: nothing was sent. */
  needsYes: 5,
  /** findings: something asks for action (someone who left, an unknown or external account, an inactive seat…). */
  findings: 6,
  /**
   * review status: items are undecided, or the review's due date has passed before it closed. A
   * workflow keeps the review's pull request open (and may remind its reviewers); it is not an error.
   */
  undecided: 7,
  /**
   * review verify: the evidence chain is broken: an evidence file (or its Markdown or CSV) was
   * changed, removed or reordered since its review closed. The message names the first such file.
   */
  tampered: 8,
  /** The command line itself is wrong: an unknown command or option, a bad value. */
  usage: 64,
  /** Interrupted (Ctrl+C, SIGTERM): changes in flight finished, the rest were not sent. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
