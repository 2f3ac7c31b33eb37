/**
 * A third point of sale, for the registry test: its folder is this manifest, its port (pos.ts) and its back office
 * (store.ts). Registering it is one more entry in the list src/main.ts builds the registry from; nothing else in
 * src/ names it.
 */
import type { ConnectorManifest } from '../../../src/core/ports/connection.ts';
import { createFakePointOfSale } from './pos.ts';
import type { FakePosStore } from './store.ts';

export { FakePosStore } from './store.ts';

export function fakePos(store: FakePosStore): ConnectorManifest {
  return {
    system: 'fake-pos',
    kind: 'pos',
    label: 'Fake POS',
    capabilities: { bulkLineLimit: 100, addsVariantsToExistingParent: true },
    open: {
      pointOfSale: async (_deps, account) => createFakePointOfSale(account.system, store),
    },
  };
}
