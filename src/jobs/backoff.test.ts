import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

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
