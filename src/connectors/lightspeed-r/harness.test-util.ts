// Test support only: starts the R-Series simulator over loopback HTTP. Connector code never imports this.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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

/**
 * Times `work` and checks the governor's pacing against the minimum the limits allow: never faster (×`floorRatio`),
 * and no slower than ×1.1 + `slackS`, plus the time this process's event loop ran late meanwhile. On a loaded machine
 * every timer fires late (the governor's waits too), so that lag is the machine's, not the governor's; on an idle
 * one it is near zero and the bound is the plain one.
 */
export async function assertPacedNear(
  label: string,
  minimumS: number,
  work: () => Promise<unknown>,
  options: { slackS?: number; floorRatio?: number } = {},
): Promise<number> {
  const resolutionMs = 10;
  const lag = monitorEventLoopDelay({ resolution: resolutionMs });
  lag.enable();
  const started = performance.now();
  await work();
  const elapsed = (performance.now() - started) / 1000;
  lag.disable();
  // Each sample is the time between two ticks of a 10 ms timer: what exceeds 10 ms, summed, is the time the loop
  // was held up.
  const lagS = lag.count === 0 ? 0 : (Math.max(0, lag.mean - resolutionMs * 1e6) * lag.count) / 1e9;
  const allowed = minimumS * 1.1 + (options.slackS ?? 0) + lagS;
  console.log(
    `${label}: ${elapsed.toFixed(2)} s (theoretical minimum ${minimumS.toFixed(2)} s, ratio ${(elapsed / minimumS).toFixed(3)}; event-loop lag ${lagS.toFixed(2)} s)`,
  );
  if (options.floorRatio !== undefined)
    assert.ok(elapsed >= minimumS * options.floorRatio, `faster than the limits allow: ${elapsed} s`);
  assert.ok(
    elapsed <= allowed,
    `too slow: ${elapsed.toFixed(2)} s vs ${minimumS} s (allowed ${allowed.toFixed(2)} s with ${lagS.toFixed(2)} s of event-loop lag)`,
  );
  return elapsed;
}
