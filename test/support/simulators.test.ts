import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSimulatorUrls, startSimulator, startSimulators } from './simulators.ts';

test('in process: each simulator on its own free port, seeded, with the providers that reach it', async () => {
  const sims = await startSimulators(['nuorder', 'lightspeed-r'], { scenario: 'small' });
  try {
    const [nuorder, r] = sims.running;
    assert.notEqual(nuorder.port, r.port);
    assert.equal((await nuorder.control('GET', '/_sim')).system, 'nuorder');
    assert.ok((await nuorder.control('GET', '/_sim/state')).orders.length > 0, 'seeded with the scenario');
    assert.deepEqual(sims.providers.nuorder, { baseUrl: nuorder.url });
    assert.equal(sims.providers.lightspeedR.baseUrl, r.url);
    assert.equal(sims.providers.lightspeedX.baseUrl, null, 'not started: null');
    await assert.rejects(nuorder.control('GET', '/_sim/no-such-route'), /GET \/_sim\/no-such-route → 404/);
  } finally {
    await sims.close();
  }
});

test('a separate process on a free port, seeded with options through the control API; close ends it', async () => {
  const x = await startSimulator('lightspeed-x', {
    process: true,
    scenario: 'small',
    scenarioOptions: { unrelatedPosItems: 3 },
  });
  try {
    assert.ok(x.port > 0);
    assert.equal(x.url, `http://127.0.0.1:${x.port}`);
    assert.equal((await x.control('GET', '/_sim')).system, 'lightspeed-x');
    assert.ok((await x.control('GET', '/_sim/state')).products.length > 0, 'seeded');
  } finally {
    await x.close();
  }
  assert.equal(x.child.signalCode ?? x.child.exitCode, 0, 'it stopped on SIGTERM');
  await assert.rejects(fetch(`${x.url}/_sim`));
});

test('the demo puts its simulators on consecutive ports in the order of simulatorSystems', () => {
  assert.deepEqual(demoSimulatorUrls(20_000), {
    nuorder: 'http://127.0.0.1:20000',
    'lightspeed-x': 'http://127.0.0.1:20001',
    'lightspeed-r': 'http://127.0.0.1:20002',
    netsuite: 'http://127.0.0.1:20003',
  });
});
