/**
 * Lightspeed Retail X-Series: the one manifest the composition root registers (src/main.ts). One client builder
 * for both ports this connector offers (purchase orders, sales), so they share token URL, timeout and budget key.
 */
import type { ConnectorDeps, ConnectorManifest, LinkedAccount } from '../../core/ports/connection.ts';
import { X_SERIES_PO_CHANGES } from '../../core/po-change-rules.ts';
import { X_SERIES_SHAPE } from '../../core/variant-shape.ts';
import { createXSeriesClient, type XSeriesClient } from './client.ts';
import { apiBaseUrlFor, assertDomainPrefix, authBaseUrlFor, authorizeUrl, exchangeCode, tokenUrlFor } from './link.ts';
import { createXSeriesPoChanges } from './po-changes.ts';
import { createXSeriesPoFeed } from './po-feed.ts';
import { createLightspeedXPos, X_SERIES_BULK_LINE_LIMIT } from './pos.ts';
import { createXSeriesReceiving } from './receiving.ts';
import { createXSeriesSales } from './sales.ts';
import { createXSeriesShipmentFacts } from './shipment-facts.ts';

/** The authenticated client of a linked store: token refresh under the store's lock, the shared rate budget. */
export function xSeriesClientFor(deps: ConnectorDeps, account: LinkedAccount): XSeriesClient {
  const origin = account.baseUrl.replace(/\/+$/, '');
  const clientId = deps.provider.clientId ?? '';
  const tokenUrl =
    typeof account.settings['tokenUrl'] === 'string' ? account.settings['tokenUrl'] : `${origin}/api/1.0/token`;
  return createXSeriesClient({
    apiBaseUrl: origin,
    connectionId: account.id,
    tokens: deps.tokens,
    oauth: { tokenUrl, clientId, clientSecret: deps.provider.clientSecret ?? '' },
    budgets: deps.budgets,
    budgetKey: `lightspeed-x:${account.externalAccountId}:${clientId}`,
    logger: deps.logger,
  });
}

/** Lightspeed's own API hosts; a connection anywhere else was linked on a configured base URL (a simulator). */
const onLightspeed = (host: string): boolean => host.endsWith('.retail.lightspeed.app') || host.endsWith('.vendhq.com');

/**
 * Links to a purchase order open where the PO is: a connection linked on a configured base URL (the demo, tests)
 * links into that host's back office, not the real POS web app. Read from the connection, so every process
 * makes the same link.
 */
function backOffice(baseUrl: string): string | undefined {
  if (!URL.canParse(baseUrl)) return undefined;
  const url = new URL(baseUrl);
  return onLightspeed(url.hostname) ? undefined : `${url.origin}/backoffice`;
}

function xSeriesPos(deps: ConnectorDeps, account: LinkedAccount) {
  const office = backOffice(account.baseUrl);
  return createLightspeedXPos(xSeriesClientFor(deps, account), {
    submitStatus: account.settings['submitStatus'] === 'SENT' ? 'SENT' : 'OPEN',
    ...(office ? { purchaseOrderUrl: (id: string) => `${office}/consignments/${encodeURIComponent(id)}` } : {}),
  });
}

export const lightspeedX: ConnectorManifest = {
  system: 'lightspeed-x',
  kind: 'pos',
  label: 'Lightspeed Retail (X-Series)',
  shortLabel: 'X-Series',
  appName: 'Retail POS',
  poChanges: X_SERIES_PO_CHANGES,
  purchaseOrdersPage: (account) => {
    const office = backOffice(account.baseUrl);
    return office ? `${office}/consignments` : null;
  },
  configKey: 'lightspeedX',
  capabilities: {
    bulkLineLimit: X_SERIES_BULK_LINE_LIMIT,
    // New sizes join their style/colour's family: POST /api/2.1/products (pos.ts, products.ts).
    addsVariantsToExistingParent: true,
    shapeLimits: X_SERIES_SHAPE,
  },
  settingsRead: ['submitStatus', 'tokenUrl'],
  // The Lightspeed X-Series integration syncs purchase orders on its own.
  defaultSyncMode: 'automatic',
  link: {
    kind: 'oauth2',
    authorizeUrl: (provider, input) =>
      authorizeUrl({
        authBaseUrl: authBaseUrlFor({ simulatorUrl: provider.baseUrl }),
        clientId: provider.clientId,
        redirectUri: input.redirectUri,
        state: input.state,
      }),
    async complete(provider, callback, input) {
      const domainPrefix = assertDomainPrefix(callback['domain_prefix'] ?? '');
      const tokenUrl = tokenUrlFor(domainPrefix, { simulatorUrl: provider.baseUrl });
      const linked = await exchangeCode({
        tokenUrl,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret ?? '',
        code: callback['code'] ?? '',
        redirectUri: input.redirectUri,
        logger: input.logger,
      });
      return {
        accountId: linked.domainPrefix,
        name: `X-Series · ${linked.domainPrefix}`,
        baseUrl: apiBaseUrlFor(linked.domainPrefix, { simulatorUrl: provider.baseUrl }),
        settings: { tokenUrl },
        credentials: { kind: 'oauth2', tokens: linked.tokens },
      };
    },
  },
  open: {
    pointOfSale: async (deps, account) => xSeriesPos(deps, account),
    async purchaseOrderReceiving(deps, account) {
      const office = backOffice(account.baseUrl);
      const url = (id: string) =>
        office ? `${office}/consignments/${encodeURIComponent(id)}` : `${account.baseUrl}/consignment/${id}`;
      return createXSeriesReceiving(xSeriesClientFor(deps, account), xSeriesPos(deps, account), url);
    },
    posSales: async (deps, account) => createXSeriesSales(xSeriesClientFor(deps, account)),
    purchaseOrderShipmentFacts: async (deps, account) => createXSeriesShipmentFacts(xSeriesClientFor(deps, account)),
    async purchaseOrderChanges(deps, account) {
      const client = xSeriesClientFor(deps, account);
      const office = backOffice(account.baseUrl) ?? `${account.baseUrl.replace(/\/+$/, '')}/consignment`;
      const purchaseOrderUrl = (id: string): string =>
        office.endsWith('/backoffice') ? `${office}/consignments/${encodeURIComponent(id)}` : `${office}/${id}`;
      return createXSeriesPoChanges(client, createLightspeedXPos(client), { purchaseOrderUrl });
    },
    async purchaseOrderFeed(deps, account) {
      const client = xSeriesClientFor(deps, account);
      const office = backOffice(account.baseUrl);
      const url = (id: string) =>
        office ? `${office}/consignments/${encodeURIComponent(id)}` : `${account.baseUrl}/consignment/${id}`;
      return createXSeriesPoFeed(client, createLightspeedXPos(client), url);
    },
  },
};
