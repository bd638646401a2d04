import type { ConnectionInfo } from '../connections';
import type { Identity, Provider } from '../../core/provider';

/** What every node below a connection needs: its connection, the connection's provider, and who the key acts as. */
export interface NodeContext {
  readonly connection: ConnectionInfo;
  readonly provider: Provider;
  /** Admin actions show only when the key may do them (ElevenLabs: a workspace_admin seat). */
  readonly identity?: Identity;
  /** Text the connection's tree is narrowed to (Filter…), as typed. */
  readonly filter?: string;
}

/** Whether an item's name or email holds the filter text. */
export function matchesFilter(ctx: NodeContext, ...texts: (string | undefined)[]): boolean {
  const needle = ctx.filter?.toLowerCase();
  return !needle || texts.some((t) => t?.toLowerCase().includes(needle));
}

export const canAdmin = (ctx: NodeContext): boolean => ctx.identity?.isAdmin ?? true;
