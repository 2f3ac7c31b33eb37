/**
 * Order status after export (migration 0010): the source's status and shipments of each exported order, with the
 * history of every change. The shipment refresh (flows/shipment-refresh.ts) records what it read; timelines, the
 * orders list and the POS PO's shipment facts read it back.
 */
import { hashCanonical } from '../../core/canonical.ts';
import type { WholesaleOrderStatus, WholesaleShipment } from '../../core/wholesale-order.ts';
import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';

export interface StoredShipment {
  key: string;
  sourceId: string | null;
  position: number;
  carrier: string | null;
  trackingNumbers: string[];
  shippedOn: string | null;
  lines: Array<{ lineKey: string; quantity: number }>;
  units: number;
  firstSeenAt: number;
  updatedAt: number;
}

export interface Fulfilment {
  orderId: string;
  connectionId: string;
  sourceStatus: WholesaleOrderStatus;
  complete: boolean;
  shippedUnits: number;
  factsHash: string;
  refreshedAt: number;
  changedAt: number;
  shipments: StoredShipment[];
}

export type FulfilmentEventKind = 'status_changed' | 'shipment_added' | 'shipment_changed' | 'shipment_removed';

export interface FulfilmentEvent {
  id: string;
  orderId: string;
  kind: FulfilmentEventKind;
  detail: Record<string, unknown>;
  at: number;
}

/** An exported order still being followed at its source. */
export interface OpenExportedOrder {
  orderId: string;
  sourceId: string;
  orderNumber: string;
  /** The source status as last read (the fulfilment's, else the order's as ingested). */
  status: WholesaleOrderStatus;
  /** Units ordered (all lines): a receipt of them all completes the order. */
  unitCount: number;
}

const unitsOf = (s: Pick<WholesaleShipment, 'lines'>): number => s.lines.reduce((n, l) => n + l.quantity, 0);

/** A shipment's identity: the source's id, else a hash of what it says (a source that gives no id). */
export function shipmentKey(s: WholesaleShipment): string {
  return (
    s.sourceId ?? `h:${hashCanonical({ c: s.carrier, t: s.trackingNumbers, d: s.shippedAt, l: s.lines }).slice(0, 24)}`
  );
}

/** What the POS PO is told: every shipment's carrier, tracking, date and lines, in order. */
export function factsHashOf(shipments: readonly WholesaleShipment[]): string {
  return hashCanonical(
    shipments.map((s) => ({ c: s.carrier, t: s.trackingNumbers, d: s.shippedAt, l: s.lines })),
  ).slice(0, 32);
}

/**
 * The exported orders of a wholesale connection not complete yet (shipped in full, cancelled): the ones the refresh
 * re-reads. An order exported to two POS connections is one order here.
 */
export async function openExported(db: Db, tenantId: string, connectionId: string): Promise<OpenExportedOrder[]> {
  const rows = await db
    .selectFrom('wholesale_orders as o')
    .leftJoin('order_fulfilment as f', 'f.order_id', 'o.id')
    .select(['o.id', 'o.source_id', 'o.order_number', 'o.status', 'o.unit_count', 'f.source_status', 'f.complete'])
    .where('o.tenant_id', '=', tenantId)
    .where('o.connection_id', '=', connectionId)
    .where('o.status', '!=', 'cancelled')
    .where((eb) => eb.or([eb('f.complete', 'is', null), eb('f.complete', '=', 0)]))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('exports as e')
          .select('e.id')
          .whereRef('e.order_id', '=', 'o.id')
          .where('e.tenant_id', '=', tenantId)
          .where('e.state', '=', 'exported'),
      ),
    )
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({
    orderId: r.id,
    sourceId: r.source_id,
    orderNumber: r.order_number,
    status: (r.source_status ?? r.status) as WholesaleOrderStatus,
    unitCount: Number(r.unit_count),
  }));
}

export interface RecordInput {
  orderId: string;
  connectionId: string;
  status: WholesaleOrderStatus;
  /** Shipped in full (a short last shipment too), cancelled, or received in full: the refresh reads it no more. */
  complete: boolean;
  shipments: readonly WholesaleShipment[];
}

