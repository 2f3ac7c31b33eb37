import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProbes } from './doctor.ts';
import { RemoteContractBroken, RemoteUnavailable } from './errors.ts';

test('probes report ok, every mismatched field, errors and skips', async () => {
  const checks = await runProbes([
    { call: 'GET /a', purpose: 'a', run: async () => ({}) },
    {
      call: 'GET /b',
      purpose: 'b',
      run: () =>
        Promise.reject(
          new RemoteContractBroken({
            vendor: 'x',
            fieldPath: 'data[0].state',
            problem: 'Required',
            issues: [
              { fieldPath: 'data[0].state', problem: 'Required' },
              { fieldPath: 'data[0].source', problem: 'Expected object' },
            ],
          }),
        ),
    },
    {
      call: 'GET /c',
      purpose: 'c',
      run: () => Promise.reject(new RemoteUnavailable({ vendor: 'x', reason: 'timeout' })),
    },
    { call: 'GET /d', purpose: 'd', skip: async () => 'nothing to read', run: () => Promise.reject(new Error('ran')) },
  ]);
  assert.deepEqual(
    checks.map((c) => [c.call, c.outcome, c.fields.map((f) => f.path)]),
    [
      ['GET /a', 'ok', []],
      ['GET /b', 'mismatch', ['data[0].state', 'data[0].source']],
      ['GET /c', 'error', []],
      ['GET /d', 'skipped', []],
    ],
  );
  assert.match(checks[2]?.detail ?? '', /REMOTE_UNAVAILABLE/);
});
