import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { AppError, invalidInput, notFound } from '../core/errors.ts';
import type { SourceRetailer, WholesaleSource } from '../core/ports/wholesale-source.ts';
import type { OAuth1Link } from '../core/ports/connection.ts';
import { enqueue } from '../jobs/queue.ts';
import { connections, type Connection } from '../store/repos/index.ts';
import * as oauthStates from '../store/repos/oauth-states.ts';
import type { ConnectionCredentials } from './credentials.ts';
import type { EngineContext } from './engine-context.ts';
import {
  callbackUrl,
  isNuorderLink,
  savePending,
  takePending,
  upsertConnection,
  type NuorderPendingLink,
  type PendingLink,
} from './link-account.ts';
import { ingestOrdersJob } from './tasks.ts';

/**
 * Linking a NuORDER brand portal (OAuth 1.0a, one connection per brand portal), the way real NuORDER does it
 * (reference §2.2, divergences.md F5):
 *
 * 1. `startNuorderLink`: a request token for the application "Tradeloop" (the `application_name` every recorded
 *    client sent) with our callback URL, which carries our own unguessable `state`.
 * 2. A NuORDER admin approves "Tradeloop" under Admin → API Management. NuORDER POSTs the verifier to the
 *    callback (`receiveNuorderVerifier`, public: a cross-site POST carries no session), which keeps it with the
 *    pending link and sends the browser on to the GET callback; or, with a code shown instead, the person pastes it.
 * 3. `completeNuorderLink`, in the person's own session: the verifier is exchanged and the connection stored.
 *
 * Or `linkNuorderWithToken`: a token and secret NuORDER Admin already issued, pasted as they are.
 *
 * A brand portal sells to many stores and its token sees all their orders, so a connection also needs the
 * merchant's own store (`settings.retailerId`, a NuORDER `retailer._id`): chosen when linking or afterwards
 * among the retailers on the brand's orders. Until then it imports nothing and says so.
 */

export const nuorderApplicationName = 'Tradeloop';

type NuorderPending = NuorderPendingLink;

/** The wholesale source's OAuth 1.0a handshake, from its connector's manifest. */
function nuorderLink(ctx: EngineContext): OAuth1Link {
  const link = ctx.connectors.manifest('nuorder')?.link;
  if (link?.kind !== 'oauth1') throw new AppError('PROVIDER_NOT_CONFIGURED', 'No NuORDER connector is registered');
  return link;
}

export interface NuorderLinkInput {
  brandName: string;
  consumerKey: string;
  consumerSecret: string;
  relinkConnectionId?: string | null;
  /** The merchant's store among the brand's retailers (`retailer._id`), when already known. */
  retailerId?: string | null;
}

export interface NuorderLinkStarted {
  /** Our state for this attempt: what the person pastes a code against, and what the callback carries. */
  linkId: string;
  /** The application to approve in NuORDER Admin → API Management. */
  applicationName: string;
}

function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function brandOf(brandName: string): { sourceId: string; name: string } {
  const sourceId = slug(brandName);
  if (!sourceId) throw invalidInput('brandName: name the brand portal this NuORDER account belongs to');
  return { sourceId, name: brandName.trim() };
}

/** Step 1: a request token and a pending link; the person then approves Tradeloop in NuORDER. */
export async function startNuorderLink(
  ctx: EngineContext,
  tenantId: string,
  input: NuorderLinkInput,
  boundTo: string,
): Promise<NuorderLinkStarted> {
  brandOf(input.brandName);
  const baseUrl = ctx.config.providers.nuorder.baseUrl;
  const linkId = randomBytes(24).toString('base64url');
  const request = await nuorderLink(ctx).requestToken({
    baseUrl,
    consumerKey: input.consumerKey,
    consumerSecret: input.consumerSecret,
    applicationName: nuorderApplicationName,
    callback: `${callbackUrl(ctx, 'nuorder')}?state=${linkId}`,
    logger: ctx.logger,
  });
  await savePending(
    ctx,
    tenantId,
    linkId,
    {
      system: 'nuorder',
      brandName: input.brandName,
      consumerKey: input.consumerKey,
      consumerSecret: input.consumerSecret,
      requestToken: request.token,
      requestTokenSecret: request.tokenSecret,
      verifier: null,
      baseUrl,
      relinkConnectionId: input.relinkConnectionId ?? null,
      retailerId: input.retailerId ?? null,
    },
    boundTo,
  );
  return { linkId, applicationName: nuorderApplicationName };
}

async function peekNuorder(ctx: AppContext, state: string): Promise<{ tenantId: string; pending: NuorderPending }> {
  const row = await oauthStates.peek(ctx.store.db, state);
  if (!row || row.expiresAt < ctx.now())
    throw new AppError('LINK_STATE_UNKNOWN', 'This NuORDER linking attempt is unknown or expired; start again');
  const pending = ctx.vault.openJson<PendingLink>(row.sealedData, `oauth:${state}`);
  if (!isNuorderLink(pending)) throw new AppError('LINK_STATE_UNKNOWN', 'This linking attempt is not a NuORDER one');
  return { tenantId: row.tenantId, pending };
}

