/** Lightspeed Retail R-Series: the one manifest the composition root registers (src/main.ts). */
import { AppError } from '../../core/errors.ts';
import type { ConnectorDeps, ConnectorManifest, LinkedAccount, ProviderSettings } from '../../core/ports/connection.ts';
import { R_SERIES_PO_CHANGES } from '../../core/po-change-rules.ts';
import { R_SERIES_SHAPE } from '../../core/variant-shape.ts';
import { rSeriesClientFor } from './account-client.ts';
import { DEFAULT_API_BASE_URL } from './client.ts';
import {
  accountIdFromToken,
  authorizeUrl,
  exchangeCode,
  fetchAccounts,
  rSeriesEndpoints,
  type RSeriesLinkConfig,
} from './link.ts';
import { openRSeriesPoChanges } from './po-changes.ts';
import { createRSeriesPoFeed } from './po-feed.ts';
import { createLightspeedRPos } from './pos.ts';
import { openRSeriesShipmentFacts } from './shipment-facts.ts';
import { createRSeriesReceiving } from './receiving.ts';

function linkConfig(provider: ProviderSettings & { clientId: string }, redirectUri: string): RSeriesLinkConfig {
  return {
    clientId: provider.clientId,
    ...(provider.clientSecret ? { clientSecret: provider.clientSecret } : {}),
    ...(provider.baseUrl ? { authBaseUrl: provider.baseUrl, apiBaseUrl: provider.baseUrl } : {}),
    redirectUri,
  };
}

/**
 * Links to a purchase order open where the PO is: a connection linked on a configured base URL (the demo, tests)
 * links into that host's back office, not the real POS web app.
 */
function backOffice(baseUrl: string): string | undefined {
  if (!URL.canParse(baseUrl)) return undefined;
  const url = new URL(baseUrl);
  return url.hostname === new URL(DEFAULT_API_BASE_URL).hostname ? undefined : `${url.origin}/backoffice`;
}

export const lightspeedR: ConnectorManifest = {
  system: 'lightspeed-r',
  kind: 'pos',
  label: 'Lightspeed Retail (R-Series)',
  shortLabel: 'R-Series',
  supplierWord: 'vendor',
  // No currency on Account or Shop (reference lightspeed-r-series.md §4): the merchant says it.
  currencyIsSetting: true,
  appName: 'Retail POS',
  // Merge is in Retail POS only, and permanent (reference lightspeed-r-series.md §8).
  itemMerge: { permanent: true },
  poChanges: R_SERIES_PO_CHANGES,
  purchaseOrdersPage: (account) => {
    const office = backOffice(account.baseUrl);
    return office ? `${office}/orders` : null;
  },
  configKey: 'lightspeedR',
  capabilities: { bulkLineLimit: 1, addsVariantsToExistingParent: true, shapeLimits: R_SERIES_SHAPE },
  settingsRead: ['currency', 'tokenUrl'],
  link: {
    kind: 'oauth2',
    authorizeUrl: (provider, input) => authorizeUrl(linkConfig(provider, input.redirectUri), { state: input.state }),
    async complete(provider, callback, input) {
      const config = linkConfig(provider, input.redirectUri);
      const tokens = await exchangeCode(config, { code: callback['code'] ?? '' });
      const accounts = await fetchAccounts(config, tokens.accessToken);
      const claimed = accountIdFromToken(tokens.accessToken);
      const account = accounts.find((a) => a.accountId === claimed) ?? accounts[0];
      if (!account) throw new AppError('LINK_REPLY_INCOMPLETE', 'The R-Series token names no account');
      const endpoints = rSeriesEndpoints(config);
      return {
        accountId: account.accountId,
        name: `R-Series · ${account.name}`,
        baseUrl: endpoints.apiBaseUrl,
        settings: { tokenUrl: endpoints.tokenUrl },
        credentials: { kind: 'oauth2', tokens },
      };
    },
  },
  open: {
    purchaseOrderShipmentFacts: async (deps, account) => openRSeriesShipmentFacts(deps, account),
    pointOfSale: async (deps, account) => rSeriesPos(deps, account).pos,
    async purchaseOrderChanges(deps, account) {
      const office = backOffice(account.baseUrl);
      return openRSeriesPoChanges(deps, account, office ? `${office}/orders#order-{orderID}` : undefined);
    },
    async purchaseOrderReceiving(deps, account) {
      const { client, pos, poUrl } = rSeriesPos(deps, account);
      return createRSeriesReceiving(client, pos, poUrl);
    },
    async purchaseOrderFeed(deps, account) {
      const { client, poUrl } = rSeriesPos(deps, account);
      return createRSeriesPoFeed(client, poUrl);
    },
  },
};

/** The client and PO port of a linked account (receiving reads PO lines through the same port). */
function rSeriesPos(deps: ConnectorDeps, account: LinkedAccount) {
  const client = rSeriesClientFor(deps, account);
  const currency = account.settings['currency'];
  const office = backOffice(account.baseUrl);
  const poUrl = office ? `${office}/orders#order-{orderID}` : DEFAULT_PO_URL;
  const pos = createLightspeedRPos(client, {
    ...(typeof currency === 'string' ? { currency } : {}),
    ...(office ? { purchaseOrderUrl: poUrl } : {}),
  });
  return { client, pos, poUrl };
}

const DEFAULT_PO_URL =
  'https://us.merchantos.com/?name=purchase_order.views.purchase_order&form_name=view&id={orderID}';
