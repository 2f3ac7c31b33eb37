import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { AppError, invalidInput, notFound } from '../core/errors.ts';
import type { OAuth2Link, OAuth2Tokens, ProviderSettings } from '../core/ports/connection.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Db } from '../store/db.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { catalogMirror, connections, secrets, type Connection } from '../store/repos/index.ts';
import * as oauthStates from '../store/repos/oauth-states.ts';
import type { ConnectionSystem } from '../store/schema.ts';
import { defaultSyncMode } from './auto-sync.ts';
import { forgetTokens, saveCredentials, type ConnectionCredentials } from './credentials.ts';
import type { EngineContext } from './engine-context.ts';
import { catalogSyncJob } from './tasks.ts';

const stateTtlMs = 30 * 60_000;

/** Where the provider sends the person back to. */
export function callbackUrl(ctx: AppContext, system: 'nuorder' | 'pos'): string {
  return `${ctx.config.publicUrl}/api/connections/${system === 'nuorder' ? 'nuorder' : 'oauth'}/callback`;
}

/** What a linking attempt remembers between its start and its callback (sealed in `oauth_states`). */
export type PendingLink = NuorderPendingLink | PosPendingLink;

/** A point of sale linked with OAuth 2 (its manifest's system). */
export interface PosPendingLink {
  system: string;
  name: string | null;
  relinkConnectionId: string | null;
}

export interface NuorderPendingLink {
  system: 'nuorder';
  brandName: string;
  consumerKey: string;
  consumerSecret: string;
  requestToken: string;
  requestTokenSecret: string;
  /** Set when NuORDER POSTed it to the callback before the person came back (link-nuorder.ts). */
  verifier: string | null;
  baseUrl: string;
  relinkConnectionId: string | null;
  retailerId: string | null;
}

export const isNuorderLink = (pending: PendingLink): pending is NuorderPendingLink => pending.system === 'nuorder';

/** `boundTo` names who started the link (http/auth.ts `callerBinding`): only they can finish it. */
export async function savePending(
  ctx: AppContext,
  tenantId: string,
  id: string,
  pending: PendingLink,
  boundTo: string,
): Promise<void> {
  await oauthStates.create(ctx.store.db, tenantId, {
    id,
    // The registry decides which systems exist; the store's name list is for reading rows back.
    system: pending.system as ConnectionSystem,
    sealedData: ctx.vault.sealJson(pending, `oauth:${id}`),
    boundTo,
    expiresAt: ctx.now() + stateTtlMs,
    now: ctx.now(),
  });
}

/**
 * Takes (and deletes) the pending link: a state is used once, by the session that started it. Another
 * session's attempt is refused without using it up.
 */
export async function takePending(
  ctx: AppContext,
  tenantId: string,
  id: string,
  boundTo: string,
): Promise<PendingLink> {
  const row = await oauthStates.get(ctx.store.db, id);
  if (!row || row.tenantId !== tenantId || (row.boundTo !== null && row.boundTo !== boundTo))
    throw new AppError(
      'LINK_STATE_UNKNOWN',
      'This linking attempt is unknown or was already used; start linking again',
    );
  await oauthStates.remove(ctx.store.db, id);
  if (row.expiresAt < ctx.now())
    throw new AppError('LINK_STATE_EXPIRED', 'This linking attempt expired; start linking again');
  return ctx.vault.openJson<PendingLink>(row.sealedData, `oauth:${id}`);
}

// --- A point of sale (OAuth 2, through its connector's manifest) ------------------------------------

