/**
 * The two connections the sales sync runs between, built into API clients with their credentials from the vault.
 * X-Series: `openXSeriesSales` is the ONE place that turns a connection into an authenticated client, so it can move
 * to the shared connection code when that exists. NetSuite (TBA): linked here (`linkNetsuite`).
 */
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../core/errors.ts';
import { createXSeriesClient } from '../../connectors/lightspeed-x/client.ts';
import { createXSeriesSales } from '../../connectors/lightspeed-x/sales.ts';
import {
  createNetsuiteClient,
  netsuiteOrigin,
  netsuiteRealm,
  type NetsuiteCredentials,
} from '../../connectors/netsuite/client.ts';
import { createNetsuiteSalesOrders } from '../../connectors/netsuite/erp-sales-orders.ts';
import type { DoctorCheck } from '../../core/ports/doctor.ts';
import type { ErpSalesOrders } from '../../core/ports/erp-sales-orders.ts';
import type { PosSales } from '../../core/ports/pos-sales.ts';
import type { OAuth2Tokens } from '../../connectors/shared/oauth2.ts';
import { connections, type Connection } from '../../store/repos/index.ts';
import { loadCredentials, saveCredentials, storeBudgetStore, storeTokenStore } from '../credentials.ts';

export interface SalesPair {
  netsuite: Connection;
  xseries: Connection;
}

/** The organization's NetSuite and X-Series connections (the first linked of each, or the ones named). */
export async function salesPair(
  ctx: AppContext,
  tenantId: string,
  ids: { netsuite?: string | undefined; xseries?: string | undefined } = {},
): Promise<SalesPair> {
  const pick = async (system: 'netsuite' | 'lightspeed-x', id: string | undefined): Promise<Connection> => {
    const found = id
      ? await connections.get(ctx.store.db, tenantId, id)
      : (await connections.list(ctx.store.db, tenantId, { system })).find((c) => c.status === 'linked');
    if (!found || found.system !== system) {
      const name = system === 'netsuite' ? 'NetSuite' : 'Lightspeed X-Series';
      throw new AppError(
        'SALES_NOT_CONNECTED',
        `Link a ${name} account first: the sales sync runs between NetSuite and X-Series`,
      );
    }
    if (found.status !== 'linked') {
      throw new AppError(
        'CONNECTION_NEEDS_RELINK',
        `The ${found.name} connection needs to be linked again (${found.lastError ?? found.status})`,
      );
    }
    return found;
  };
  return { netsuite: await pick('netsuite', ids.netsuite), xseries: await pick('lightspeed-x', ids.xseries) };
}

/**
 * Where NetSuite is: the configured origin (NETSUITE_BASE_URL, a simulator) or the account's own suitetalk
 * host. From the configuration only, never from a request or a stored field a request once set.
 */
export function netsuiteBaseUrl(ctx: AppContext, accountId: string): string {
  return (ctx.config.providers.netsuite.baseUrl ?? netsuiteOrigin(accountId)).replace(/\/+$/, '');
}

/** An authenticated NetSuite client for a linked connection. */
export async function openNetsuite(ctx: AppContext, connection: Connection): Promise<ErpSalesOrders> {
  const credentials = await loadCredentials(ctx, connection.tenantId, connection.id);
  if (credentials.kind !== 'tba')
    throw new AppError(
      'CONNECTION_NEEDS_RELINK',
      `${connection.name} holds no NetSuite token credentials; link it again`,
    );
  return createNetsuiteSalesOrders(
    createNetsuiteClient({
      baseUrl: netsuiteBaseUrl(ctx, connection.externalAccountId),
      credentials: { accountId: connection.externalAccountId, ...credentials },
      logger: ctx.logger,
      timeoutMs: 20_000,
    }),
  );
}

/** `tradeloop doctor` for a NetSuite connection: the connector's read-only probes through its own client. */
export async function diagnoseNetsuite(ctx: AppContext, connection: Connection): Promise<DoctorCheck[]> {
  const ns = await openNetsuite(ctx, connection);
  return ns.doctor ? ns.doctor() : [];
}

/** The X-Series app's OAuth client: the configured one (LIGHTSPEED_X_CLIENT_ID/SECRET), as the connectors resolver uses. */
function xSeriesApp(ctx: AppContext): { clientId: string; clientSecret: string } {
  const provider = ctx.config.providers.lightspeedX;
  return { clientId: provider.clientId ?? '', clientSecret: provider.clientSecret ?? '' };
}

