/** The consignment routes of API 2.0 (reference §3.3); the rules are in consignments.ts. */
import type { Hono } from 'hono';
import {
  addLine,
  bulkLines,
  createConsignment,
  liveConsignment,
  updateConsignment,
  updateLine,
} from './consignments.ts';
import type { XDb } from './db.ts';
import { notFound, unprocessable } from './errors.ts';
import { collection, h, isObject, pageParams, readJson, unwrap } from './http.ts';
import { consignmentOut, dec5, lineOut } from './render.ts';
import type { ConsignmentRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

/** Indirection so the consignment list reads the live config without a circular import. */
export const configRef = { consignmentListEnvelope: (): 'array' | 'data' => 'array' };

export function mountConsignmentsApi(app: Hono, db: XDb, hooks: WebhookDispatcher): void {
  const v2 = '/api/2.0';
  app.get(
    `${v2}/consignments`,
    h((c) => {
      const p = pageParams(c);
      const type = c.req.query('type');
      const status = c.req.query('status');
      const outlet = c.req.query('outlet_id');
      const keep = (x: ConsignmentRec): boolean =>
        (p.deleted || x.deleted_at === null) &&
        (!type || x.type === type) &&
        (!status || x.status === status) &&
        (!outlet || x.outlet_id === outlet);
      const items = db.consignments.page(p.after, p.before, p.pageSize, keep);
      const listed = collection(items, (x) => consignmentOut(x, db), p.after);
      // Spec 1 declares this list as a bare array (every other 2.0 list is wrapped); see config consignmentListEnvelope.
      return c.json(configRef.consignmentListEnvelope() === 'array' ? listed.data : listed);
    }),
  );
  app.post(
    `${v2}/consignments`,
    h(async (c) => {
      const body = unwrap(await readJson(c));
      if (!isObject(body)) throw unprocessable('Invalid consignment');
      const rec = createConsignment(db, body);
      if (rec.status === 'SENT' && rec.type === 'SUPPLIER') hooks.consignment('consignment.send', rec);
      return c.json({ data: consignmentOut(rec, db) }, 201);
    }),
  );
  app.get(
    `${v2}/consignments/:id`,
    h((c) => {
      const rec = db.consignments.get(c.req.param('id') ?? '');
      if (!rec) throw notFound('Consignment');
      return c.json({ data: consignmentOut(rec, db) });
    }),
  );
  app.put(
    `${v2}/consignments/:id`,
    h(async (c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      const body = unwrap(await readJson(c));
      if (!isObject(body)) throw unprocessable('Invalid consignment');
      const next = updateConsignment(db, rec, body, hooks);
      return c.json({ data: consignmentOut(next, db) });
    }),
  );
  app.delete(
    `${v2}/consignments/:id`,
    h((c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      if (rec.status === 'RECEIVED') throw unprocessable('Cannot delete a RECEIVED consignment');
      const now = db.now();
      db.consignments.put({ ...rec, deleted_at: now, updated_at: now, version: db.nextVersion() });
      return c.body(null, 204);
    }),
  );
  app.get(
    `${v2}/consignments/:id/totals`,
    h((c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      let sentCount = 0;
      let sentCost = 0;
      let recCount = 0;
      let recCost = 0;
      for (const l of db.linesOf(rec.id)) {
        sentCount += l.count;
        sentCost += l.count * l.cost;
        recCount += l.received ?? 0;
        recCost += (l.received ?? 0) * l.cost;
      }
      return c.json({
        data: [
          {
            total_received_cost: recCost.toFixed(10),
            total_received_count: dec5(recCount),
            total_sent_cost: sentCost.toFixed(10),
            total_sent_count: dec5(sentCount),
          },
        ],
      });
    }),
  );
  app.get(
    `${v2}/consignments/:id/products`,
    h((c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      const p = pageParams(c);
      const lines = db
        .linesOf(rec.id)
        .sort((a, b) => a.version - b.version)
        .filter((l) => l.version > p.after && (p.before === undefined || l.version < p.before))
        .slice(0, p.pageSize);
      return c.json(collection(lines, lineOut, p.after));
    }),
  );
  app.post(
    `${v2}/consignments/:id/products`,
    h(async (c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      const body = unwrap(await readJson(c));
      if (!isObject(body)) throw unprocessable('Invalid consignment product');
      const line = addLine(db, rec, body, hooks);
      return c.json({ data: lineOut(line) });
    }),
  );
  app.put(
    `${v2}/consignments/:id/products/:productId`,
    h(async (c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      const existing = db.linesByConsignment.get(rec.id)?.get(c.req.param('productId') ?? '');
      if (!existing || existing.deleted_at) throw notFound('Consignment product');
      const body = unwrap(await readJson(c));
      if (!isObject(body)) throw unprocessable('Invalid consignment product');
      const line = updateLine(db, rec, existing, body, hooks);
      // Spec 1 ConsignmentProductResponse: {"data": {"data": [line]}} (kept as documented).
      return c.json({ data: { data: [lineOut(line)] } });
    }),
  );
  app.delete(
    `${v2}/consignments/:id/products/:productId`,
    h((c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      const existing = db.linesByConsignment.get(rec.id)?.get(c.req.param('productId') ?? '');
      if (!existing || existing.deleted_at) throw notFound('Consignment product');
      if (rec.type === 'SUPPLIER' && ['DISPATCHED', 'RECEIVED', 'CANCELLED'].includes(rec.status))
        throw unprocessable(`Cannot remove products from a ${rec.status} consignment`);
      const now = db.now();
      db.putLine({ ...existing, deleted_at: now, updated_at: now, version: db.nextVersion() });
      return c.body(null, 204);
    }),
  );
  app.post(
    `${v2}/consignments/:id/bulk`,
    h(async (c) => {
      const rec = liveConsignment(db, c.req.param('id'));
      const body = unwrap(await readJson(c));
      if (!Array.isArray(body)) throw unprocessable('The request body must be an array of consignment products');
      const result = bulkLines(db, rec, body, hooks);
      return c.json({ data: result });
    }),
  );
}
