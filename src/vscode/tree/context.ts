import type { ConnectionInfo } from '../connections';
import type { Provider } from '../../core/provider';

/** What every node below a connection needs: its connection and the connection's provider. */
export interface NodeContext {
  readonly connection: ConnectionInfo;
  readonly provider: Provider;
}
