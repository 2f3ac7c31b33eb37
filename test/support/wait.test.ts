import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitUntil } from './wait.ts';

test('waitUntil returns the probe’s value once it is done', async () => {
  let polls = 0;
  const value = await waitUntil(
    () => (++polls >= 3 ? { done: true, value: `after ${polls}` } : { done: false, progress: { polls } }),
    { what: 'three polls', stallMs: 1_000, intervalMs: 1 },
  );
  assert.equal(value, 'after 3');
});

test('waitUntil keeps waiting past stallMs in all while the progress keeps changing', async () => {
  const started = Date.now();
  let step = 0;
  const waited = await waitUntil(
    () => {
      const elapsed = Date.now() - started;
      if (elapsed >= 600) return { done: true, value: elapsed };
      return { done: false, progress: { step: ++step } };
    },
    { what: 'a slow but moving wait', stallMs: 100, intervalMs: 10 },
  );
  assert.ok(waited >= 600, `waited ${waited} ms, six times stallMs`);
});

test('waitUntil fails once the progress stops changing, naming what and the last snapshot', async () => {
  let polls = 0;
  const started = Date.now();
  await assert.rejects(
    waitUntil(
      // Moves for a few polls, then sticks at 5; the key order changes on every poll, which is no progress.
      () => {
        polls++;
        const n = Math.min(polls, 5);
        return {
          done: false,
          progress: polls % 2 ? { jobs: ['queued'], n } : { n, jobs: ['queued'] },
        };
      },
      { what: 'the jobs finishing', stallMs: 150, intervalMs: 5 },
    ),
    (error: Error) => {
      assert.match(error.message, /^the jobs finishing: no progress for \d+ ms \(waited \d+ ms in all\)/);
      assert.match(error.message, /last progress: \{"jobs":\["queued"\],"n":5\}$/);
      return true;
    },
  );
  const took = Date.now() - started;
  assert.ok(took >= 150, `not before stallMs (${took} ms)`);
  assert.ok(took < 5_000, `soon after the progress stopped (${took} ms)`);
});

test('waitUntil passes on an error the probe throws', async () => {
  await assert.rejects(
    waitUntil(
      () => {
        throw new Error('the worker exited early');
      },
      { what: 'never' },
    ),
    /the worker exited early/,
  );
});
