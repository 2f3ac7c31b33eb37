import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  currentLink,
  describeEvent,
  findLikelyDuplicates,
  linkEvent,
  mergeSuccessor,
  undoLastChange,
  type DuplicateCandidate,
  type DuplicatePos,
  type LinkEvent,
  type LinkOrigin,
} from './item-links.ts';

const key = 'brand-1|4156301-4|navy|m';

/** Appends what a change records (if anything) to a history. */
function apply(
  history: LinkEvent[],
  to: string | null,
  origin: LinkOrigin = 'chosen_by_person',
  by = 'dana',
): LinkEvent[] {
  const event = linkEvent(key, history, { to, origin, at: `2026-11-0${history.length + 1}T00:00:00.000Z`, by });
  return event ? [...history, event] : history;
}

function undo(history: LinkEvent[]): LinkEvent[] {
  const event = undoLastChange(key, history, '2026-12-01T00:00:00.000Z', 'dana');
  return event ? [...history, event] : history;
}

describe('the item-link ledger', () => {
  it('records every change with its origin, keeps the history, and undoes the last change', () => {
    let h: LinkEvent[] = [];
    h = apply(h, 'item-17', 'upc_match', 'tradeloop');
    h = apply(h, 'item-42');
    assert.deepEqual(
      h.map((e) => [e.kind, e.posItemId, e.origin, e.previousPosItemId]),
      [
        ['linked', 'item-17', 'upc_match', null],
        ['changed', 'item-42', 'chosen_by_person', 'item-17'],
      ],
    );
    assert.equal(
      describeEvent(h[1] as LinkEvent),
      'Chosen by a person (dana, 2026-11-02): linked to item-42 instead of item-17',
    );
    h = undo(h);
    assert.deepEqual(currentLink(key, h), {
      variantKey: key,
      posItemId: 'item-17',
      origin: 'upc_match',
      since: '2026-12-01T00:00:00.000Z',
      by: 'dana',
      evidence: 'undid the link to item-42',
      changes: 3,
    });
    assert.equal(h.length, 3, 'the history keeps the change and its undo');
  });

  it('forgetting is a change too, undone like any other; undoing again walks further back, then stops', () => {
    let h = apply([], 'item-17', 'created_by_export', 'tradeloop');
    h = apply(h, null);
    assert.equal(currentLink(key, h).posItemId, null);
    assert.equal(h.at(-1)?.kind, 'forgotten');
    h = undo(h);
    assert.equal(currentLink(key, h).posItemId, 'item-17');
    assert.equal(currentLink(key, h).origin, 'created_by_export');
    h = undo(h);
    assert.equal(currentLink(key, h).posItemId, null);
    assert.equal(undoLastChange(key, h, 'x', 'dana'), null, 'nothing left to undo');
  });

  it('linking to the item it already has records nothing', () => {
    const h = apply([], 'item-17', 'upc_match');
    assert.equal(linkEvent(key, h, { to: 'item-17', origin: 'upc_match', at: 'x', by: 'y' }), null);
  });

  it('property: a change then its undo leaves the link as it was, whatever came before', () => {
    const step = fc.oneof(fc.constantFrom('item-1', 'item-2', 'item-3', null), fc.constant('undo' as const));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.constantFrom('item-1', 'item-9', null), (steps, to) => {
        let h: LinkEvent[] = [];
        for (const s of steps) h = s === 'undo' ? undo(h) : apply(h, s);
        const before = currentLink(key, h);
        const changed = apply(h, to);
        if (changed.length === h.length) return true;
        const after = currentLink(key, undo(changed));
        return (
          after.posItemId === before.posItemId &&
          after.origin === before.origin &&
          undo(changed).length === h.length + 2
        );
      }),
    );
  });
});

describe('following a merge', () => {
  const gone = { posItemId: '7', sku: 'sty-1042-navy-m-3f9a0c1b', gtins: ['00012345678905'], archived: false };
  it('finds the one live item that now carries the merged item’s SKU, else its barcode', () => {
    assert.equal(
      mergeSuccessor(gone, [
        { posItemId: '7', sku: gone.sku, gtins: [], archived: false },
        { posItemId: '12', sku: 'STY-1042-NAVY-M-3F9A0C1B', gtins: [], archived: false },
      ]),
      '12',
    );
    assert.equal(
      mergeSuccessor(gone, [{ posItemId: '12', sku: 'MERCH', gtins: ['00012345678905'], archived: false }]),
      '12',
    );
    assert.equal(
      mergeSuccessor(gone, [
        { posItemId: '12', sku: null, gtins: ['00012345678905'], archived: false },
        { posItemId: '13', sku: null, gtins: ['00012345678905'], archived: false },
      ]),
      null,
      'two candidates: a person chooses',
    );
  });
});