export interface RecordOutcome {
  /** Anything new (status, a shipment added, changed or withdrawn). */
  changed: boolean;
  /** The shipment facts changed (what the POS PO carries). */
  factsChanged: boolean;
  factsHash: string;
}

/**
 * Stores what the source says of an order now, and the history of what changed since the last read, in one
 * transaction. The order's own status column follows the source (the orders list filters by it).
 */
export async function record(db: Db, tenantId: string, input: RecordInput, now: number): Promise<RecordOutcome> {
  return db.transaction().execute(async (trx) => {
    const before = (await forOrders(trx, tenantId, [input.orderId])).get(input.orderId) ?? null;
    const factsHash = factsHashOf(input.shipments);
    const events: Array<{ kind: FulfilmentEventKind; detail: Record<string, unknown> }> = [];
    const previousStatus = before?.sourceStatus ?? null;
    if (previousStatus !== input.status)
      events.push({ kind: 'status_changed', detail: { from: previousStatus, to: input.status } });
    const old = new Map((before?.shipments ?? []).map((s) => [s.key, s]));
    const seen = new Set<string>();
    for (const [position, s] of input.shipments.entries()) {
      const key = shipmentKey(s);
      seen.add(key);
      const row = {
        carrier: s.carrier,
        tracking_numbers: JSON.stringify(s.trackingNumbers),
        shipped_on: s.shippedAt,
        lines: JSON.stringify(s.lines),
        units: unitsOf(s),
        position,
      };
      const detail = {
        key,
        carrier: s.carrier,
        trackingNumbers: s.trackingNumbers,
        shippedOn: s.shippedAt,
        units: row.units,
      };
      const was = old.get(key);
      if (!was) {
        await trx
          .insertInto('order_shipments')
          .values({
            order_id: input.orderId,
            shipment_key: key,
            tenant_id: tenantId,
            source_id: s.sourceId,
            ...row,
            first_seen_at: now,
            updated_at: now,
          })
          .execute();
        events.push({ kind: 'shipment_added', detail });
        continue;
      }
      const same =
        was.carrier === s.carrier &&
        JSON.stringify(was.trackingNumbers) === row.tracking_numbers &&
        was.shippedOn === s.shippedAt &&
        JSON.stringify(was.lines) === row.lines &&
        was.position === position;
      if (same) continue;
      await trx
        .updateTable('order_shipments')
        .set({ ...row, updated_at: now })
        .where('order_id', '=', input.orderId)
        .where('shipment_key', '=', key)
        .execute();
      events.push({
        kind: 'shipment_changed',
        detail: {
          ...detail,
          before: {
            carrier: was.carrier,
            trackingNumbers: was.trackingNumbers,
            shippedOn: was.shippedOn,
            units: was.units,
          },
        },
      });
    }
    for (const [key, was] of old) {
      if (seen.has(key)) continue;
      await trx
        .deleteFrom('order_shipments')
        .where('order_id', '=', input.orderId)
        .where('shipment_key', '=', key)
        .execute();
      events.push({
        kind: 'shipment_removed',
        detail: { key, carrier: was.carrier, trackingNumbers: was.trackingNumbers, units: was.units },
      });
    }
    const shippedUnits = input.shipments.reduce((n, s) => n + unitsOf(s), 0);
    const changed = events.length > 0 || (before !== null && before.complete !== input.complete);
    const values = {
      source_status: input.status,
      complete: input.complete ? 1 : 0,
      shipped_units: shippedUnits,
      facts_hash: factsHash,
      refreshed_at: now,
    };
    if (before === null)
      await trx
        .insertInto('order_fulfilment')
        .values({
          order_id: input.orderId,
          tenant_id: tenantId,
          connection_id: input.connectionId,
          ...values,
          changed_at: now,
        })
        .execute();
    else
      await trx
        .updateTable('order_fulfilment')
        .set({ ...values, ...(changed ? { changed_at: now } : {}) })
        .where('order_id', '=', input.orderId)
        .where('tenant_id', '=', tenantId)
        .execute();
    if (events.length > 0)
      await trx
        .insertInto('order_fulfilment_events')
        .values(
          events.map((e, seq) => ({
            id: crypto.randomUUID(),
            tenant_id: tenantId,
            order_id: input.orderId,
            kind: e.kind,
            detail: JSON.stringify(e.detail),
            at: now,
            seq,
          })),
        )
        .execute();
    if (previousStatus !== input.status)
      await trx
        .updateTable('wholesale_orders')
        .set({ status: input.status, updated_at: now })
        .where('id', '=', input.orderId)
        .where('tenant_id', '=', tenantId)
        .execute();
    return { changed, factsChanged: (before?.factsHash ?? factsHashOf([])) !== factsHash, factsHash };
  });
}