function checkToken(pending: NuorderPending, oauthToken: string | null | undefined): void {
  if (oauthToken && oauthToken !== pending.requestToken)
    throw new AppError('LINK_STATE_UNKNOWN', 'This verifier belongs to another NuORDER linking attempt');
}

/**
 * NuORDER's POST to the callback (how it encodes the body is not recorded [I]: form or JSON, `oauth_token` maybe
 * absent). Nothing is linked here: the verifier is kept with the pending link, and the person's session finishes.
 */
export async function receiveNuorderVerifier(
  ctx: AppContext,
  input: { state: string; oauthToken?: string | null; verifier: string },
): Promise<void> {
  const { pending } = await peekNuorder(ctx, input.state);
  checkToken(pending, input.oauthToken);
  const updated: PendingLink = { ...pending, verifier: input.verifier };
  await oauthStates.reseal(ctx.store.db, input.state, ctx.vault.sealJson(updated, `oauth:${input.state}`));
}

/** Step 3: the verifier (sent to the callback, or pasted) is exchanged and the connection stored. */
export async function completeNuorderLink(
  ctx: EngineContext,
  tenantId: string,
  input: { state: string; oauthToken?: string | null; verifier?: string | null },
  boundTo: string,
): Promise<Connection> {
  const peeked = await peekNuorder(ctx, input.state);
  checkToken(peeked.pending, input.oauthToken);
  const verifier = input.verifier?.trim() || peeked.pending.verifier;
  // Not approved yet: the attempt stays open for the code to arrive or be pasted.
  if (!verifier)
    throw new AppError(
      'NUORDER_NOT_APPROVED_YET',
      `NuORDER has not sent the verification code yet: approve "${nuorderApplicationName}" in NuORDER under Admin → API Management, or paste the code it shows`,
    );
  const pending = await takePending(ctx, tenantId, input.state, boundTo);
  if (!isNuorderLink(pending)) throw new AppError('LINK_STATE_UNKNOWN', 'This linking attempt is not a NuORDER one');
  const credentials = await nuorderLink(ctx).accessToken({
    baseUrl: pending.baseUrl,
    consumerKey: pending.consumerKey,
    consumerSecret: pending.consumerSecret,
    requestToken: pending.requestToken,
    requestTokenSecret: pending.requestTokenSecret,
    verifier,
    logger: ctx.logger,
  });
  return storeNuorderConnection(ctx, tenantId, {
    brandName: pending.brandName,
    baseUrl: pending.baseUrl,
    relinkConnectionId: pending.relinkConnectionId,
    retailerId: pending.retailerId ?? null,
    credentials: { kind: 'oauth1', ...credentials },
  });
}

/** Links with a token and secret NuORDER Admin already issued (API Management shows them), checking them first. */
export async function linkNuorderWithToken(
  ctx: EngineContext,
  tenantId: string,
  input: NuorderLinkInput & { token: string; tokenSecret: string },
): Promise<Connection> {
  return storeNuorderConnection(ctx, tenantId, {
    brandName: input.brandName,
    // Where NuORDER is comes from the configuration, never from the caller.
    baseUrl: ctx.config.providers.nuorder.baseUrl,
    relinkConnectionId: input.relinkConnectionId ?? null,
    retailerId: input.retailerId ?? null,
    credentials: {
      kind: 'oauth1',
      consumerKey: input.consumerKey,
      consumerSecret: input.consumerSecret,
      token: input.token,
      tokenSecret: input.tokenSecret,
    },
  });
}

/** The retailer a merchant asked for, validated against those on the brand's orders (never guessed). */
function pickRetailer(retailers: SourceRetailer[], retailerId: string): SourceRetailer {
  const found = retailers.find((r) => r.sourceId === retailerId);
  if (found) return found;
  const seen = retailers.map((r) => `${r.name} (${r.sourceId})`).join(', ');
  throw invalidInput(
    `retailerId: ${retailerId} has no orders with this brand portal${seen ? `; its orders are from ${seen}` : ''}`,
  );
}

/**
 * Which store a new link imports for: the one asked for (validated), else in demo mode the demo store (so the
 * demo imports right away), else none yet (the merchant chooses; nothing is imported until then).
 */
async function initialRetailer(
  ctx: EngineContext,
  source: WholesaleSource,
  retailerId: string | null,
): Promise<SourceRetailer | null> {
  const demo = (ctx.demoHints?.['nuorder'] as { retailerId?: unknown } | undefined)?.retailerId;
  if (!retailerId && typeof demo !== 'string') return null;
  const retailers = (await source.listRetailers?.()) ?? [];
  if (retailerId) return pickRetailer(retailers, retailerId);
  return retailers.find((r) => r.sourceId === demo) ?? null;
}

