/**
 * Replays synthetic R-Series replies (fixtures in the recorded shapes) to the real connector: a `fetch` that
 * answers each request from a route table, with the response headers real replies carried, and a client and
 * PointOfSale built on it exactly as production builds them. Nothing of the connector is replaced; only the
 * remote service is.
 */
import { createRSeriesClient, type RSeriesClient } from '../../../src/connectors/lightspeed-r/client.ts';
import { createLightspeedRPos } from '../../../src/connectors/lightspeed-r/pos.ts';
import { InMemoryTokenStore } from '../../../src/connectors/shared/oauth2.ts';
import { InMemoryBudgetStore, type Clock } from '../../../src/connectors/shared/rate-governor.ts';
import type { PointOfSale } from '../../../src/core/ports/pos.ts';

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  path: RegExp;
  reply: (url: URL) => Reply;
}

/**
 * Rate-limit headers as recorded and documented, one per reply in turn: a fractional level (2016), a level
 * above the size on a reply that was not refused (`91.67/90`), the sizes 30/60/180 of older accounts, the
 * 2017+ drip rate, the documented burst level, and none at all (the 2015 Account reply).
 */
export const headerFormats: ReadonlyArray<Record<string, string>> = [
  { 'X-Ls-Api-Bucket-Level': '4.6128/90' },
  { 'X-Ls-Api-Bucket-Level': '91.67/90', 'X-Ls-Api-Drip-Rate': '1' },
  { 'X-Ls-Api-Bucket-Level': '12/60' },
  { 'X-Ls-Api-Bucket-Level': '3/30' },
  { 'X-LS-API-Bucket-Level': '0/180', 'X-LS-API-Burst-Level': '1/20', 'X-LS-API-Drip-Rate': '1' },
  {},
];

/** A clock whose sleeps return at once and move time on: a bucket reported full costs the test nothing. */
export function fastClock(start = Date.UTC(2026, 10, 1, 12)): Clock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
  };
}

export function replayFetch(routes: readonly Route[]): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  let n = 0;
  const replay = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = (init?.method ?? 'GET').toUpperCase();
    calls.push(`${method} ${url.pathname}${url.search}`);
    const route = routes.find((r) => r.method === method && r.path.test(url.pathname));
    if (!route) {
      return new Response(JSON.stringify({ unexpected: `${method} ${url.pathname}` }), { status: 501 });
    }
    const reply = route.reply(url);
    // A header given as "" in a reply is left out (a reply that carried none of the rate-limit headers).
    const merged = {
      'content-type': 'application/json',
      ...headerFormats[n++ % headerFormats.length],
      ...reply.headers,
    };
    const headers = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
    return new Response(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers,
    });
  };
  return { fetch: replay as typeof fetch, calls };
}

export async function replayClient(
  routes: readonly Route[],
  options: { clock?: Clock; rateLimitWaitMs?: number } = {},
): Promise<{ client: RSeriesClient; pos: PointOfSale; calls: string[] }> {
  const clock = options.clock ?? fastClock();
  const tokens = new InMemoryTokenStore();
  await tokens.write('conn', { accessToken: 'token', refreshToken: 'refresh', expiresAt: clock.now() + 86_400_000 });
  const { fetch, calls } = replayFetch(routes);
  const client = createRSeriesClient({
    apiBaseUrl: 'https://api.lightspeedapp.test',
    accountId: '83050',
    connectionId: 'conn',
    tokens,
    oauth: { tokenUrl: 'https://cloud.lightspeedapp.test/auth/oauth/token', clientId: 'contract' },
    budgets: new InMemoryBudgetStore(),
    budgetKey: 'lightspeed-r:83050:contract',
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
    rateLimitWaitMs: options.rateLimitWaitMs ?? 600_000,
    fetch,
    clock,
  });
  return { client, pos: createLightspeedRPos(client, { clock }), calls };
}
