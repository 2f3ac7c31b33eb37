import type { Hono } from 'hono';
import { join } from 'node:path';
import { SimClock } from './shared/clock.ts';
import { loadSnapshot, saveSnapshot, type SimulatorControl, type SimulatorSystem } from './shared/control.ts';
import { serveApp, type RunningServer } from './shared/server.ts';
import { createNuorderSimulator } from './nuorder/index.ts';
import { createLightspeedXSimulator } from './lightspeed-x/index.ts';
import { createLightspeedRSimulator } from './lightspeed-r/index.ts';
import { createNetsuiteSimulator } from './netsuite/index.ts';

export type { SimulatorSystem } from './shared/control.ts';
export type Simulator = SimulatorControl & { app: Hono };

export const simulatorSystems: readonly SimulatorSystem[] = ['nuorder', 'lightspeed-x', 'lightspeed-r', 'netsuite'];

export function isSimulatorSystem(name: string): name is SimulatorSystem {
  return (simulatorSystems as readonly string[]).includes(name);
}

export interface SimulatorOptions {
  clock?: SimClock;
  snapshotFile?: string;
  publicUrl?: string;
}

export function createSimulator(system: SimulatorSystem, options: SimulatorOptions = {}): Simulator {
  switch (system) {
    case 'nuorder':
      return createNuorderSimulator(options);
    case 'lightspeed-x':
      return createLightspeedXSimulator(options);
    case 'lightspeed-r':
      return createLightspeedRSimulator(options);
    case 'netsuite':
      return createNetsuiteSimulator(options);
  }
}

export interface RunningSimulator {
  system: SimulatorSystem;
  sim: Simulator;
  server: RunningServer;
  url: string;
}

/**
 * Starts one simulator on a port, restoring its snapshot file when there is one, otherwise seeding the
 * named scenario. Closing saves the snapshot, so a demo keeps its state across restarts.
 */
export async function startSimulator(
  system: SimulatorSystem,
  options: { port: number; scenario?: string; snapshotFile?: string; host?: string },
): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const publicUrl = `http://${host}:${options.port}`;
  const sim = createSimulator(system, {
    publicUrl,
    ...(options.snapshotFile ? { snapshotFile: options.snapshotFile } : {}),
  });
  const restored = options.snapshotFile ? loadSnapshot(sim, options.snapshotFile) : false;
  if (!restored && options.scenario) sim.seedScenario(options.scenario, {});
  const server = await serveApp(sim.app, options.port, host);
  return {
    system,
    sim,
    server,
    url: server.url,
  };
}

export async function stopSimulator(running: RunningSimulator, snapshotFile?: string): Promise<void> {
  await running.server.close();
  if (snapshotFile) saveSnapshot(running.sim, snapshotFile);
}

/** The four simulators of the demo, on consecutive ports, with snapshots in the data directory. */
export async function startDemoSimulators(
  basePort: number,
  dataDir: string,
): Promise<{ simulators: RunningSimulator[]; close(): Promise<void> }> {
  const simulators: RunningSimulator[] = [];
  const snapshotOf = (system: SimulatorSystem): string => join(dataDir, 'simulators', `${system}.json`);
  for (const [index, system] of simulatorSystems.entries()) {
    simulators.push(
      await startSimulator(system, { port: basePort + index, scenario: 'demo', snapshotFile: snapshotOf(system) }),
    );
  }
  return {
    simulators,
    close: async () => {
      for (const running of simulators) await stopSimulator(running, snapshotOf(running.system));
    },
  };
}
