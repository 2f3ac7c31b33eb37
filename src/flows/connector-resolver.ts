import type { AppContext } from '../app-context.ts';
import { AppError } from '../core/errors.ts';
import { createNuorderSource } from '../connectors/nuorder/source.ts';
import { createXSeriesClient } from '../connectors/lightspeed-x/client.ts';
import { createLightspeedXPos, X_SERIES_BULK_LINE_LIMIT } from '../connectors/lightspeed-x/pos.ts';
import { createRSeriesClient, DEFAULT_API_BASE_URL as R_API_BASE_URL } from '../connectors/lightspeed-r/client.ts';
import { createLightspeedRPos } from '../connectors/lightspeed-r/pos.ts';
import { loadCredentials, storeBudgetStore, storeTokenStore } from './credentials.ts';
import type { ConnectorResolver } from './engine-context.ts';
import type { Connection } from '../store/repos/index.ts';

/**
 * Builds connectors from stored connections: credentials from the vault, budgets and token locks in the
 * store. Instances are kept per connection (until its record changes) so the facts a connector learns
 * about a store — its currency, attribute and brand ids — are looked up once per process, not per job.
 */
export function createConnectorResolver(ctx: AppContext): ConnectorResolver {
  const built = createUncachedResolver(ctx);
  const cache = new Map<string, { version: string; value: Promise<unknown> }>();
  // Rebuilt when what the connector is made from changes (relink, settings), not on every cursor move.
  const versionOf = (c: Connection): string =>
    JSON.stringify([
      c.status,
      c.baseUrl,
      c.secretId,
      c.externalAccountId,
      c.settings['submitStatus'] ?? null,
      c.settings['currency'] ?? null,
      c.settings['tokenUrl'] ?? null,
      c.settings['brandName'] ?? null,
      c.settings['retailerId'] ?? null,
    ]);
  const cached = <T>(kind: string, connection: Connection, build: () => Promise<T>): Promise<T> => {
    const key = `${kind}:${connection.id}`;
    const version = versionOf(connection);
    const hit = cache.get(key);
    if (hit && hit.version === version) return hit.value as Promise<T>;
    const value = build();
    cache.set(key, { version, value });
    value.catch(() => cache.delete(key));
    return value;
  };
  return {
    wholesaleSource: (connection) => cached('source', connection, () => built.wholesaleSource(connection)),
    pointOfSale: (connection) => cached('pos', connection, () => built.pointOfSale(connection)),
    posCapabilities: built.posCapabilities,
  };
}

function createUncachedResolver(ctx: AppContext): ConnectorResolver {
  const logger = ctx.logger;
  return {
    async wholesaleSource(connection) {
      if (connection.system !== 'nuorder')
        throw new AppError('INVALID_INPUT', `${connection.name} is not a wholesale connection`, { httpStatus: 400 });
      const credentials = await loadCredentials(ctx, connection.tenantId, connection.id);
      if (credentials.kind !== 'oauth1')
        throw new AppError('CONNECTION_NEEDS_RELINK', 'NuORDER credentials are missing; link again', {
          httpStatus: 409,
        });
      return createNuorderSource({
        baseUrl: connection.baseUrl,
        credentials: {
          consumerKey: credentials.consumerKey,
          consumerSecret: credentials.consumerSecret,
          token: credentials.token,
          tokenSecret: credentials.tokenSecret,
        },
        brand: {
          sourceId: String(connection.settings['brandId'] ?? connection.externalAccountId),
          name: String(connection.settings['brandName'] ?? connection.name),
        },
        // The merchant's store among the brand's retailers; none chosen → the source imports nothing.
        retailer:
          typeof connection.settings['retailerId'] === 'string'
            ? {
                sourceId: connection.settings['retailerId'],
                name: String(connection.settings['retailerName'] ?? connection.settings['retailerId']),
              }
            : null,
        logger,
      });
    },
    async pointOfSale(connection) {
      const tokens = storeTokenStore(ctx, connection.tenantId);
      const budgets = storeBudgetStore(ctx, connection.tenantId);
      const tokenUrl = String(connection.settings['tokenUrl'] ?? '');
      if (connection.system === 'lightspeed-x') {
        const provider = ctx.config.providers.lightspeedX;
        const clientId = provider.clientId ?? '';
        const client = createXSeriesClient({
          apiBaseUrl: connection.baseUrl,
          connectionId: connection.id,
          tokens,
          oauth: { tokenUrl, clientId, clientSecret: provider.clientSecret ?? '' },
          budgets,
          budgetKey: `lightspeed-x:${connection.externalAccountId}:${clientId}`,
          logger,
        });
        const backOffice = simulatorBackOffice('lightspeed-x', connection.baseUrl);
        return createLightspeedXPos(client, {
          submitStatus: connection.settings['submitStatus'] === 'SENT' ? 'SENT' : 'OPEN',
          ...(backOffice
            ? { purchaseOrderUrl: (id: string) => `${backOffice}/consignments/${encodeURIComponent(id)}` }
            : {}),
        });
      }
      if (connection.system === 'lightspeed-r') {
        const provider = ctx.config.providers.lightspeedR;
        const clientId = provider.clientId ?? '';
        const client = createRSeriesClient({
          apiBaseUrl: connection.baseUrl,
          accountId: connection.externalAccountId,
          connectionId: connection.id,
          tokens,
          oauth: { tokenUrl, clientId, ...(provider.clientSecret ? { clientSecret: provider.clientSecret } : {}) },
          budgets,
          budgetKey: `lightspeed-r:${connection.externalAccountId}:${clientId}`,
          logger,
        });
        const currency = connection.settings['currency'];
        const backOffice = simulatorBackOffice('lightspeed-r', connection.baseUrl);
        return createLightspeedRPos(client, {
          ...(typeof currency === 'string' ? { currency } : {}),
          ...(backOffice ? { purchaseOrderUrl: `${backOffice}/orders#order-{orderID}` } : {}),
        });
      }
      throw new AppError('INVALID_INPUT', `${connection.name} is not a point-of-sale connection`, { httpStatus: 400 });
    },
    posCapabilities(system) {
      if (system === 'lightspeed-x')
        return { system, bulkLineLimit: X_SERIES_BULK_LINE_LIMIT, addsVariantsToExistingParent: false };
      if (system === 'lightspeed-r') return { system, bulkLineLimit: 1, addsVariantsToExistingParent: true };
      throw new AppError('INVALID_INPUT', `${system} is not a point of sale`, { httpStatus: 400 });
    },
  };
}

/** Lightspeed's own API hosts; a connection anywhere else was linked on a configured base URL. */
const onLightspeed = {
  'lightspeed-x': (host: string) => host.endsWith('.retail.lightspeed.app') || host.endsWith('.vendhq.com'),
  'lightspeed-r': (host: string) => host === new URL(R_API_BASE_URL).hostname,
};

/**
 * Links to a purchase order must open where the PO is. A connection linked on a configured base URL
 * (LIGHTSPEED_X_BASE_URL / LIGHTSPEED_R_BASE_URL: a simulator, as in the demo and tests) keeps that URL,
 * and its POs are in that host's back office, not in the real POS web app the connectors link to by
 * default. Read from the connection, so every process (server, worker, CLI) makes the same link.
 */
function simulatorBackOffice(system: 'lightspeed-x' | 'lightspeed-r', connectionBaseUrl: string): string | undefined {
  if (!URL.canParse(connectionBaseUrl)) return undefined;
  const url = new URL(connectionBaseUrl);
  return onLightspeed[system](url.hostname) ? undefined : `${url.origin}/backoffice`;
}
