import type { AppContext } from '../app-context.ts';
import type { ConnectorRegistry } from './port-registry.ts';

/** @deprecated the registry (port-registry.ts) is the one way to reach external systems; kept for older imports. */
export type ConnectorResolver = ConnectorRegistry;

/** What the export engine's flows run with: the app context plus the way to reach external systems. */
export interface EngineContext extends AppContext {
  connectors: ConnectorRegistry;
  /** In demo mode, what the web app may pre-fill to link the simulators (never set in production). */
  demoHints?: Record<string, unknown>;
}
