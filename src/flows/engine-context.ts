import type { AppContext } from '../app-context.ts';
import type { PointOfSale, PosCapabilities } from '../core/ports/pos.ts';
import type { WholesaleSource } from '../core/ports/wholesale-source.ts';
import type { Connection } from '../store/repos/index.ts';

/** Builds the port implementations for a stored connection (credentials from the vault). */
export interface ConnectorResolver {
  wholesaleSource(connection: Connection): Promise<WholesaleSource>;
  pointOfSale(connection: Connection): Promise<PointOfSale>;
  /** What a POS system can do, without opening a connection (plans and progress read it). */
  posCapabilities(system: string): PosCapabilities;
}

/** What the export engine's flows run with: the app context plus the way to reach external systems. */
export interface EngineContext extends AppContext {
  connectors: ConnectorResolver;
  /** In demo mode, what the web app may pre-fill to link the simulators (never set in production). */
  demoHints?: Record<string, unknown>;
}
