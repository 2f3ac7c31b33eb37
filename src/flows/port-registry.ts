/**
 * The one connector registry, built by the composition root (src/main.ts) from the manifests the connector folders
 * export. Flows open ports through it and never name a system: adding one is a folder and a line in main.ts.
 * Ports are kept per connection (until what the connector is made from changes) so the facts a connector learns
 * about an account (its currency, attribute and brand ids) are looked up once per process, not per job.
 */
import type { AppContext } from '../app-context.ts';
import { AppError } from '../core/errors.ts';
import type {
  ConnectionCredentials,
  ConnectorDeps,
  ConnectorKind,
  ConnectorManifest,
  ConnectorPorts,
  LinkedAccount,
  ProviderSettings,
} from '../core/ports/connection.ts';
import type { PosCapabilities } from '../core/ports/pos.ts';
import type { Connection } from '../store/repos/index.ts';
import { loadCredentials, storeBudgetStore, storeTokenStore } from './credentials.ts';

export type PortName = keyof ConnectorPorts;

export interface ConnectorRegistry {
  manifest(system: string): ConnectorManifest | undefined;
  /** The systems of a kind (every one when no kind is given), in the order they were registered. */
  systems(kind?: ConnectorKind): string[];
  /** What a person reads for a system: its label and short label (its name, when none is registered). */
  labels(system: string): { label: string; shortLabel: string };
  isPos(system: string): boolean;
  /** The settings a connection's connector is made from (its manifest's settingsRead), as one comparable value. */
  settingsScope(connection: Connection): string;
  /** What a POS system can do, without opening a connection (plans and progress read it). */
  posCapabilities(system: string): PosCapabilities;
  /** Where a system is and the app we are registered as there (the configuration only). */
  provider(system: string): ProviderSettings;
  pointOfSale(connection: Connection): Promise<ConnectorPorts['pointOfSale']>;
  wholesaleSource(connection: Connection): Promise<ConnectorPorts['wholesaleSource']>;
  posSales(connection: Connection): Promise<ConnectorPorts['posSales']>;
  erpSalesOrders(connection: Connection): Promise<ConnectorPorts['erpSalesOrders']>;
  purchaseOrderShipmentFacts(connection: Connection): Promise<ConnectorPorts['purchaseOrderShipmentFacts']>;
  purchaseOrderChanges(connection: Connection): Promise<ConnectorPorts['purchaseOrderChanges']>;
  purchaseOrderReceiving(connection: Connection): Promise<ConnectorPorts['purchaseOrderReceiving']>;
  wholesaleOrderCreation(connection: Connection): Promise<ConnectorPorts['wholesaleOrderCreation']>;
  purchaseOrderFeed(connection: Connection): Promise<ConnectorPorts['purchaseOrderFeed']>;
  /** A port for an account not stored yet, with the credentials a link is checking (nothing cached). */
  probe<K extends PortName>(
    port: K,
    account: LinkedAccount,
    credentials: ConnectionCredentials,
  ): Promise<ConnectorPorts[K]>;
}

const emptyProvider: ProviderSettings = { baseUrl: null, clientId: null, clientSecret: null };

