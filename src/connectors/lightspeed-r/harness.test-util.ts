// Test support only: starts the R-Series simulator over loopback HTTP. Connector code never imports this.
import assert from 'node:assert/strict';
import { createLightspeedRSimulator, type LightspeedRSimulator } from '../../simulators/lightspeed-r/index.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import { InMemoryTokenStore } from '../shared/oauth2.ts';
import { InMemoryBudgetStore } from '../shared/rate-governor.ts';
import { createRSeriesClient, type RSeriesClient, type RSeriesClientOptions } from './client.ts';

export const CLIENT_ID = 'tradeloop-sim-client';
export const CLIENT_SECRET = 'tradeloop-sim-secret';

export interface Harness {
  sim: LightspeedRSimulator;
  server: RunningServer;
  url: string;
  ctl<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Mints a token pair in the simulator and stores it under `connectionId`. */
  mint(
    tokens: InMemoryTokenStore,
    connectionId: string,
    expiresInSeconds?: number,
  ): Promise<{ accountId: string; accessToken: string; refreshToken: string }>;
  connect(
    extra?: Partial<RSeriesClientOptions>,
  ): Promise<{ client: RSeriesClient; tokens: InMemoryTokenStore; budgets: InMemoryBudgetStore; accountId: string }>;
  /** Fast bucket for functional tests (no waiting). */
  roomyBucket(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(scenario: 'small' | 'demo' | null = 'small'): Promise<Harness> {
  const sim = createLightspeedRSimulator();
  const server = await serveApp(sim.app, 0);
  const url = server.url;

  async function ctl<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function mint(tokens: InMemoryTokenStore, connectionId: string, expiresInSeconds?: number) {
    const t = await ctl<{ access_token: string; refresh_token: string; expires_in: number; account_id: string }>(
      'POST',
      '/_sim/tokens',
      expiresInSeconds === undefined ? {} : { expiresInSeconds },
    );
    await tokens.write(connectionId, {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: Date.now() + t.expires_in * 1000,
    });
    return { accountId: t.account_id, accessToken: t.access_token, refreshToken: t.refresh_token };
  }

  async function connect(extra: Partial<RSeriesClientOptions> = {}) {
    const tokens = new InMemoryTokenStore();
    const budgets = new InMemoryBudgetStore();
    const { accountId } = await mint(tokens, 'conn-1');
    const client = createRSeriesClient({
      apiBaseUrl: url,
      accountId,
      connectionId: 'conn-1',
      tokens,
      oauth: { tokenUrl: `${url}/auth/oauth/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      budgets,
      budgetKey: `lightspeed-r:${accountId}:${CLIENT_ID}`,
      retry: { attempts: 2, baseMs: 5, capMs: 20 },
      timeoutMs: 5_000,
      ...extra,
    });
    return { client, tokens, budgets, accountId };
  }

  const roomyBucket = async (): Promise<void> => {
    await ctl('PUT', '/_sim/config', {
      bucketSize: 100_000,
      dripRate: 10_000,
      // The simulator's default, today's model (§6); tests of the legacy model set it themselves.
      costModel: 'current',
      // The burst limiter stays on, at 2/9 of this bucket: far above what a functional test sends.
      burstLimiter: true,
      burstLimit: null,
      resetBuckets: true,
    });
  };

  await roomyBucket();
  if (scenario !== null) await ctl('POST', '/_sim/seed', { scenario });

  return { sim, server, url, ctl, mint, connect, roomyBucket, close: () => server.close() };
}

/** Counts the 429s the simulator answered since the last `DELETE /_sim/requests`. */
export async function count429(h: Harness): Promise<number> {
  const log = await h.ctl<{ recent: Array<{ status: number }> }>('GET', '/_sim/requests?limit=50000');
  return log.recent.filter((r) => r.status === 429).length;
}