async function storeNuorderConnection(
  ctx: EngineContext,
  tenantId: string,
  input: {
    brandName: string;
    baseUrl: string;
    relinkConnectionId: string | null;
    retailerId: string | null;
    credentials: Extract<ConnectionCredentials, { kind: 'oauth1' }>;
  },
): Promise<Connection> {
  const brand = brandOf(input.brandName);
  // Checked before anything is stored: refused credentials or a retailer the brand does not sell to change nothing.
  const check = await ctx.connectors.probe(
    'wholesaleSource',
    {
      id: `link:${brand.sourceId}`,
      tenantId,
      system: 'nuorder',
      name: `NuORDER · ${brand.name}`,
      baseUrl: input.baseUrl,
      externalAccountId: brand.sourceId,
      settings: { brandId: brand.sourceId, brandName: brand.name },
    },
    input.credentials,
  );
  try {
    await check.describeAccount();
  } catch (error) {
    throw new AppError(
      'LINK_FAILED',
      `NuORDER refused these credentials: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const retailer = await initialRetailer(ctx, check, input.retailerId);
  const connection = await upsertConnection(ctx, tenantId, {
    system: 'nuorder',
    name: `NuORDER · ${brand.name}`,
    baseUrl: input.baseUrl,
    externalAccountId: brand.sourceId,
    // A relink keeps the store chosen before (settings merge); a new choice is only made when there was none.
    // Linking an unlinked brand portal again is how a merchant changes store: that choice starts over.
    settings: {
      brandName: brand.name,
      brandId: brand.sourceId,
      ...(retailer ? { retailerId: retailer.sourceId, retailerName: retailer.name } : {}),
    },
    relinkConnectionId: input.relinkConnectionId,
    credentials: input.credentials,
    resetOnRevive: ['retailerId', 'retailerName'],
  });
  if (typeof connection.settings['retailerId'] === 'string') await enqueueIngest(ctx, connection, 'linked');
  return connection;
}

async function enqueueIngest(ctx: AppContext, connection: Connection, why: string): Promise<void> {
  await enqueue(
    ctx.store.db,
    ingestOrdersJob,
    { connectionId: connection.id },
    { tenantId: connection.tenantId, key: `${why}:${connection.id}:${ctx.now()}`, now: ctx.now() },
  );
}

async function nuorderConnection(ctx: AppContext, tenantId: string, connectionId: string): Promise<Connection> {
  const connection = await connections.get(ctx.store.db, tenantId, connectionId);
  if (!connection || connection.status === 'unlinked') throw notFound('Connection', connectionId);
  if (connection.system !== 'nuorder') throw invalidInput(`${connection.name} is not a NuORDER connection`);
  return connection;
}

export interface NuorderRetailerChoice {
  chosen: { id: string; name: string } | null;
  retailers: Array<{ id: string; name: string; code: string | null; buyerName: string | null; orders: number }>;
}

/** The stores on the brand's orders, and the one chosen for this connection, if any. */
export async function listNuorderRetailers(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
): Promise<NuorderRetailerChoice> {
  const connection = await nuorderConnection(ctx, tenantId, connectionId);
  const source = await ctx.connectors.wholesaleSource(connection);
  const retailers = (await source.listRetailers?.()) ?? [];
  return {
    chosen: chosenRetailer(connection),
    retailers: retailers.map((r) => ({
      id: r.sourceId,
      name: r.name,
      code: r.code,
      buyerName: r.buyerName,
      orders: r.orders,
    })),
  };
}

export function chosenRetailer(connection: Connection): { id: string; name: string } | null {
  const id = connection.settings['retailerId'];
  if (typeof id !== 'string') return null;
  const name = connection.settings['retailerName'];
  return { id, name: typeof name === 'string' ? name : id };
}

/**
 * The merchant says which retailer is their store. Chosen once: changing it would mix two stores' orders in
 * one connection, so another store means unlinking and linking again.
 */
export async function chooseNuorderRetailer(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  retailerId: string,
): Promise<Connection> {
  const connection = await nuorderConnection(ctx, tenantId, connectionId);
  const chosen = chosenRetailer(connection);
  if (chosen?.id === retailerId) return connection;
  if (chosen)
    throw new AppError(
      'NUORDER_RETAILER_LOCKED',
      `${connection.name} already imports the orders of ${chosen.name}; to import another store's, unlink it and link again`,
    );
  const source = await ctx.connectors.wholesaleSource(connection);
  const retailer = pickRetailer((await source.listRetailers?.()) ?? [], retailerId);
  await connections.update(
    ctx.store.db,
    tenantId,
    connection.id,
    {
      settings: { ...connection.settings, retailerId: retailer.sourceId, retailerName: retailer.name },
      lastError: null,
    },
    ctx.now(),
  );
  const updated = (await connections.get(ctx.store.db, tenantId, connection.id)) as Connection;
  await enqueueIngest(ctx, updated, 'retailer');
  return updated;
}
