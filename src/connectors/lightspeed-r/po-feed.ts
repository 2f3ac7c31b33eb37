/**
 * The R-Series purchase-order feed (reference lightspeed-r-series.md §3.1, §2.3, §5): a merchant's purchase order is
 * an `Order` for a `vendorID`, delivered to a `shopID`. Orders changed after the cursor are read oldest first with
 * `Order.json?sort=timeStamp&timeStamp=>=,{ts}` (`timeStamp` is sortable on Order, §3.1; the comparison filter is
 * documented on Item, §2.3, and applies to any field [I]), following `@attributes.next` as-is (§5). Active orders
 * only (`archived` defaults to false, §2.3): an archived one is never sent to a brand. The status is derived as the
 * UI shows it (§3.3): archived, Finished (`complete`), Check In (`receivedDate`), Ordered (`orderedDate`), else
 * Open; Open and Ordered are still being ordered. R-Series keeps what did not arrive on the same order (no
 * remainder order), so `isRemainder` is always false.
 *
 * The tag goes in `refNum` (the order's reference, §3.1) when the merchant left it empty, else on a line of its own
 * in the order's note (the `Note` relation, written as `{"Note":{"note":"…"}}` on PUT [I: §3.1, open question 5]).
 * A Finished or archived order is not tagged, and says why.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { PosPurchaseOrderHead, PurchaseOrderFeed } from '../../core/ports/po-feed.ts';
import { RemoteRejected } from '../shared/errors.ts';
import { LIGHTSPEED_R_VENDOR, type RSeriesClient } from './client.ts';
import { PAGE_MAX } from './pos-context.ts';
import { listEnvelope, lsText, orderLinePage, orderSchema, singleEnvelope, type ROrder } from './schemas.ts';

/** Pages one read takes at most; the cursor says where the next read goes on. */
const MAX_PAGES = 10;
/**
 * timeStamps have one-second resolution: an order changed later in the cursor's second carries the same stamp, so
 * the next read re-reads that second (`>=`; the poll's pairing dedupes what it saw) until the server's clock is this
 * far past it, when no write can still get that stamp and later reads ask for later stamps only (`>`). As the
 * catalog feed does (catalog.ts).
 */
const SETTLE_MS = 2_000;

// Only what the feed reads; the note comes as `{"Note":{"note":…}}` with load_relations, absent or "" without one.
const feedOrder = orderSchema.extend({
  timeStamp: z.string().min(1),
  createTime: z.string().optional(),
  Note: z
    .preprocess((v) => (v && typeof v === 'object' ? v : { note: '' }), z.looseObject({ note: lsText }))
    .optional(),
});
type FeedOrder = z.output<typeof feedOrder>;
const feedPage = listEnvelope('Order', feedOrder);
const oneFeedOrder = singleEnvelope('Order', feedOrder);

interface FeedCursor {
  /** Orders stamped at or after this are (re)read. Null: from the beginning. */
  ts: string | null;
  /** Every order stamped `ts` or earlier was read: the next read asks for later stamps only. */
  settled?: true;
  /** Mid-read: the `@attributes.next` URL to follow as-is. */
  next?: string;
}

function decodeCursor(cursor: string | null): FeedCursor {
  if (cursor === null || cursor === '') return { ts: null };
  try {
    const c = JSON.parse(cursor) as Record<string, unknown>;
    if (c && typeof c === 'object') {
      const ts = typeof c.ts === 'string' ? c.ts : null;
      return {
        ts,
        ...(c.settled === true && ts !== null ? { settled: true as const } : {}),
        ...(typeof c.next === 'string' && c.next !== '' ? { next: c.next } : {}),
      };
    }
  } catch {
    // fall through
  }
  throw new AppError('POS_CURSOR_INVALID', `not an R-Series purchase-order feed cursor: ${cursor.slice(0, 80)}`);
}

/** The status words purchase-orders.ts reports, from the order alone (its lines are not read for a head). */
function statusOf(o: ROrder): string {
  if (o.archived) return 'archived';
  if (o.complete) return 'finished';
  if (o.receivedDate !== undefined) return 'check_in';
  if (o.orderedDate !== undefined) return 'ordered';
  return 'open';
}

