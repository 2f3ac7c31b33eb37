/**
 * Receipts, read-only (reference §3.3; S1 ordershipment.md, ordershipmentitem.md, shipment.md): one OrderShipment
 * per check-in with its OrderShipmentItems, at
 *   GET /Order/{orderID}/Shipment.json, /Order/{orderID}/Shipment/{orderShipmentID}.json,
 *   GET /Order/{orderID}/Shipment/{orderShipmentID}/Item.json, …/Item/{orderShipmentItemID}.json,
 *   GET /Shipment.json, /Shipment/{orderShipmentID}.json (every order's).
 * POST, PUT and DELETE are not allowed (405 with `Allow: GET`). The V3 envelope, filters and paging are the
 * ordinary ones (list.ts); the reply keys `OrderShipment` and `OrderShipmentItem` are the documented samples'.
 */
import type { Context, Hono } from 'hono';
import type { Core } from './core.ts';
import { listResponse } from './list.ts';
import type { OrderShipmentRec } from './model.ts';
import { ApiError } from './query.ts';
import { apiErrorResponse, methodNotAllowed } from './reply.ts';
import type { AnyRec, ResourceDef } from './resources.ts';
import { scalars } from './serialize.ts';

const readOnly = { read: ['employee:purchase_orders', 'employee:admin_purchases'], write: [] };

export const orderShipmentDef: ResourceDef = {
  name: 'OrderShipment',
  idField: 'orderShipmentID',
  sortable: ['orderShipmentID', 'paymentDueDate', 'sequenceNumber'],
  relations: { Employee: 'one', Order: 'one', OrderShipmentItems: 'many' },
  archivable: false,
  scopes: readOnly,
  serialize: (core, r, rels) => {
    const out = scalars(r);
    if (rels.has('OrderShipmentItems')) {
      const items = itemsOf(core, r.orderShipmentID as number).map((i) => scalars(i));
      out.OrderShipmentItems = items.length === 0 ? '' : { OrderShipmentItem: items.length === 1 ? items[0] : items };
    }
    return out;
  },
};

export const orderShipmentItemDef: ResourceDef = {
  name: 'OrderShipmentItem',
  idField: 'orderShipmentItemID',
  // S1 lists `description` as sortable although the field is `itemDescription` [I]: both names are not served.
  sortable: ['orderShipmentItemID', 'qtyReceived', 'vendorCost'],
  relations: { Employee: 'one', Item: 'one', OrderLine: 'one', OrderShipment: 'one' },
  archivable: false,
  scopes: readOnly,
  serialize: (_core, r) => scalars(r),
};

function itemsOf(core: Core, orderShipmentID: number): AnyRec[] {
  return [...core.store.tables.OrderShipmentItem.values()].filter(
    (i) => i.orderShipmentID === orderShipmentID,
  ) as unknown as AnyRec[];
}

function idOf(raw: string | undefined, what: string): number {
  const id = (raw ?? '').replace(/\.json$/, '');
  if (!/^\d+$/.test(id)) throw new ApiError(404, `Invalid ${what} ID: ${id}.`, 'Exception');
  return Number(id);
}

function wrap(handler: (c: Context) => Response): (c: Context) => Response {
  return (c) => {
    try {
      return handler(c);
    } catch (error) {
      if (error instanceof ApiError) return apiErrorResponse(c, error.status, error.message, error.errorClass);
      throw error;
    }
  };
}

export function mountShipmentApi(app: Hono, core: Core, base: string): void {
  const receipt = (c: Context, orderID: number | null): OrderShipmentRec => {
    const id = idOf(c.req.param('shipmentID'), 'OrderShipment');
    const found = core.store.tables.OrderShipment.get(id);
    // [I] The 404 message is not documented.
    if (!found || (orderID !== null && found.orderID !== orderID))
      throw new ApiError(404, `OrderShipment with ID ${id} could not be found.`, 'Exception');
    return found;
  };
  const order = (c: Context): number => {
    const id = idOf(c.req.param('orderID'), 'Order');
    if (!core.store.tables.Order.has(id))
      throw new ApiError(404, `Order with ID ${id} could not be found.`, 'Exception');
    return id;
  };
  const single = (def: ResourceDef, record: AnyRec, c: Context): Response => {
    const rels = new Set(
      (c.req.query('load_relations') ?? '').includes('OrderShipmentItems') ? ['OrderShipmentItems'] : [],
    );
    return c.json({ '@attributes': { count: '1' }, [def.name]: def.serialize(core, record, rels) });
  };
  const get = (path: string, handler: (c: Context) => Response): void => {
    app.get(path, wrap(handler));
    app.on(['POST', 'PUT', 'DELETE', 'PATCH'], path, (c) => methodNotAllowed(c, ['GET']));
  };

  get(`${base}/Shipment.json`, (c) => listResponse(core, orderShipmentDef, c));
  get(`${base}/Shipment/:shipmentID`, (c) => single(orderShipmentDef, receipt(c, null) as unknown as AnyRec, c));
  get(`${base}/Order/:orderID/Shipment.json`, (c) => {
    const orderID = order(c);
    return listResponse(core, orderShipmentDef, c, (r) => r.orderID === orderID);
  });
  get(`${base}/Order/:orderID/Shipment/:shipmentID/Item.json`, (c) => {
    const shipment = receipt(c, order(c));
    return listResponse(core, orderShipmentItemDef, c, (r) => r.orderShipmentID === shipment.orderShipmentID);
  });
  get(`${base}/Order/:orderID/Shipment/:shipmentID/Item/:itemID`, (c) => {
    const shipment = receipt(c, order(c));
    const id = idOf(c.req.param('itemID'), 'OrderShipmentItem');
    const item = core.store.tables.OrderShipmentItem.get(id);
    if (!item || item.orderShipmentID !== shipment.orderShipmentID)
      throw new ApiError(404, `OrderShipmentItem with ID ${id} could not be found.`, 'Exception');
    return single(orderShipmentItemDef, item as unknown as AnyRec, c);
  });
  get(`${base}/Order/:orderID/Shipment/:shipmentID`, (c) =>
    single(orderShipmentDef, receipt(c, order(c)) as unknown as AnyRec, c),
  );
}
