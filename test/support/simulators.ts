/**
 * The one place tests and benches start simulators. In process (the default) a test can reach into the
 * simulator (`sim.exportState()`, a front app before it); as a separate process (`tradeloop sim`, for benches)
 * its CPU is not counted as Tradeloop's. Either way it listens on loopback, on a free port unless told one,
 * and answers its control API (`/_sim/…`, docs/simulators.md) through `control`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { Providers } from '../../src/config.ts';
import { createSimulator, simulatorSystems, type Simulator, type SimulatorSystem } from '../../src/simulators/index.ts';
import type { ScenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { serveApp, type RunningServer } from '../../src/simulators/shared/server.ts';

const root = join(import.meta.dirname, '..', '..');

/** The OAuth applications the Lightspeed simulators accept out of the box (docs/simulators/*.md). */
export const SIMULATOR_APPS = {
  lightspeedX: { clientId: 'tradeloop-dev', clientSecret: 'tradeloop-dev-secret' },
  lightspeedR: { clientId: 'tradeloop-sim-client', clientSecret: 'tradeloop-sim-secret' },
};

export interface StartOptions {
  /** Seeded at start: 'demo' unless told; 'none' seeds nothing (seed later with POST /_sim/seed). */
  scenario?: string;
  /** The generator's options (ScenarioOptions), or a simulator's own (NetSuite's `salesOrders`). */
  scenarioOptions?: Partial<ScenarioOptions> | Record<string, unknown>;
  /** A loopback port; free one when absent. */
  port?: number;
}

export interface InProcessOptions extends StartOptions {
  process?: false;
  /** A simulator built another way (an R-Series account of its own); a fresh one of `system` otherwise. */
  sim?: Simulator;
  /** Served in place of the simulator's own app: a front that forwards to it (counting or holding requests). */
  app?: Hono;
}

export interface ProcessOptions extends StartOptions {
  /** `tradeloop sim` in a child process. */
  process: true;
}

interface SimulatorHandle {
  system: SimulatorSystem;
  url: string;
  port: number;
  /** Calls the control API; a reply other than 2xx throws with its status and body. */
  control(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export interface RunningSim extends SimulatorHandle {
  sim: Simulator;
  server: RunningServer;
}

export interface SimProcess extends SimulatorHandle {
  child: ChildProcess;
}

/** Calls a simulator's control API (`/_sim/…`) at a base URL. */
export async function simControl(baseUrl: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

export function startSimulator(system: SimulatorSystem, options?: InProcessOptions): Promise<RunningSim>;
export function startSimulator(system: SimulatorSystem, options: ProcessOptions): Promise<SimProcess>;
export function startSimulator(
  system: SimulatorSystem,
  options: InProcessOptions | ProcessOptions = {},
): Promise<RunningSim | SimProcess> {
  return options.process ? startProcess(system, options) : startInProcess(system, options);
}

async function startInProcess(system: SimulatorSystem, options: InProcessOptions): Promise<RunningSim> {
  const sim = options.sim ?? createSimulator(system);
  const scenario = options.scenario ?? 'demo';
  if (scenario !== 'none') sim.seedScenario(scenario, (options.scenarioOptions ?? {}) as Record<string, unknown>);
  const server = await serveApp(options.app ?? sim.app, options.port ?? 0);
  return {
    system,
    sim,
    server,
    url: server.url,
    port: server.port,
    control: (method, path, body) => simControl(server.url, method, path, body),
    close: () => server.close(),
  };
}

async function startProcess(system: SimulatorSystem, options: ProcessOptions): Promise<SimProcess> {
  const scenario = options.scenario ?? 'demo';
  // The CLI seeds a named scenario only; one with options is seeded through the control API once it listens.
  const seed = options.scenarioOptions ? 'none' : scenario;
  const args = ['sim', system, '--port', String(options.port ?? 0), '--seed', seed];
  const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stopping = false;
  // With --port 0 the port is known only from what the simulator prints once it listens.
  const url = await new Promise<string>((resolve, reject) => {
    let said = '';
    child.stdout?.on('data', (d: Buffer) => {
      said += d.toString();
      const found = /simulator on (http:\/\/[^\s]+?) /.exec(said);
      if (found?.[1]) resolve(found[1]);
    });
    child.on('exit', (code, signal) => {
      if (!stopping) console.error(`${system} simulator exited (code ${code}, signal ${signal})`);
      reject(new Error(`${system} simulator exited`));
    });
  });
  const control = (method: string, path: string, body?: unknown) => simControl(url, method, path, body);
  if (options.scenarioOptions && scenario !== 'none')
    await control('POST', '/_sim/seed', { scenario, options: options.scenarioOptions });
  return {
    system,
    url,
    port: Number(new URL(url).port),
    child,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Simulators<S extends readonly SimulatorSystem[]> {
  /** In the order asked for. */
  running: { [I in keyof S]: RunningSim };
  /** Every provider pointed at its simulator (null for those not started), with the simulators' OAuth apps. */
  providers: Providers;
  close(): Promise<void>;
}

/** Several simulators in process, each on its own free port, and the providers that reach them. */
export async function startSimulators<const S extends readonly SimulatorSystem[]>(
  systems: S,
  options: Omit<InProcessOptions, 'port' | 'sim' | 'app'> = {},
): Promise<Simulators<S>> {
  const running = await Promise.all(systems.map((system) => startSimulator(system, options)));
  return {
    running: running as { [I in keyof S]: RunningSim },
    providers: providersFor(running),
    close: async () => {
      await Promise.all(running.map((s) => s.close()));
    },
  };
}

/**
 * The providers configuration that points Tradeloop at these simulators: null for systems not among them (NuORDER's
 * is empty then: its setting cannot be null).
 */
export function providersFor(sims: ReadonlyArray<{ system: SimulatorSystem; url: string }>): Providers {
  const url = (system: SimulatorSystem) => sims.find((s) => s.system === system)?.url ?? null;
  return {
    nuorder: { baseUrl: url('nuorder') ?? '' },
    lightspeedX: { baseUrl: url('lightspeed-x'), ...SIMULATOR_APPS.lightspeedX },
    lightspeedR: { baseUrl: url('lightspeed-r'), ...SIMULATOR_APPS.lightspeedR },
    netsuite: { baseUrl: url('netsuite') },
  };
}

/**
 * Where `tradeloop start --demo` puts its simulators: `simulatorSystems` in order on consecutive ports from
 * SIMULATOR_BASE_PORT (src/simulators/index.ts startDemoSimulators).
 */
export function demoSimulatorUrls(basePort: number): Record<SimulatorSystem, string> {
  return Object.fromEntries(
    simulatorSystems.map((system, index) => [system, `http://127.0.0.1:${basePort + index}`]),
  ) as Record<SimulatorSystem, string>;
}
