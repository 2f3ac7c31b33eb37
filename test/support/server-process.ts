import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatorSystems } from '../../src/simulators/index.ts';
import { waitUntil } from './wait.ts';

const root = join(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  dataDir: string;
  /** Milliseconds from spawn until /ready answered 200. */
  readyAfterMs: number;
  /** SIMULATOR_BASE_PORT the process got: with `--demo`, the simulators listen on it and the next ports (simulators.ts demoSimulatorUrls). */
  simulatorBasePort: number;
  stop(): Promise<void>;
}

/**
 * Starts `tradeloop <args>` as a real child process (the same command `npm start` runs) with its own
 * data directory and ports, and waits until /ready answers 200.
 */
export async function startServerProcess(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = env['TRADELOOP_DATA_DIR'] ?? mkdtempSync(join(tmpdir(), 'tradeloop-e2e-'));
  const simulatorBasePort = env['SIMULATOR_BASE_PORT'] ? Number(env['SIMULATOR_BASE_PORT']) : await freePortBlock();
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, 'src', 'cli', 'main.ts'), ...args], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      TRADELOOP_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
      SIMULATOR_BASE_PORT: String(simulatorBasePort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  // Startup prints little (LOG_LEVEL=warn): what moves is its output and how /ready answers (no socket, then 503).
  await waitUntil(
    async () => {
      if (exited) throw new Error('tradeloop exited before it was ready:');
      let ready: number | string;
      try {
        ready = (await fetch(`${url}/ready`)).status;
      } catch {
        ready = 'not listening';
      }
      if (ready === 200) return { done: true, value: undefined };
      return { done: false, progress: { ready, outputChunks: output.length } };
    },
    { what: `tradeloop ${args.join(' ')} answering /ready`, intervalMs: 200 },
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${output.join('')}`);
  });
  const readyAfterMs = Date.now() - started;
  return {
    url,
    child,
    output,
    dataDir,
    readyAfterMs,
    simulatorBasePort,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A base port with the next ones free too: the demo simulators take one each, consecutive. */
async function freePortBlock(): Promise<number> {
  const offsets = simulatorSystems.map((_, i) => i);
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral range (32768+), where outgoing connections pick their ports, so the simulators never
    // collide with a client socket or a port-0 server of a parallel test file.
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const ok = await Promise.all(offsets.map((i) => isFree(base + i)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error(`no block of ${offsets.length} free ports found`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
