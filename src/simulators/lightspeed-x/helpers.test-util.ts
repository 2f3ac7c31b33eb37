/** Shared set-up for the X-Series simulator tests: a seeded simulator on real loopback HTTP. */
import { SimClock } from '../shared/clock.ts';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createLightspeedXSimulator, type LightspeedXSimulator } from './index.ts';

export interface Harness {
  sim: LightspeedXSimulator;
  server: RunningServer;
  url: string;
  token: string;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  json<T = any>(
    path: string,
    init?: RequestInit & { json?: unknown },
  ): Promise<{ status: number; body: T; res: Response }>;
  control(path: string, method?: string, body?: unknown): Promise<any>;
  fetchHtml(path: string): Promise<string>;
}

export async function startHarness(scenario = 'demo'): Promise<Harness> {
  const clock = new SimClock();
  clock.set(Date.UTC(2026, 10, 1, 12), true);
  const sim = createLightspeedXSimulator({ clock });
  sim.seedScenario(scenario, {});
  const server = await serveApp(sim.app, 0);
  const url = server.url;
  const control = async (path: string, method = 'GET', body?: unknown): Promise<any> => {
    const res = await fetch(`${url}${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    return res.json();
  };
  const minted = await control('/_sim/tokens', 'POST', { scope: 'products:read products:write' });
  const harness: Harness = {
    sim,
    server,
    url,
    token: minted.access_token,
    api(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${harness.token}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    async json(path, init) {
      const res = await harness.api(path, init);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, res };
    },
    control,
    async fetchHtml(path) {
      return (await fetch(`${url}${path}`)).text();
    },
  };
  return harness;
}
