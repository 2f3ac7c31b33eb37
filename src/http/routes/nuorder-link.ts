import type { Context } from 'hono';
import { z } from 'zod';
import type { EngineContext } from '../../flows/engine-context.ts';
import {
  chooseNuorderRetailer,
  completeNuorderLink,
  linkNuorderWithToken,
  listNuorderRetailers,
  receiveNuorderVerifier,
  startNuorderLink,
} from '../../flows/link-nuorder.ts';
import type { Connection } from '../../store/repos/index.ts';
import type { ApiRouter } from '../api-router.ts';
import { connectionView } from '../schemas/connections.ts';
import { remoteErrors } from '../error-statuses.ts';
import { callerBinding } from '../auth.ts';
import type { HttpEnv } from '../env.ts';

type View = typeof connectionView;
type ToView = (ctx: EngineContext, c: Connection) => Promise<z.input<typeof connectionView>>;

const idParams = z.object({ id: z.string().uuid('must be an id (UUID)') });
const retailerId = z.string().trim().min(1).max(64, 'must be a NuORDER retailer id (the retailer._id of its orders)');

const linkBody = z
  .object({
    brandName: z.string().trim().min(1).max(200),
    consumerKey: z.string().trim().min(1),
    consumerSecret: z.string().trim().min(1),
    token: z.string().trim().min(1).optional(),
    tokenSecret: z.string().trim().min(1).optional(),
    retailerId: retailerId.optional(),
    relinkConnectionId: z.string().uuid().optional(),
  })
  .refine((b) => (b.token === undefined) === (b.tokenSecret === undefined), {
    message: 'token and tokenSecret go together: paste both as NuORDER Admin issued them, or neither',
    path: ['tokenSecret'],
  });

/** Linked at once (a pasted token), or the approval started: what to show while NuORDER waits for it. */
export const nuorderLinkReply = z.object({
  connection: connectionView.nullable(),
  pending: z
    .object({ linkId: z.string(), applicationName: z.string().describe('The name NuORDER Admin shows to approve') })
    .nullable(),
});

export const retailersReply = z.object({
  chosen: z.object({ id: z.string(), name: z.string() }).nullable(),
  retailers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      code: z.string().nullable(),
      buyerName: z.string().nullable(),
      orders: z.number().int(),
    }),
  ),
});

function failed(c: Context<HttpEnv>, error: unknown): Response {
  return c.redirect(
    `/connections?error=${encodeURIComponent(error instanceof Error ? error.message : 'Linking failed')}`,
    303,
  );
}

