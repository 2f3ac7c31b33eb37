/**
 * The two connections the sales sync runs between. Their APIs are opened through the connector registry
 * (flows/port-registry.ts), like every other flow's: the NetSuite manifest says how a TBA link is checked and where
 * an account is, the X-Series one builds the shared client (token refresh, rate governor).
 */
import { AppError } from '../../core/errors.ts';
import type { OAuth2Tokens, TbaCredentials, TbaLink } from '../../core/ports/connection.ts';
import type { DoctorCheck } from '../../core/ports/doctor.ts';
import type { ErpSalesOrders } from '../../core/ports/erp-sales-orders.ts';
import type { PosSales } from '../../core/ports/pos-sales.ts';
import { connections, type Connection } from '../../store/repos/index.ts';
import type { AppContext } from '../../app-context.ts';
import { saveCredentials } from '../credentials.ts';
import type { EngineContext } from '../engine-context.ts';

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

/** An authenticated NetSuite API for a linked connection. */
export async function openNetsuite(ctx: EngineContext, connection: Connection): Promise<ErpSalesOrders> {
  return ctx.connectors.erpSalesOrders(connection);
}

/** `tradeloop doctor` for a NetSuite connection: the connector's read-only probes through its own client. */
export async function diagnoseNetsuite(ctx: EngineContext, connection: Connection): Promise<DoctorCheck[]> {
  const ns = await openNetsuite(ctx, connection);
  return ns.doctor ? ns.doctor() : [];
}

/** The X-Series sales API for a linked connection. */
export async function openXSeriesSales(ctx: EngineContext, connection: Connection): Promise<PosSales> {
  return ctx.connectors.posSales(connection);
}

function netsuiteLink(ctx: EngineContext): TbaLink {
  const link = ctx.connectors.manifest('netsuite')?.link;
  if (link?.kind !== 'tba') throw new AppError('PROVIDER_NOT_CONFIGURED', 'No NetSuite connector is registered');
  return link;
}

export interface NetsuiteLinkInput extends Omit<TbaCredentials, 'kind'> {
  accountId: string;
  name?: string | undefined;
}

/**
 * Links a NetSuite account with Token-Based Authentication: checks the four secrets with one read, then stores
 * the connection and its sealed credentials. Linking the same account again replaces its credentials.
 */
export async function linkNetsuite(
  ctx: EngineContext,
  tenantId: string,
  input: NetsuiteLinkInput,
): Promise<Connection> {
  const link = netsuiteLink(ctx);
  const accountId = link.accountId(input.accountId);
  if (accountId === null) throw new AppError('INVALID_INPUT', 'The account id looks like 1234567 or 1234567_SB1');
  const provider = ctx.connectors.provider('netsuite');
  const baseUrl = link.baseUrl(provider, accountId);
  const credentials: TbaCredentials = {
    kind: 'tba',
    consumerKey: input.consumerKey,
    consumerSecret: input.consumerSecret,
    tokenId: input.tokenId,
    tokenSecret: input.tokenSecret,
  };
  try {
    await link.verify({ provider, accountId, credentials, logger: ctx.logger });
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
  await saveCredentials(ctx, ctx.store.db, tenantId, connection.id, credentials);
  const settings = { ...connection.settings, credentialsSetAt: ctx.now() };
  await connections.update(
    ctx.store.db,
    tenantId,
    connection.id,
    { status: 'linked', baseUrl, lastError: null, settings, ...(input.name ? { name: input.name } : {}) },
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
