import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, DEFAULT_BACKOFF, outageRetryAt } from './backoff.ts';

const highest = () => 1;
const lowest = () => 0;

test('backoff doubles from the base and stops at the cap', () => {
  const delays = [1, 2, 3, 4, 5, 9, 10, 30].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, highest));
  assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 256_000, 300_000, 300_000]);
});

test('jitter keeps every delay in the upper half of its ceiling', () => {
  const options = { baseMs: 100, capMs: 1_000 };
  assert.equal(backoffDelay(1, options, lowest), 50);
  assert.equal(backoffDelay(20, options, lowest), 500);
  for (let attempt = 1; attempt <= 12; attempt++) {
    const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
    const delay = backoffDelay(attempt, options);
    assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay}ms`);
  }
});

test('an outage is retried with a delay that grows with the wait, capped, until the budget is spent', () => {
  const options = { baseMs: 1_000, capMs: 300_000 };
  const budget = 24 * 3_600_000;
  const t0 = 1_000_000;
  // At once after the first failure (about the base), then about the time already waited.
  assert.equal(outageRetryAt(t0, t0, budget, options, highest), t0 + 1_000);
  assert.equal(outageRetryAt(t0, t0 + 8_000, budget, options, highest), t0 + 16_000);
  assert.equal(outageRetryAt(t0, t0 + 8_000, budget, options, lowest), t0 + 12_000);
  assert.equal(outageRetryAt(t0, t0 + 3_600_000, budget, options, highest), t0 + 3_900_000, 'capped');
  // The last try lands on the end of the budget; after it, the wait is over.
  assert.equal(outageRetryAt(t0, t0 + budget - 10_000, budget, options, highest), t0 + budget);
  assert.equal(outageRetryAt(t0, t0 + budget, budget, options, highest), null);
  // Tries over a five-minute outage: a handful, not one per second.
  let now = t0;
  let tries = 0;
  while (now < t0 + 300_000) {
    now = outageRetryAt(t0, now, budget, options, () => 0.5) as number;
    tries++;
  }
  assert.ok(tries >= 8 && tries <= 16, `${tries} tries in five minutes`);
});
