import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { StoreOptions } from '../../src/store/db.ts';
import { SIMULATOR_APPS } from './simulators.ts';

const FIXTURE = fileURLToPath(new URL('../flows/fixtures/engine-worker.ts', import.meta.url));

export interface EngineWorkerProcess {
  id: string;
  child: ChildProcess;
  /** Resolves once the worker polls. */
  ready: Promise<void>;
  /** What it wrote to stderr (its warn/error logs), for failure messages. */
  stderr(): string;
  /** SIGKILL: no grace, no cleanup, whatever it was doing. */
  kill(): Promise<void>;
  /** SIGTERM: stops cleanly; resolves with the exit code. */
  terminate(): Promise<number | null>;
}

/** Starts test/flows/fixtures/engine-worker.ts: a real worker process running the export engine's jobs. */
export function spawnEngineWorker(options: {
  store: StoreOptions;
  vaultKey: string;
  workerId: string;
  /** The export job's lock; undefined = the production default. */
  lockMs: number | undefined;
  concurrency?: number;
  logLevel?: string;
}): EngineWorkerProcess {
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      ...process.env,
      // Enough PostgreSQL connections that dozens of concurrent sagas never starve the lock heartbeat.
      STORE_OPTIONS: JSON.stringify(
        options.store.databaseUrl
          ? { ...options.store, poolSize: Math.max(options.store.poolSize ?? 0, 12) }
          : options.store,
      ),
      VAULT_KEY: options.vaultKey,
      WORKER_ID: options.workerId,
      LOCK_MS: options.lockMs === undefined ? '' : String(options.lockMs),
      CONCURRENCY: String(options.concurrency ?? 4),
      // Every run these tests hold at a kill point is in flight at once: as many exports as jobs, not two.
      EXPORTS_PER_WORKER: String(options.concurrency ?? 4),
      LOG_LEVEL: options.logLevel ?? 'warn',
      LIGHTSPEED_X_CLIENT_ID: SIMULATOR_APPS.lightspeedX.clientId,
      LIGHTSPEED_X_CLIENT_SECRET: SIMULATOR_APPS.lightspeedX.clientSecret,
      LIGHTSPEED_R_CLIENT_ID: SIMULATOR_APPS.lightspeedR.clientId,
      LIGHTSPEED_R_CLIENT_SECRET: SIMULATOR_APPS.lightspeedR.clientSecret,
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (/^ready$/m.test(out)) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`worker ${options.workerId} exited (${code}) before it was ready: ${err.slice(-2000)}`)),
    );
  });
  ready.catch(() => {});
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    if (err.length > 1_000_000) err = err.slice(-500_000);
  });
  return {
    id: options.workerId,
    child,
    ready,
    stderr: () => err,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    terminate: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