function headOf(o: FeedOrder, poUrlTemplate: string): PosPurchaseOrderHead {
  const reference = o.refNum.trim() !== '' ? o.refNum.trim() : null;
  const status = statusOf(o);
  return {
    id: o.orderID,
    number: reference ?? o.orderID,
    url: poUrlTemplate.replace('{orderID}', encodeURIComponent(o.orderID)),
    // "0" (or nothing) is R-Series for no vendor chosen.
    supplierId: /^[1-9]\d*$/.test(o.vendorID) ? o.vendorID : null,
    locationId: o.shopID === '0' ? null : o.shopID,
    status,
    ordering: status === 'open' || status === 'ordered',
    reference,
    createdAt: o.createTime ?? null,
    isRemainder: false,
  };
}

export function createRSeriesPoFeed(client: RSeriesClient, poUrlTemplate: string): PurchaseOrderFeed {
  const refuse = (message: string, status = 422): RemoteRejected =>
    new RemoteRejected({ vendor: LIGHTSPEED_R_VENDOR, status, vendorMessage: message });
  const checkId = (poId: string): void => {
    if (!/^\d+$/.test(poId)) throw refuse(`not an R-Series order id: ${poId}`, 404);
  };

  return {
    async changedSince(cursor) {
      const start = decodeCursor(cursor);
      const byId = new Map<string, PosPurchaseOrderHead>();
      let position = start;
      for (let page = 0; page < MAX_PAGES; page++) {
        const reply =
          position.next !== undefined
            ? await client.send({ path: position.next, schema: feedPage })
            : await client.send({
                path: 'Order.json',
                query: {
                  sort: 'timeStamp',
                  limit: PAGE_MAX,
                  ...(position.ts !== null ? { timeStamp: `${position.settled ? '>' : '>='},${position.ts}` } : {}),
                },
                schema: feedPage,
              });
        const { items, next } = reply.data;
        // An order changed while the pages were read may come twice: its latest state stands.
        for (const o of items) {
          byId.delete(o.orderID);
          byId.set(o.orderID, headOf(o, poUrlTemplate));
        }
        const last = items[items.length - 1]?.timeStamp ?? position.ts;
        if (next !== '' && items.length > 0) {
          position = { ts: last, next };
          continue;
        }
        const serverNow = Date.parse(reply.headers.get('date') ?? '');
        const lastMs = last === null ? Number.NaN : Date.parse(last);
        const settled =
          (position.settled === true && last === position.ts) ||
          (Number.isFinite(serverNow) && Number.isFinite(lastMs) && serverNow - lastMs >= SETTLE_MS);
        position = settled && last !== null ? { ts: last, settled: true } : { ts: last };
        break;
      }
      const orders = [...byId.values()];
      return { orders, cursor: position.ts === null ? cursor : JSON.stringify(position) };
    },

    async lines(poId) {
      checkId(poId);
      const lines = await client.list(
        'OrderLine.json',
        { orderID: poId, limit: PAGE_MAX, sort: 'orderLineID' },
        orderLinePage,
      );
      return lines.filter((l) => l.quantity > 0).map((l) => ({ posItemId: l.itemID, quantity: l.quantity }));
    },

    async tag(poId, tag) {
      checkId(poId);
      const path = `Order/${poId}.json`;
      const o = await client.request({ path, query: { load_relations: '["Note"]' }, schema: oneFeedOrder });
      const reference = o.refNum.trim();
      const note = o.Note?.note ?? '';
      if (reference === tag) return { field: 'refNum', written: false };
      if (note.includes(tag)) return { field: 'note', written: false };
      if (o.archived || o.complete)
        throw refuse(`order ${o.orderID} is ${o.archived ? 'archived' : 'finished'} and cannot be updated`);
      const body =
        reference === ''
          ? { refNum: tag }
          : { Note: { note: `${note.trimEnd()}${note.trim() === '' ? '' : '\n'}NuORDER order ${tag}` } };
      // Writes are never resent by the transport: a retry reads first, so a write that committed is not made again.
      await client.request({ method: 'PUT', path, body, schema: z.unknown() });
      return { field: reference === '' ? 'refNum' : 'note', written: true };
    },
  };
}