export function createConnectorRegistry(ctx: AppContext, manifests: readonly ConnectorManifest[]): ConnectorRegistry {
  const bySystem = new Map<string, ConnectorManifest>();
  for (const m of manifests) {
    if (bySystem.has(m.system)) throw new Error(`connector ${m.system} is registered twice`);
    bySystem.set(m.system, m);
  }
  const require = (system: string): ConnectorManifest => {
    const found = bySystem.get(system);
    if (!found) throw new AppError('CONNECTION_INVALID', `No connector is registered for ${system}`);
    return found;
  };
  const provider = (system: string): ProviderSettings => {
    const key = bySystem.get(system)?.configKey;
    const configured = key ? (ctx.config.providers as unknown as Record<string, Partial<ProviderSettings>>)[key] : {};
    return { ...emptyProvider, ...configured };
  };
  const depsFor = (account: LinkedAccount, credentials: () => Promise<ConnectionCredentials>): ConnectorDeps => ({
    provider: provider(account.system),
    credentials,
    tokens: storeTokenStore(ctx, account.tenantId),
    budgets: storeBudgetStore(ctx, account.tenantId),
    logger: ctx.logger,
  });
  const openPort = <K extends PortName>(
    port: K,
    account: LinkedAccount,
    credentials: () => Promise<ConnectionCredentials>,
  ): Promise<ConnectorPorts[K]> => {
    const manifest = require(account.system);
    const open = manifest.open[port] as
      ((deps: ConnectorDeps, account: LinkedAccount) => Promise<ConnectorPorts[K]>) | undefined;
    if (!open)
      throw new AppError('CONNECTION_INVALID', `${account.name} (${manifest.label}) offers no ${portWords[port]}`);
    return open(depsFor(account, credentials), account);
  };

  const cache = new Map<string, { version: string; value: Promise<unknown> }>();
  // Rebuilt when what the connector is made from changes (relink, the settings it reads), not on a cursor move.
  const settingsScope = (c: Connection): string =>
    JSON.stringify((bySystem.get(c.system)?.settingsRead ?? []).map((key) => c.settings[key] ?? null));
  const versionOf = (c: Connection): string =>
    JSON.stringify([c.status, c.baseUrl, c.secretId, c.externalAccountId, settingsScope(c)]);
  const cached = <K extends PortName>(port: K, connection: Connection): Promise<ConnectorPorts[K]> => {
    const key = `${port}:${connection.id}`;
    const version = versionOf(connection);
    const hit = cache.get(key);
    if (hit && hit.version === version) return hit.value as Promise<ConnectorPorts[K]>;
    const value = openPort(port, connection, () => loadCredentials(ctx, connection.tenantId, connection.id));
    cache.set(key, { version, value });
    value.catch(() => cache.delete(key));
    return value;
  };

  return {
    manifest: (system) => bySystem.get(system),
    systems: (kind) => manifests.filter((m) => kind === undefined || m.kind === kind).map((m) => m.system),
    labels(system) {
      const m = bySystem.get(system);
      return { label: m?.label ?? system, shortLabel: m?.shortLabel ?? m?.label ?? system };
    },
    isPos: (system) => bySystem.get(system)?.kind === 'pos',
    settingsScope,
    posCapabilities(system) {
      const manifest = require(system);
      if (manifest.kind !== 'pos' || !manifest.capabilities)
        throw new AppError('CONNECTION_INVALID', `${manifest.label} is not a point of sale`);
      return { system, ...manifest.capabilities };
    },
    provider,
    pointOfSale: (connection) => cached('pointOfSale', connection),
    wholesaleSource: (connection) => cached('wholesaleSource', connection),
    posSales: (connection) => cached('posSales', connection),
    erpSalesOrders: (connection) => cached('erpSalesOrders', connection),
    purchaseOrderShipmentFacts: (connection) => cached('purchaseOrderShipmentFacts', connection),
    purchaseOrderChanges: (connection) => cached('purchaseOrderChanges', connection),
    purchaseOrderReceiving: (connection) => cached('purchaseOrderReceiving', connection),
    wholesaleOrderCreation: (connection) => cached('wholesaleOrderCreation', connection),
    purchaseOrderFeed: (connection) => cached('purchaseOrderFeed', connection),
    probe: (port, account, credentials) => openPort(port, account, async () => credentials),
  };
}

const portWords: Record<PortName, string> = {
  pointOfSale: 'point of sale',
  wholesaleSource: 'wholesale orders',
  posSales: 'POS sales',
  erpSalesOrders: 'ERP sales orders',
  purchaseOrderShipmentFacts: 'shipment facts on purchase orders',
  purchaseOrderChanges: 'purchase order changes',
  purchaseOrderReceiving: 'receiving against purchase orders',
  wholesaleOrderCreation: 'sending new orders',
  purchaseOrderFeed: 'a feed of purchase orders made in the POS',
};