/** The X-Series sales API for a linked connection: the shared X-Series client (token refresh, rate governor). */
export async function openXSeriesSales(ctx: AppContext, connection: Connection): Promise<PosSales> {
  const app = xSeriesApp(ctx);
  const origin = connection.baseUrl.replace(/\/+$/, '');
  const tokenUrl =
    typeof connection.settings['tokenUrl'] === 'string' ? connection.settings['tokenUrl'] : `${origin}/api/1.0/token`;
  const client = createXSeriesClient({
    apiBaseUrl: origin,
    connectionId: connection.id,
    tokens: storeTokenStore(ctx, connection.tenantId),
    oauth: { tokenUrl, clientId: app.clientId, clientSecret: app.clientSecret },
    budgets: storeBudgetStore(ctx, connection.tenantId),
    budgetKey: `lightspeed-x:${connection.externalAccountId}:${app.clientId}`,
    logger: ctx.logger,
    timeoutMs: 20_000,
  });
  return createXSeriesSales(client);
}

export interface NetsuiteLinkInput extends NetsuiteCredentials {
  name?: string | undefined;
}

/**
 * Links a NetSuite account with Token-Based Authentication: checks the four secrets with one SuiteQL call, then stores
 * the connection and its sealed credentials. Linking the same account again replaces its credentials.
 */
export async function linkNetsuite(ctx: AppContext, tenantId: string, input: NetsuiteLinkInput): Promise<Connection> {
  const accountId = netsuiteRealm(input.accountId.trim());
  if (!/^[A-Z0-9_]{3,40}$/.test(accountId))
    throw new AppError('INVALID_INPUT', 'The account id looks like 1234567 or 1234567_SB1');
  const baseUrl = netsuiteBaseUrl(ctx, accountId);
  const client = createNetsuiteClient({
    baseUrl,
    credentials: {
      accountId,
      consumerKey: input.consumerKey,
      consumerSecret: input.consumerSecret,
      tokenId: input.tokenId,
      tokenSecret: input.tokenSecret,
    },
    logger: ctx.logger,
    timeoutMs: 15_000,
    retry: { attempts: 1, baseMs: 0, capMs: 0 },
  });
  try {
    await client.suiteql('SELECT id FROM location', { limit: 1 });
  } catch (error) {
    throw new AppError(
      'NETSUITE_LINK_FAILED',
      `NetSuite did not accept these credentials: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  // The account's one row: linking it again (after an unlink too) keeps its history.
  const connection = await connections.findOrCreate(ctx.store.db, tenantId, {
    system: 'netsuite',
    name: input.name ?? `NetSuite ${accountId}`,
    baseUrl,
    externalAccountId: accountId,
    secretId: null,
    now: ctx.now(),
  });
  await saveCredentials(ctx, ctx.store.db, tenantId, connection.id, {
    kind: 'tba',
    consumerKey: input.consumerKey,
    consumerSecret: input.consumerSecret,
    tokenId: input.tokenId,
    tokenSecret: input.tokenSecret,
  });
  await connections.update(
    ctx.store.db,
    tenantId,
    connection.id,
    { status: 'linked', baseUrl, lastError: null, ...(input.name ? { name: input.name } : {}) },
    ctx.now(),
  );
  return (await connections.get(ctx.store.db, tenantId, connection.id)) as Connection;
}

/**
 * Stores an X-Series connection from tokens already obtained (tests, the demo, and operators who minted tokens
 * elsewhere). The OAuth linking flow itself belongs to the connections capability.
 */
export async function storeXSeriesConnection(
  ctx: AppContext,
  tenantId: string,
  input: { domainPrefix: string; baseUrl: string; tokens: OAuth2Tokens; name?: string },
): Promise<Connection> {
  const connection = await connections.findOrCreate(ctx.store.db, tenantId, {
    system: 'lightspeed-x',
    name: input.name ?? `X-Series ${input.domainPrefix}`,
    baseUrl: input.baseUrl,
    externalAccountId: input.domainPrefix,
    secretId: null,
    now: ctx.now(),
  });
  await saveCredentials(ctx, ctx.store.db, tenantId, connection.id, { kind: 'oauth2', tokens: input.tokens });
  // The account's row may have been unlinked: linking it again revives it, with its history.
  await connections.update(ctx.store.db, tenantId, connection.id, { status: 'linked', lastError: null }, ctx.now());
  return (await connections.get(ctx.store.db, tenantId, connection.id)) as Connection;
}
