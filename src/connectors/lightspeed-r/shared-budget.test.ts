// Issue 18: several processes (here four clients, each with its own governor, in-flight count and mutex) spend
// one R-Series account's bucket through a budget store that updates atomically, as the store's rate_budgets row
// does under its lock. Reservations are taken in the shared budget before sending and replies that come back
// out of order never lower the level, so none of them meets a 429 and together they run at the bucket's pace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { BudgetState, BudgetStore } from '../shared/rate-governor.ts';
import { assertPacedNear, count429, startHarness, type Harness } from './harness.test-util.ts';

let h: Harness;
const anything = z.unknown();

before(async () => {
  h = await startHarness(null);
});

after(async () => {
  await h.close();
});

/** One budget row shared by every "process": reads and writes take a store round trip, updates are atomic. */
function sharedStore(): BudgetStore {
  const rows = new Map<string, string>();
  let tail: Promise<unknown> = Promise.resolve();
  const roundTrip = () => sleep(1);
  return {
    async load(key) {
      await roundTrip();
      const raw = rows.get(key);
      return raw === undefined ? null : (JSON.parse(raw) as BudgetState);
    },
    async save(key, state) {
      await roundTrip();
      rows.set(key, JSON.stringify(state));
    },
    update(key, change) {
      const run = tail.then(async () => {
        await roundTrip();
        const raw = rows.get(key);
        const { state, result } = change(raw === undefined ? null : (JSON.parse(raw) as BudgetState));
        if (state !== undefined) rows.set(key, JSON.stringify(state));
        return result;
      });
      tail = run.catch(() => {});
      return run;
    },
  };
}

test('four processes spending one account through the shared budget meet no 429, at the bucket pace', async () => {
  await h.ctl('PUT', '/_sim/config', {
    bucketSize: 10,
    dripRate: 10,
    costModel: 'current',
    burstLimiter: false,
    resetBuckets: true,
  });
  const budgets = sharedStore();
  const processes = await Promise.all([0, 1, 2, 3].map(() => h.connect({ budgets })));
  const perProcess = 12;
  await h.ctl('DELETE', '/_sim/requests');
  const drips = processes.length * perProcess;
  const minimum = (drips - 10) / 10;
  await assertPacedNear(
    `4 processes, ${drips} reads at bucket 10 / drip 10`,
    minimum,
    () =>
      Promise.all(
        processes.flatMap(({ client }) =>
          Array.from({ length: perProcess }, () => client.request({ path: 'Shop.json', schema: anything })),
        ),
      ),
    { slackS: 0.3 },
  );
  assert.equal(await count429(h), 0);
});