describe('likely duplicates', () => {
  const ours: DuplicateCandidate = {
    posItemId: '201',
    name: 'Tee Navy M',
    sku: 'sty-1042-navy-m-3f9a0c1b',
    gtins: ['00012345678905'],
    archived: false,
    createdByTradeloop: true,
    styleNumber: '1042',
    color: 'Navy',
    size: 'M',
  };
  const theirs: DuplicateCandidate = {
    posItemId: '17',
    name: 'Classic tee navy medium',
    sku: 'TEE-NV-M',
    gtins: [],
    archived: false,
    createdByTradeloop: false,
    styleNumber: ' 1042 ',
    color: 'NAVY',
    size: 'm',
  };

  // As the R-Series and X-Series manifests describe them (src/connectors/*/index.ts).
  const rSeries: DuplicatePos = {
    system: 'lightspeed-r',
    label: 'R-Series',
    appName: 'Retail POS',
    merge: { permanent: true },
  };
  const xSeries: DuplicatePos = { system: 'lightspeed-x', label: 'X-Series', appName: 'Retail POS', merge: null };

  it('pairs Tradeloop’s item with the merchant’s by style/colour/size when they share no barcode', () => {
    const found = findLikelyDuplicates([ours, theirs, { ...theirs, posItemId: '18', archived: true }], rSeries);
    assert.deepEqual(
      found.map((d) => [d.ours.posItemId, d.theirs.posItemId, d.matchedOn]),
      [['201', '17', 'style_color_size']],
    );
    assert.deepEqual(findLikelyDuplicates([ours, { ...theirs, gtins: ours.gtins }], rSeries), []);
    assert.deepEqual(
      findLikelyDuplicates([ours, { ...theirs, styleNumber: null, sku: ours.sku?.toUpperCase() ?? null }], rSeries).map(
        (d) => d.matchedOn,
      ),
      ['sku'],
    );
  });

  it('R-Series: both directions explained, merging the existing item into the new one recommended, permanent', () => {
    const [d] = findLikelyDuplicates([ours, theirs], rSeries);
    assert.equal(d?.advice.permanent, true);
    assert.match(d?.advice.summary ?? '', /permanent/);
    assert.deepEqual(
      d?.advice.directions.map((x) => [x.id, x.recommended]),
      [
        ['existing_into_new', true],
        ['new_into_existing', false],
      ],
    );
    assert.match(d?.advice.directions[0]?.outcome ?? '', /Confirmed/);
  });

  it('X-Series has no merge: relink and deactivate', () => {
    const [d] = findLikelyDuplicates([ours, theirs], xSeries);
    assert.equal(d?.advice.canMerge, false);
    assert.deepEqual(
      d?.advice.directions.map((x) => x.id),
      ['relink_and_deactivate'],
    );
  });

  it('property: every pair is ours × theirs, live, without a shared barcode, listed once', () => {
    const cand = fc.record({
      posItemId: fc.string({ minLength: 1, maxLength: 3 }),
      name: fc.constant('x'),
      sku: fc.option(fc.constantFrom('A', 'a', 'B'), { nil: null }),
      gtins: fc.array(fc.constantFrom('1', '2'), { maxLength: 1 }),
      archived: fc.boolean(),
      createdByTradeloop: fc.boolean(),
      styleNumber: fc.option(fc.constantFrom('S1', 's1 '), { nil: null }),
      color: fc.constant('Navy'),
      size: fc.constant('M'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(cand, { maxLength: 8, selector: (c) => c.posItemId }), (items) => {
        const found = findLikelyDuplicates(items, rSeries);
        const pairs = new Set(found.map((d) => `${d.ours.posItemId}>${d.theirs.posItemId}`));
        return (
          pairs.size === found.length &&
          found.every(
            (d) =>
              d.ours.createdByTradeloop &&
              !d.theirs.createdByTradeloop &&
              !d.ours.archived &&
              !d.theirs.archived &&
              !d.ours.gtins.some((g) => d.theirs.gtins.includes(g)),
          )
        );
      }),
    );
  });
});