/** The POS's OAuth 2 link and the app we are registered as there, or a clear 400 naming what to configure. */
function posLink(
  ctx: EngineContext,
  system: string,
): { link: OAuth2Link; provider: ProviderSettings & { clientId: string } } {
  const manifest = ctx.connectors.manifest(system);
  if (manifest?.kind !== 'pos' || manifest.link?.kind !== 'oauth2')
    throw invalidInput(`system: ${system} is not a point of sale that links with OAuth 2`);
  const provider = ctx.connectors.provider(system);
  if (!provider.clientId) {
    const variable = `${(manifest.configKey ?? system).replace(/([A-Z])/g, '_$1').toUpperCase()}_CLIENT_ID`;
    throw new AppError(
      'PROVIDER_NOT_CONFIGURED',
      `Linking ${manifest.label} needs the app's OAuth client: set ${variable} and its secret`,
    );
  }
  return { link: manifest.link, provider: { ...provider, clientId: provider.clientId } };
}

/** Step 1 of linking a POS: the provider's consent page, with an unguessable state. */
export async function startPosLink(
  ctx: EngineContext,
  tenantId: string,
  input: { system: string; name?: string | null; relinkConnectionId?: string | null },
  boundTo: string,
): Promise<{ authorizeUrl: string }> {
  const { link, provider } = posLink(ctx, input.system);
  const state = randomBytes(24).toString('base64url');
  await savePending(
    ctx,
    tenantId,
    state,
    { system: input.system, name: input.name ?? null, relinkConnectionId: input.relinkConnectionId ?? null },
    boundTo,
  );
  return { authorizeUrl: link.authorizeUrl(provider, { redirectUri: callbackUrl(ctx, 'pos'), state }) };
}

/** Step 2: the provider redirected back with a code (or an error). */
export async function completePosLink(
  ctx: EngineContext,
  tenantId: string,
  query: Record<string, string | undefined>,
  boundTo: string,
): Promise<Connection> {
  if (!query['state']) throw invalidInput('The callback has no state');
  const pending = await takePending(ctx, tenantId, query['state'], boundTo);
  if (isNuorderLink(pending)) throw new AppError('LINK_STATE_UNKNOWN', 'This linking attempt is not a POS one');
  if (query['error'])
    throw new AppError(
      'LINK_DECLINED',
      `The POS did not grant access: ${query['error_description'] ?? query['error']}`,
    );
  if (!query['code']) throw invalidInput('The callback has no code');
  const { link, provider } = posLink(ctx, pending.system);
  const linked = await link.complete(provider, query, { redirectUri: callbackUrl(ctx, 'pos'), logger: ctx.logger });
  if (linked.credentials.kind !== 'oauth2')
    throw new AppError('LINK_REPLY_INCOMPLETE', `${pending.system} linked without OAuth 2 tokens`);
  return storePosConnection(ctx, tenantId, {
    system: pending.system,
    name: pending.name ?? linked.name,
    baseUrl: linked.baseUrl,
    accountId: linked.accountId,
    tokenUrl: String(linked.settings['tokenUrl'] ?? ''),
    tokens: linked.credentials.tokens,
    relinkConnectionId: pending.relinkConnectionId,
  });
}

/** Stores a linked POS connection and starts filling its catalog mirror. Used by the OAuth callback and by tests/CLI with minted tokens. */
export async function storePosConnection(
  ctx: EngineContext,
  tenantId: string,
  input: {
    system: string;
    name: string;
    baseUrl: string;
    accountId: string;
    tokenUrl: string;
    tokens: OAuth2Tokens;
    relinkConnectionId?: string | null;
  },
): Promise<Connection> {
  const connection = await upsertConnection(ctx, tenantId, {
    system: input.system as ConnectionSystem,
    name: input.name,
    baseUrl: input.baseUrl,
    externalAccountId: input.accountId,
    settings: { tokenUrl: input.tokenUrl, syncMode: defaultSyncMode(ctx, input.system) },
    relinkConnectionId: input.relinkConnectionId ?? null,
    credentials: { kind: 'oauth2', tokens: input.tokens },
  });
  await enqueue(
    ctx.store.db,
    catalogSyncJob,
    { connectionId: connection.id, full: true },
    { tenantId, key: `linked:${connection.id}:${ctx.now()}`, now: ctx.now() },
  );
  return connection;
}

