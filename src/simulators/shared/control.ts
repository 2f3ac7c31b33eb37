import { existsSync, readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { SimClock } from './clock.ts';
import { faultRuleInput, type FaultBook } from './faults.ts';

export type SimulatorSystem = 'nuorder' | 'lightspeed-x' | 'lightspeed-r' | 'netsuite';

/** What each simulator exposes to the shared control API (`/_sim/…`). */
export interface SimulatorControl {
  readonly system: SimulatorSystem;
  readonly clock: SimClock;
  readonly faults: FaultBook;
  /** Empties the simulator (no data, no tokens); the clock and faults are reset too by the control API. */
  reset(): void;
  /** Seeds a named scenario (`demo`, `small`, `large`, …) with optional size overrides. Throws SimInputError. */
  seedScenario(name: string, options: Record<string, unknown>): { summary: Record<string, number> };
  /** Adds posted records (in the simulator's own documented shape). Throws SimInputError on bad input. */
  seedData(data: unknown): { summary: Record<string, number> };
  /** The whole state, JSON-serialisable (also the snapshot format). */
  exportState(): unknown;
  /** Replaces the whole state with one produced by exportState(). */
  importState(state: unknown): void;
}

/** A mistake in what a caller sent to the control API: answered as 400 with the message. */
export class SimInputError extends Error {
  readonly details: unknown;
  constructor(message: string, details?: unknown) {
    super(message);
    this.name = 'SimInputError';
    this.details = details;
  }
}

const seedBody = z.union([
  z.object({ scenario: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) }),
  z.object({ data: z.unknown() }),
]);

const clockBody = z.union([
  z.object({ advanceMs: z.number().int() }),
  z.object({ advanceSeconds: z.number() }),
  z.object({ set: z.union([z.string().datetime(), z.number().int()]), freeze: z.boolean().default(false) }),
  z.object({ reset: z.literal(true) }),
]);

/**
 * Mounts the control API documented in docs/simulators.md. It is the same for every simulator so that
 * tests (ours and our users') drive all four the same way.
 */
export function mountControl(app: Hono, sim: SimulatorControl, snapshotFile?: string): void {
  app.onError((err, c) => {
    if (err instanceof SimInputError) return c.json({ error: err.message, details: err.details ?? null }, 400);
    if (err instanceof z.ZodError) return c.json({ error: 'Invalid request', issues: err.issues }, 400);
    if (err instanceof SyntaxError) return c.json({ error: `Malformed JSON: ${err.message}` }, 400);
    console.error(`[sim ${sim.system}]`, err);
    return c.json({ error: 'Simulator internal error', message: err.message }, 500);
  });

  const readJson = async (req: Request): Promise<unknown> => {
    const text = await req.text();
    return text.trim() === '' ? {} : JSON.parse(text);
  };

  app.get('/_sim', (c) =>
    c.json({
      system: sim.system,
      clock: sim.clock.describe(),
      faults: sim.faults.rules(),
      requests: sim.faults.requestCounts().total,
      routes: [
        'POST /_sim/reset',
        'POST /_sim/seed {scenario, options} | {data}',
        'GET|PUT /_sim/state',
        'GET|POST /_sim/clock {advanceMs} | {advanceSeconds} | {set, freeze} | {reset: true}',
        'GET|POST|DELETE /_sim/faults, DELETE /_sim/faults/:id',
        'GET|DELETE /_sim/requests',
        'POST /_sim/snapshot',
      ],
    }),
  );

  app.post('/_sim/reset', (c) => {
    sim.reset();
    sim.faults.clear();
    sim.faults.resetRequests();
    sim.clock.reset();
    return c.json({ ok: true });
  });

  app.post('/_sim/seed', async (c) => {
    const body = seedBody.parse(await readJson(c.req.raw));
    const result = 'scenario' in body ? sim.seedScenario(body.scenario, body.options) : sim.seedData(body.data);
    return c.json({ ok: true, ...result });
  });

  app.get('/_sim/state', (c) => c.json(sim.exportState() as object));
  app.put('/_sim/state', async (c) => {
    sim.importState(await readJson(c.req.raw));
    return c.json({ ok: true });
  });

  app.get('/_sim/clock', (c) => c.json(sim.clock.describe()));
  app.post('/_sim/clock', async (c) => {
    const body = clockBody.parse(await readJson(c.req.raw));
    if ('advanceMs' in body) sim.clock.advance(body.advanceMs);
    else if ('advanceSeconds' in body) sim.clock.advance(Math.round(body.advanceSeconds * 1000));
    else if ('set' in body) sim.clock.set(typeof body.set === 'number' ? body.set : Date.parse(body.set), body.freeze);
    else sim.clock.reset();
    return c.json(sim.clock.describe());
  });

  app.get('/_sim/faults', (c) => c.json({ faults: sim.faults.rules() }));
  app.post('/_sim/faults', async (c) => {
    const body = await readJson(c.req.raw);
    const inputs = Array.isArray(body) ? body : [body];
    const added = inputs.map((input) => sim.faults.add(faultRuleInput.parse(input)));
    return c.json({ faults: added }, 201);
  });
  app.delete('/_sim/faults', (c) => {
    sim.faults.clear();
    return c.json({ ok: true });
  });
  app.delete('/_sim/faults/:id', (c) => {
    const removed = sim.faults.remove(c.req.param('id'));
    return removed ? c.json({ ok: true }) : c.json({ error: `No fault rule ${c.req.param('id')}` }, 404);
  });

  app.get('/_sim/requests', (c) => {
    const limit = Number(c.req.query('limit') ?? 200);
    return c.json({
      ...sim.faults.requestCounts(),
      recent: sim.faults.requestLog(Number.isFinite(limit) ? limit : 200),
    });
  });
  app.delete('/_sim/requests', (c) => {
    sim.faults.resetRequests();
    return c.json({ ok: true });
  });

  app.post('/_sim/snapshot', (c) => {
    if (!snapshotFile) return c.json({ error: 'This simulator was started without a snapshot file' }, 400);
    saveSnapshot(sim, snapshotFile);
    return c.json({ ok: true, file: snapshotFile });
  });
}

export function loadSnapshot(sim: SimulatorControl, file: string): boolean {
  if (!existsSync(file)) return false;
  sim.importState(JSON.parse(readFileSync(file, 'utf8')));
  return true;
}

export function saveSnapshot(sim: SimulatorControl, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(sim.exportState()));
  renameSync(temp, file);
}
