// Fixed ports for the benches' simulator processes: from BENCH_BASE_PORT (default 24100, below Linux's ephemeral
// range, where tests' port-0 servers land), each checked free by listening on it before it is handed out, and
// never handed out twice in one run. No random ports: two runs collide only if both are on the same base.
import { createServer } from 'node:net';

let next = Number(process.env['BENCH_BASE_PORT'] ?? 24100);

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The next free port at or after the last one handed out. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 500; tries++) {
    const port = next++;
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port from ${next - 500} to ${next - 1}`);
}