/**
 * One connection per external account (a unique index in the store): linking the same account again, after
 * an unlink too, or relinking one that lost its authorization, revives that connection with fresh
 * credentials, and it keeps its item links, mirror, exports and history, so an exported order stays
 * exported. `resetOnRevive` names settings an unlinked connection does not carry into its new link.
 */
export async function upsertConnection(
  ctx: AppContext,
  tenantId: string,
  input: {
    system: ConnectionSystem;
    name: string;
    baseUrl: string;
    externalAccountId: string;
    settings: Record<string, unknown>;
    relinkConnectionId: string | null;
    credentials: ConnectionCredentials;
    resetOnRevive?: readonly string[];
  },
): Promise<Connection> {
  try {
    return await ctx.store.db.transaction().execute((trx: Db) => upsertIn(ctx, trx, tenantId, input));
  } catch (error) {
    // Two links of one account at once: the other created the row first; this one revives it.
    if (!isUniqueViolation(error)) throw error;
    return ctx.store.db.transaction().execute((trx: Db) => upsertIn(ctx, trx, tenantId, input));
  }
}

async function upsertIn(
  ctx: AppContext,
  trx: Db,
  tenantId: string,
  input: Parameters<typeof upsertConnection>[2],
): Promise<Connection> {
  const existing = input.relinkConnectionId
    ? await connections.get(trx, tenantId, input.relinkConnectionId)
    : await connections.findByAccount(trx, tenantId, input.system, input.externalAccountId);
  if (input.relinkConnectionId && !existing) throw notFound('Connection', input.relinkConnectionId);
  let connection: Connection;
  if (existing) {
    if (existing.system !== input.system || existing.externalAccountId !== input.externalAccountId) {
      throw new AppError(
        'RELINK_WRONG_ACCOUNT',
        `This authorization is for ${input.externalAccountId}, but ${existing.name} is ${existing.externalAccountId}`,
      );
    }
    const kept =
      existing.status === 'unlinked'
        ? Object.fromEntries(
            Object.entries(existing.settings).filter(([key]) => !(input.resetOnRevive ?? []).includes(key)),
          )
        : existing.settings;
    await connections.update(
      trx,
      tenantId,
      existing.id,
      {
        status: 'linked',
        lastError: null,
        baseUrl: input.baseUrl,
        settings: { ...kept, ...input.settings, syncMode: kept['syncMode'] ?? input.settings['syncMode'] },
      },
      ctx.now(),
    );
    connection = (await connections.get(trx, tenantId, existing.id)) as Connection;
  } else {
    connection = await connections.create(trx, tenantId, {
      system: input.system,
      name: input.name,
      baseUrl: input.baseUrl,
      externalAccountId: input.externalAccountId,
      secretId: null,
      settings: input.settings,
      now: ctx.now(),
    });
  }
  await saveCredentials(ctx, trx, tenantId, connection.id, input.credentials);
  return (await connections.get(trx, tenantId, connection.id)) as Connection;
}

/**
 * Unlinks: the credentials are destroyed and polling stops. Item links, exported orders and their
 * history stay, so linking the same account again says Confirmed where it did before.
 */
export async function unlinkConnection(ctx: AppContext, tenantId: string, connectionId: string): Promise<void> {
  const connection = await connections.get(ctx.store.db, tenantId, connectionId);
  if (!connection || connection.status === 'unlinked') throw notFound('Connection', connectionId);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (connection.secretId) await secrets.remove(trx, tenantId, connection.secretId);
    await connections.update(
      trx,
      tenantId,
      connectionId,
      { status: 'unlinked', secretId: null, catalogCursor: null },
      ctx.now(),
    );
    await catalogMirror.clear(trx, connectionId);
  });
  forgetTokens(ctx, tenantId, connectionId);
}

// NuORDER linking lives in link-nuorder.ts; re-exported so callers have one place to link any account.
export {
  chooseNuorderRetailer,
  completeNuorderLink,
  linkNuorderWithToken,
  listNuorderRetailers,
  receiveNuorderVerifier,
  startNuorderLink,
} from './link-nuorder.ts';