/** Marks orders read in a refresh whose answer changed nothing (the time of the last read). */
export async function touch(db: Db, tenantId: string, orderIds: readonly string[], now: number): Promise<void> {
  for (const part of chunks(orderIds, 500))
    await db
      .updateTable('order_fulfilment')
      .set({ refreshed_at: now })
      .where('tenant_id', '=', tenantId)
      .where('order_id', 'in', part)
      .execute();
}

/** The fulfilment of each order that has one, with its shipments in order. */
export async function forOrders(
  db: Db,
  tenantId: string,
  orderIds: readonly string[],
): Promise<Map<string, Fulfilment>> {
  const out = new Map<string, Fulfilment>();
  for (const part of chunks([...new Set(orderIds)], 500)) {
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('order_fulfilment')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('order_id', 'in', part)
      .execute();
    for (const r of rows)
      out.set(r.order_id, {
        orderId: r.order_id,
        connectionId: r.connection_id,
        sourceStatus: r.source_status as WholesaleOrderStatus,
        complete: Number(r.complete) === 1,
        shippedUnits: Number(r.shipped_units),
        factsHash: r.facts_hash,
        refreshedAt: Number(r.refreshed_at),
        changedAt: Number(r.changed_at),
        shipments: [],
      });
    const shipments = await db
      .selectFrom('order_shipments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('order_id', 'in', part)
      .orderBy('order_id')
      .orderBy('position')
      .execute();
    for (const s of shipments)
      out.get(s.order_id)?.shipments.push({
        key: s.shipment_key,
        sourceId: s.source_id,
        position: Number(s.position),
        carrier: s.carrier,
        trackingNumbers: JSON.parse(s.tracking_numbers) as string[],
        shippedOn: s.shipped_on,
        lines: JSON.parse(s.lines) as Array<{ lineKey: string; quantity: number }>,
        units: Number(s.units),
        firstSeenAt: Number(s.first_seen_at),
        updatedAt: Number(s.updated_at),
      });
  }
  return out;
}

/** An order's history of source changes, oldest first. */
export async function events(db: Db, tenantId: string, orderId: string): Promise<FulfilmentEvent[]> {
  const rows = await db
    .selectFrom('order_fulfilment_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .orderBy('at')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    kind: r.kind as FulfilmentEventKind,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    at: Number(r.at),
  }));
}

/** A receipt committed from Tradeloop against an order's PO, as a timeline step (receiving's own table). */
export interface CommittedReceipt {
  id: string;
  orderId: string;
  poNumber: string;
  units: number;
  committedAt: number | null;
}

/** The committed receipts of these orders, oldest first, in one query (the orders list shows their latest step). */
export async function committedReceipts(
  db: Db,
  tenantId: string,
  orderIds: readonly string[],
): Promise<CommittedReceipt[]> {
  const out: CommittedReceipt[] = [];
  for (const part of chunks([...new Set(orderIds)], 500)) {
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('receipts')
      .select(['id', 'order_id', 'po_number', 'units', 'committed_at'])
      .where('tenant_id', '=', tenantId)
      .where('order_id', 'in', part)
      .where('state', '=', 'committed')
      .orderBy('committed_at')
      .orderBy('id')
      .execute();
    for (const r of rows)
      out.push({
        id: r.id,
        orderId: r.order_id,
        poNumber: r.po_number,
        units: Number(r.units),
        committedAt: r.committed_at === null ? null : Number(r.committed_at),
      });
  }
  return out;
}
