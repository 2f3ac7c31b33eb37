// Issue 18, "8 orders to 8 POS accounts, 1 → 4 workers (PostgreSQL)": eight export-like jobs (export.apply's own
// concurrency options; each 20 writes at 100 ms latency to its own R-Series simulator account, a roomy bucket)
// run by 1, 2 and 4 workers on PostgreSQL, each worker as `tradeloop worker` runs: WORKER_CONCURRENCY jobs at once,
// of them EXPORTS_PER_WORKER exports (defaults 4 and 2). Before issue 18 the task was capped at 4 across the
// cluster, so more workers added nothing; now a POS account takes two at once and a worker two, so 4 workers run
// all 8 at once.
import { figure } from './lib/figures.ts';
import { pgStore, runJobs, startAccount, type Account } from './lib/pos-jobs.ts';

const accounts: Account[] = [];
for (let i = 0; i < 8; i++) accounts.push(await startAccount({ bucketSize: 100_000, dripRate: 10_000 }));
const { store, close } = await pgStore();
try {
  const jobs = accounts.map((_, i) => i);
  const times: Record<number, number> = {};
  for (const workers of [1, 2, 4]) {
    times[workers] = await runJobs({ store, accounts, jobs, writesPerJob: 20, workers });
    console.log(`  8 jobs to 8 accounts, ${workers} worker(s): ${(times[workers]! / 1000).toFixed(2)} s`);
  }
  const speedup = times[1]! / times[4]!;
  figure({
    id: 'pos-8-accounts',
    figure: `${(times[1]! / 1000).toFixed(1)} s → ${(times[4]! / 1000).toFixed(1)} s (${speedup.toFixed(2)}×; 2 workers ${(times[2]! / 1000).toFixed(1)} s; export-like jobs, not the full saga)`,
    target: '≥ 3× faster with 4',
    pass: speedup >= 3,
  });
} finally {
  await close();
  await Promise.all(accounts.map((a) => a.server.close()));
}
