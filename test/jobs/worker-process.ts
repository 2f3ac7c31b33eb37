import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { StoreOptions } from '../../src/store/db.ts';
import { waitUntil } from '../support/wait.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the first stdout line matching the pattern (fails once the worker prints nothing new for a while). */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(): Promise<number | null>;
  kill(): Promise<void>;
}

/** Starts test/jobs/fixtures/worker-process.ts in a real Node process on the given store. */
export function spawnWorkerProcess(options: { store: StoreOptions; workerId: string; lockMs?: number }): WorkerProcess {
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      ...process.env,
      STORE_OPTIONS: JSON.stringify(options.store),
      WORKER_ID: options.workerId,
      LOCK_MS: String(options.lockMs ?? 60_000),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    lines.push(...complete);
  });

  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return {
    child,
    waitForLine: (pattern) =>
      waitUntil(
        () => {
          const line = lines.find((candidate) => pattern.test(candidate));
          if (line !== undefined) return { done: true, value: line };
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(`worker ${options.workerId} exited before printing ${pattern}`);
          return { done: false, progress: { lines: lines.length, partial: buffered.length } };
        },
        { what: `worker ${options.workerId} printing a line matching ${pattern}`, intervalMs: 10 },
      ),
    terminate: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
