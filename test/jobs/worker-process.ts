import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { StoreOptions } from '../../src/store/db.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the first stdout line matching the pattern. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
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
  const listeners = new Set<() => void>();
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    lines.push(...complete);
    for (const listener of listeners) listener();
  });

  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return {
    child,
    waitForLine: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((candidate) => pattern.test(candidate));
          if (line === undefined) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`worker ${options.workerId} printed no line matching ${pattern}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`worker ${options.workerId} exited before printing ${pattern}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      }),
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
