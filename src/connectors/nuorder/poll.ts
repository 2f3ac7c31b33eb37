import type { KnownOrders, SourceOrderItem } from '../../core/ports/wholesale-source.ts';
import type { WholesaleOrder } from '../../core/wholesale-order.ts';
import { RemoteContractBroken, RemoteRejected } from '../shared/errors.ts';
import type { ListedOrder, NuorderClient, RawOrderFacts } from './client.ts';
import type { NuorderOrder } from './schemas.ts';

/**
 * The approved-orders poll when the caller says what it holds: linear in the work, not in the history. NuORDER has
 * no "modified since" filter (nuorder.md §3.1), but it lists ids by status (`/orders/{status}/list` [V]) and an
 * `edited` filter (§3.2 [V]; that it names every order edited after submission, whatever its status, is [I]: it
 * answered `[]` in the one recording, the simulator implements it so). So an idle poll is two id lists:
 * - an approved id neither held nor known as another store's is new: read it (`GET /order/{id}`);
 * - a held approved order can only have changed if it was edited, or split (the original loses lines and becomes
 *   `<n>-1` without being flagged edited [I], simulator): those are read, and skipped unless `modified_on` moved;
 * - every other held order is left alone: no read, no parse, no store write.
 * When more orders need reading than READS_BEFORE_LISTING (the first poll, a bulk edit), one detail listing costs
 * less; its orders are screened on `_id`, `retailer._id` and `modified_on` before they are validated.
 */

/** Past this many single reads, one listing of every approved order is cheaper. */
const READS_BEFORE_LISTING = 50;

export interface PollDeps {
  client: NuorderClient;
  ours(retailerId: string | null | undefined): boolean;
  /** The order with its products read (once per poll: the cache lives as long as the poll). */
  complete(order: NuorderOrder): Promise<WholesaleOrder>;
}

const unchanged = (known: KnownOrders, id: string | null, modifiedOn: string | null | undefined): boolean => {
  const stamp = id === null ? undefined : known.held.get(id)?.modifiedAt;
  if (stamp === undefined || stamp === null || !modifiedOn) return false;
  const at = Date.parse(modifiedOn);
  return !Number.isNaN(at) && at <= stamp;
};

/** `<n>-<k>` → `<n>`: split children share the number before the suffix (§3.3 [V]). */
const splitBase = (orderNumber: string): string | null => /^(.+)-\d+$/.exec(orderNumber)?.[1] ?? null;

export async function* pollKnown(deps: PollDeps, known: KnownOrders): AsyncIterable<SourceOrderItem> {
  const approved = await deps.client.listOrderIds('approved');
  const edited = await deps.client.listOrderIds('edited').catch((error: unknown) => {
    // A server that will not filter by `edited` leaves no way to see edits from ids: list instead.
    if (error instanceof RemoteRejected || error instanceof RemoteContractBroken) return null;
    throw error;
  });
  const approvedSet = new Set(approved);
  const fresh = approved.filter((id) => !known.held.has(id) && !known.otherStores.has(id));
  const suspects = (edited ?? []).filter((id) => approvedSet.has(id) && known.held.has(id));
  if (edited === null || fresh.length + suspects.length > READS_BEFORE_LISTING) {
    yield* listChanged(deps, known);
    return;
  }
  for (const id of approved) if (known.otherStores.has(id)) yield { kind: 'other-store', sourceId: id };
  const read = new Set<string>();
  const splitBases = new Set<string>();
  for (const id of [...fresh, ...suspects]) {
    read.add(id);
    const item = await readOne(deps, known, id);
    if (item?.kind === 'order' && !known.held.has(id)) {
      const base = splitBase(item.order.orderNumber);
      if (base !== null) splitBases.add(base);
    }
    if (item) yield item;
  }
  // A new split child: its held sibling (the original) lost lines without being flagged edited.
  if (splitBases.size === 0) return;
  for (const [id, held] of known.held) {
    if (read.has(id) || !approvedSet.has(id)) continue;
    const base = splitBase(held.orderNumber) ?? held.orderNumber;
    if (!splitBases.has(base)) continue;
    const item = await readOne(deps, known, id);
    if (item) yield item;
  }
}

/** One order by id: new, changed, another store's (reported), unchanged or gone (null). */
async function readOne(deps: PollDeps, known: KnownOrders, id: string): Promise<SourceOrderItem | null> {
  const entry = await deps.client.getOrderEach(id);
  return entry === null ? null : settle(deps, known, entry);
}

async function settle(deps: PollDeps, known: KnownOrders, entry: ListedOrder): Promise<SourceOrderItem | null> {
  if (!entry.ok) {
    if (entry.retailerId !== null && !deps.ours(entry.retailerId))
      return entry.sourceId === null ? null : { kind: 'other-store', sourceId: entry.sourceId };
    return { kind: 'unreadable', sourceId: entry.sourceId, orderNumber: null, reason: entry.error.message };
  }
  const order = entry.order;
  if (!deps.ours(order.retailer._id)) return { kind: 'other-store', sourceId: order._id };
  if (unchanged(known, order._id, order.modified_on ?? order.edited_on ?? order.created_on)) return null;
  try {
    return { kind: 'order', order: await deps.complete(order) };
  } catch (error) {
    if (!(error instanceof RemoteContractBroken)) throw error;
    return { kind: 'unreadable', sourceId: order._id, orderNumber: order.order_number, reason: error.message };
  }
}

/** The whole approved listing, each order screened on the raw JSON before it is validated. */
async function* listChanged(deps: PollDeps, known: KnownOrders): AsyncIterable<SourceOrderItem> {
  const others: string[] = [];
  const keep = (raw: RawOrderFacts): boolean => {
    if (raw.retailerId !== null && !deps.ours(raw.retailerId)) {
      if (raw.id !== null) others.push(raw.id);
      return false;
    }
    return !unchanged(known, raw.id, raw.modifiedOn);
  };
  const entries = await deps.client.listOrdersEach('approved', undefined, keep);
  for (const sourceId of others) yield { kind: 'other-store', sourceId };
  for (const entry of entries) {
    const item = await settle(deps, known, entry);
    if (item) yield item;
  }
}
