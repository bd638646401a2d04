import type { ConnectionInfo } from '../connections';
import type { Identity, Provider } from '../../core/provider';

/** What every node below a connection needs: its connection, the connection's provider, and who the key acts as. */
export interface NodeContext {
  readonly connection: ConnectionInfo;
  readonly provider: Provider;
  /** Admin actions show only when the key may do them (ElevenLabs: a workspace_admin seat). */
  readonly identity?: Identity;
}

export const canAdmin = (ctx: NodeContext): boolean => ctx.identity?.isAdmin ?? true;