/** NuORDER's POST to the callback: form-encoded or JSON, not recorded [I]; either is read. */
async function callbackBody(c: Context<HttpEnv>): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  const raw: Record<string, unknown> = type.includes('application/json')
    ? ((await c.req.json().catch(() => ({}))) as Record<string, unknown>)
    : ((await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>);
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Linking a NuORDER brand portal the way NuORDER does it (flows/link-nuorder.ts): start → approval in NuORDER
 * Admin → the verifier POSTed to our callback (or pasted) → linked; or a pasted token and secret. Then the
 * merchant's own store among the brand's retailers.
 */
export function nuorderLinkRoutes(
  engine: EngineContext,
  router: ApiRouter,
  { view, toView }: { view: View; toView: ToView },
): void {
  router.route({
    method: 'post',
    path: '/api/connections/nuorder',
    operationId: 'linkNuorder',
    errors: ['LINK_FAILED', ...remoteErrors],
    summary:
      'Link a NuORDER brand portal: with the token and secret NuORDER Admin issued, or start the approval (approve "Tradeloop" in NuORDER Admin → API Management)',
    tag: 'connections',
    status: 201,
    body: linkBody,
    response: nuorderLinkReply,
    handler: async ({ c, body }) => {
      const tenantId = c.get('caller').tenantId;
      if (body.token !== undefined && body.tokenSecret !== undefined) {
        const connection = await linkNuorderWithToken(engine, tenantId, {
          ...body,
          token: body.token,
          tokenSecret: body.tokenSecret,
        });
        return { connection: await toView(engine, connection), pending: null };
      }
      return {
        connection: null,
        pending: await startNuorderLink(engine, tenantId, body, callerBinding(c.get('caller'))),
      };
    },
  });

  verifierRoutes(engine, router, { view, toView });
  retailerRoutes(engine, router, { view, toView });
}

/** The merchant's own store among the retailers on the brand's orders: listed, then chosen once. */
function retailerRoutes(
  engine: EngineContext,
  router: ApiRouter,
  { view, toView }: { view: View; toView: ToView },
): void {
  router.route({
    method: 'get',
    path: '/api/connections/:id/retailers',
    operationId: 'listRetailers',
    errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
    summary:
      'NuORDER: the stores on the brand’s orders (a brand portal sees every store that buys from it), and the one chosen as yours',
    tag: 'connections',
    params: idParams,
    response: retailersReply,
    handler: async ({ c, params }) => listNuorderRetailers(engine, c.get('caller').tenantId, params.id),
  });

  router.route({
    method: 'put',
    path: '/api/connections/:id/retailer',
    operationId: 'chooseRetailer',
    errors: ['NUORDER_RETAILER_LOCKED', 'CONNECTION_NEEDS_RELINK', ...remoteErrors],
    summary:
      'NuORDER: choose which retailer on the brand’s orders is your store; only its orders are imported (chosen once)',
    tag: 'connections',
    params: idParams,
    body: z.object({ retailerId }),
    response: view,
    handler: async ({ c, params, body }) =>
      toView(engine, await chooseNuorderRetailer(engine, c.get('caller').tenantId, params.id, body.retailerId)),
  });
}

/** The verifier's way back: NuORDER's POST to the callback, the person's return, or a pasted code. */
function verifierRoutes(
  engine: EngineContext,
  router: ApiRouter,
  { view, toView }: { view: View; toView: ToView },
): void {
  router.route({
    method: 'post',
    path: '/api/connections/nuorder/callback',
    operationId: 'receiveNuorderVerifier',
    redirect: 303,
    summary:
      'Where NuORDER POSTs the verifier (oauth_token, oauth_verifier; form or JSON). Public: it links nothing, keeps the verifier with the attempt and sends the browser on to the GET callback, where the person’s session finishes',
    tag: 'connections',
    access: 'public',
    query: z.object({ state: z.string().min(1) }),
    response: z.object({}),
    handler: async ({ c, query }) => {
      try {
        const body = await callbackBody(c);
        const verifier = body['oauth_verifier'] ?? c.req.query('oauth_verifier');
        if (!verifier) throw new Error('NuORDER sent no oauth_verifier');
        await receiveNuorderVerifier(engine, {
          state: query.state,
          oauthToken: body['oauth_token'] ?? c.req.query('oauth_token') ?? null,
          verifier,
        });
        return c.redirect(`/api/connections/nuorder/callback?state=${encodeURIComponent(query.state)}`, 303);
      } catch (error) {
        return failed(c, error);
      }
    },
  });

  router.route({
    method: 'get',
    path: '/api/connections/nuorder/callback',
    operationId: 'completeNuorderLink',
    redirect: 303,
    summary:
      'Where the person comes back after approving Tradeloop in NuORDER (the verifier in the query, or already POSTed); redirects to the Connections page',
    tag: 'connections',
    query: z.object({
      state: z.string().min(1),
      oauth_token: z.string().min(1).optional(),
      oauth_verifier: z.string().min(1).optional(),
    }),
    response: z.object({}),
    handler: async ({ c, query }) => {
      try {
        const connection = await completeNuorderLink(
          engine,
          c.get('caller').tenantId,
          { state: query.state, oauthToken: query.oauth_token ?? null, verifier: query.oauth_verifier ?? null },
          callerBinding(c.get('caller')),
        );
        return c.redirect(`/connections?linked=${connection.id}`, 303);
      } catch (error) {
        return failed(c, error);
      }
    },
  });

  router.route({
    method: 'post',
    path: '/api/connections/nuorder/verify',
    operationId: 'verifyNuorderLink',
    errors: ['LINK_STATE_UNKNOWN', 'NUORDER_NOT_APPROVED_YET', 'LINK_FAILED', ...remoteErrors],
    summary:
      'Finish a NuORDER link: with the verification code NuORDER showed (pasted), or with the one it already sent to the callback',
    tag: 'connections',
    body: z.object({
      linkId: z.string().min(1),
      verifier: z.string().trim().min(1).max(200).optional(),
    }),
    response: z.object({ connection: view }),
    handler: async ({ c, body }) => {
      const connection = await completeNuorderLink(
        engine,
        c.get('caller').tenantId,
        { state: body.linkId, verifier: body.verifier ?? null },
        callerBinding(c.get('caller')),
      );
      return { connection: await toView(engine, connection) };
    },
  });
}
