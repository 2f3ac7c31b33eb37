/**
 * Test support only (never imported by connector code): the X-Series simulator on real loopback HTTP, with a
 * linked connection (tokens in an in-memory TokenStore), the client and the PointOfSale built on it.
 */
import { gtinCheckDigit, parseGtin } from '../../core/gtin.ts';
import { money } from '../../core/money.ts';
import { productCorrelationKey, variantCorrelationKey } from '../../core/pos-catalog.ts';
import type { NewProductSpec, PointOfSale } from '../../core/ports/pos.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import {
  createLightspeedXSimulator,
  type LightspeedXOptions,
  type LightspeedXSimulator,
} from '../../simulators/lightspeed-x/index.ts';
import { InMemoryTokenStore } from '../shared/oauth2.ts';
import { InMemoryBudgetStore } from '../shared/rate-governor.ts';
import type { HttpLogger } from '../shared/http.ts';
import { createXSeriesClient, type XSeriesClient } from './client.ts';
import { apiBaseUrlFor, tokenUrlFor } from './link.ts';
import { createLightspeedXPos, type LightspeedXPosOptions } from './pos.ts';

export const CLIENT_ID = 'tradeloop-dev';
export const CLIENT_SECRET = 'tradeloop-dev-secret';
export const CONNECTION = 'conn-x-1';

export interface XHarness {
  sim: LightspeedXSimulator;
  server: RunningServer;
  url: string;
  domainPrefix: string;
  tokens: InMemoryTokenStore;
  budgets: InMemoryBudgetStore;
  client: XSeriesClient;
  pos: PointOfSale;
  logs: string[];
  control<T = any>(path: string, method?: string, body?: unknown): Promise<T>;
  /** A raw API call with a fresh simulator token (for test set-up, not through the connector). */
  api<T = any>(path: string, method?: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Requests the simulator saw for `METHOD /route/:pattern` since the last `resetCounts`. */
  count(route: string): Promise<number>;
  resetCounts(): Promise<void>;
  fault(rule: Record<string, unknown>): Promise<void>;
  makePos(options?: LightspeedXPosOptions): PointOfSale;
  close(): Promise<void>;
}

export async function startXHarness(
  options: {
    scenario?: string;
    sim?: LightspeedXOptions;
    pos?: LightspeedXPosOptions;
    timeoutMs?: number;
    /** The client's fetch (e.g. one that records the request bodies the connector sends). */
    fetch?: typeof fetch;
  } = {},
): Promise<XHarness> {
  const sim = createLightspeedXSimulator(options.sim ?? {});
  const server = await serveApp(sim.app, 0);
  const url = server.url;
  const control = async (path: string, method = 'GET', body?: unknown): Promise<any> => {
    const res = await fetch(`${url}${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  await control('/_sim/seed', 'POST', { scenario: options.scenario ?? 'small' });
  const minted = await control('/_sim/tokens', 'POST', { scope: 'products:read products:write consignments:read' });
  const raw = await control('/_sim/tokens', 'POST', {});
  const tokens = new InMemoryTokenStore();
  await tokens.write(CONNECTION, {
    accessToken: minted.access_token,
    refreshToken: minted.refresh_token,
    expiresAt: Date.now() + minted.expires_in * 1000,
    tokenType: 'Bearer',
  });
  const budgets = new InMemoryBudgetStore();
  const logs: string[] = [];
  const logger: HttpLogger = {
    info: (obj, msg) => logs.push(JSON.stringify({ obj, msg })),
    warn: (obj, msg) => logs.push(JSON.stringify({ obj, msg })),
  };
  const domainPrefix: string = minted.domain_prefix;
  const client = createXSeriesClient({
    apiBaseUrl: apiBaseUrlFor(domainPrefix, { simulatorUrl: url }),
    connectionId: CONNECTION,
    tokens,
    oauth: {
      tokenUrl: tokenUrlFor(domainPrefix, { simulatorUrl: url }),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    },
    budgets,
    budgetKey: `lightspeed-x:${domainPrefix}:${CLIENT_ID}`,
    logger,
    timeoutMs: options.timeoutMs ?? 5000,
    retry: { attempts: 3, baseMs: 10, capMs: 50 },
    fetch: options.fetch,
  });
  const makePos = (o: LightspeedXPosOptions = {}): PointOfSale =>
    createLightspeedXPos(client, {
      purchaseOrderUrl: (id) => `${url}/backoffice/consignments/${id}`,
      ...options.pos,
      ...o,
    });
  const counts = async (): Promise<Record<string, number>> => (await control('/_sim/requests?limit=0')).byRoute;
  return {
    sim,
    server,
    url,
    domainPrefix,
    tokens,
    budgets,
    client,
    pos: makePos(),
    logs,
    control,
    async api(path, method = 'GET', body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${raw.access_token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    count: async (route) => (await counts())[route] ?? 0,
    resetCounts: async () => {
      await control('/_sim/requests', 'DELETE');
    },
    fault: async (rule) => {
      await control('/_sim/faults', 'POST', rule);
    },
    makePos,
    close: () => server.close(),
  };
}

/** Valid UPC-As (check digit computed) in a range of their own per prefix, so test files never share one. */
export function upcMaker(prefix: string): () => string {
  let seq = 0;
  return () => {
    const body = `${prefix}${String(++seq).padStart(11 - prefix.length, '0')}`;
    return body + String(gtinCheckDigit(body));
  };
}

/** A new product of style `tag` in Navy, one variant per size, each with a fresh UPC, cost 12.50, retail 29.99. */
export function newProductSpec(
  upc: () => string,
  brand: {
    key: string;
    name: string;
    stylePrefix: string;
    namePrefix: string;
    season: string | null;
    category: string | null;
  },
  tag: string,
  supplierId: string,
  sizes: string[],
): NewProductSpec {
  const matrix = `${brand.key}|${tag}|navy`;
  return {
    correlationKey: productCorrelationKey(matrix),
    matrixKey: matrix,
    supplierId,
    brandName: brand.name,
    styleNumber: `${brand.stylePrefix}-${tag}`,
    color: 'Navy',
    name: `${brand.namePrefix} ${tag}`,
    season: brand.season,
    category: brand.category,
    images: [],
    existingParentId: null,
    variants: sizes.map((size) => {
      const code = upc();
      const parsed = parseGtin(code);
      return {
        variantKey: `${matrix}|${size}`,
        correlationKey: variantCorrelationKey(`${matrix}|${size}`),
        size,
        gtin14: parsed.ok ? parsed.gtin14 : null,
        upc: code,
        cost: money(1250, 'USD'),
        retail: money(2999, 'USD'),
      };
    }),
  };
}
