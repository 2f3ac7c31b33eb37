// Issue 18, "4 concurrent exports to one R-Series account, 1/2/4 workers": four export-like jobs (export.apply's
// own concurrency options; each 25 writes at 100 ms latency) to one R-Series simulator account with a small bucket
// (20 drips, 10 a second, current cost model), run by 1, 2 and 4 workers on PostgreSQL. Every worker has its own
// governor; they share the account's budget through the store. The floor is what the bucket allows for the drips
// the simulator charged: (drips − bucket) / drip rate.
import { figure } from './lib/figures.ts';
import { pgStore, runJobs, startAccount } from './lib/pos-jobs.ts';

const SIZE = 20;
const DRIP = 10;
const account = await startAccount({ bucketSize: SIZE, dripRate: DRIP, burstLimiter: false });
const { store, close } = await pgStore();
try {
  const rows: string[] = [];
  let pass = true;
  for (const workers of [1, 2, 4]) {
    // The previous run's level drains from the simulator's bucket and the shared budget alike (a reset of the
    // simulator alone would leave the stored budget believing the bucket full).
    await new Promise((resolve) => setTimeout(resolve, ((SIZE + 1) / DRIP) * 1000));
    const before = await account.control('GET', '/_sim/charges');
    const ms = await runJobs({ store, accounts: [account], jobs: [0, 0, 0, 0], writesPerJob: 25, workers });
    const after = await account.control('GET', '/_sim/charges');
    const drips = after.drips - before.drips;
    const limited = after.rateLimited - before.rateLimited;
    const floorMs = (Math.max(0, drips - SIZE) / DRIP) * 1000;
    const ratio = ms / floorMs;
    console.log(
      `  4 jobs to one account, ${workers} worker(s): ${(ms / 1000).toFixed(2)} s, ${drips} drips, ${limited} × 429, floor ${(floorMs / 1000).toFixed(2)} s (${ratio.toFixed(3)}×)`,
    );
    rows.push(`${workers}w ${limited}×429 ${ratio.toFixed(2)}×`);
    pass &&= limited === 0 && ratio <= 1.1;
  }
  figure({
    id: 'r-4-exports',
    figure: `${rows.join('; ')} (export-like jobs, not the full saga)`,
    target: '0 × 429, ≤ 1.1× the floor',
    pass,
  });
} finally {
  await close();
  await account.server.close();
}
