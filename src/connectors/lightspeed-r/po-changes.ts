/**
 * Changes to an Order the export made (reference lightspeed-r-series.md §3.1–§3.3), for accepted amendments: PUT
 * OrderLine/{id} sets `quantity` or `price`, DELETE OrderLine/{id} removes a line (permanently), PUT Order/{id}
 * sets `arrivalDate` or `complete` (Finished), DELETE Order/{id} archives it (R-Series has no cancelled status).
 * A line is found by its item, so every write is absolute and a retry after a lost reply changes nothing twice.
 * [I] The rules on checked-in units and Finished orders are the simulator's (docs/simulators/lightspeed-r.md).
 */
import type { Money } from '../../core/money.ts';
import type { ConnectorDeps, LinkedAccount } from '../../core/ports/connection.ts';
import type { CancelHow, PurchaseOrderChanges, PurchaseOrderSnapshot } from '../../core/ports/po-changes.ts';
import { RemoteRejected } from '../shared/errors.ts';
import { systemClock } from '../shared/rate-governor.ts';
import { rSeriesClientFor } from './account-client.ts';
import { createPosContext, PAGE_MAX, type RPosContext } from './pos-context.ts';
import { oneOrder, orderLinePage, type ROrder, type ROrderLine } from './schemas.ts';
import { z } from 'zod';

const anyReply = z.unknown();

/** The status word core/amendment-plan.ts `poStage` reads (the same as purchase-orders.ts reports). */
function statusOf(order: ROrder, lines: readonly ROrderLine[]): string {
  if (order.archived) return 'archived';
  if (order.complete) return 'finished';
  if (order.receivedDate !== undefined || lines.some((l) => l.checkedIn + l.numReceived > 0)) return 'check_in';
  if (order.orderedDate !== undefined) return 'ordered';
  return 'open';
}

/** The R-Series web app's PO page, `{orderID}` replaced [I]. */
const WEB_APP_PO_URL =
  'https://us.merchantos.com/?name=purchase_order.views.purchase_order&form_name=view&id={orderID}';

/** The port for a linked account: its own client (same token store, budget key and currency as the PO port). */
export function openRSeriesPoChanges(
  deps: ConnectorDeps,
  account: LinkedAccount,
  poUrlTemplate = WEB_APP_PO_URL,
): PurchaseOrderChanges {
  const client = rSeriesClientFor(deps, account);
  const currency = account.settings['currency'];
  const ctx = createPosContext(client, (typeof currency === 'string' ? currency : 'USD').toUpperCase(), systemClock);
  return createRSeriesPoChanges(ctx, poUrlTemplate);
}

export function createRSeriesPoChanges(ctx: RPosContext, poUrlTemplate: string): PurchaseOrderChanges {
  const { client, refuse } = ctx;

  const checkId = (poId: string): void => {
    if (!/^\d+$/.test(poId)) throw refuse(`not an R-Series order id: ${poId}`, 404);
  };

  async function order(poId: string): Promise<ROrder | null> {
    checkId(poId);
    try {
      return await client.request({ path: `Order/${poId}.json`, schema: oneOrder });
    } catch (error) {
      if (error instanceof RemoteRejected && error.status === 404) return null;
      throw error;
    }
  }

  const linesOf = (poId: string): Promise<ROrderLine[]> =>
    client.list('OrderLine.json', { orderID: poId, limit: PAGE_MAX, sort: 'orderLineID' }, orderLinePage);

  async function snapshot(o: ROrder): Promise<PurchaseOrderSnapshot> {
    const lines = await linesOf(o.orderID);
    return {
      id: o.orderID,
      number: o.orderID,
      url: poUrlTemplate.replace('{orderID}', encodeURIComponent(o.orderID)),
      status: statusOf(o, lines),
      expectedAt: o.arrivalDate ?? null,
      lines: lines.map((l, i) => ({
        posItemId: l.itemID,
        quantity: l.quantity,
        unitCost: ctx.money(l.price, `OrderLine[${i}].price`),
        received: l.checkedIn + l.numReceived,
      })),
    };
  }

  async function lineOf(poId: string, posItemId: string): Promise<ROrderLine | undefined> {
    checkId(poId);
    return (await linesOf(poId)).find((l) => l.itemID === posItemId);
  }

  async function putLine(poId: string, posItemId: string, body: Record<string, unknown>): Promise<void> {
    const line = await lineOf(poId, posItemId);
    if (!line) throw refuse(`purchase order ${poId} has no line for item ${posItemId}`, 404);
    await client.request({ method: 'PUT', path: `OrderLine/${line.orderLineID}.json`, body, schema: anyReply });
  }

  return {
    async readPurchaseOrder(poId) {
      const found = await order(poId);
      return found ? snapshot(found) : null;
    },

    setLineQuantity: (poId, posItemId, quantity) => putLine(poId, posItemId, { quantity }),

    setLineCost: (poId, posItemId, cost: Money) => putLine(poId, posItemId, { price: ctx.amount(cost) }),

    async removeLine(poId, posItemId) {
      const line = await lineOf(poId, posItemId);
      // Already gone (an earlier attempt whose reply was lost): done.
      if (!line) return;
      await client.request({ method: 'DELETE', path: `OrderLine/${line.orderLineID}.json`, schema: anyReply });
    },

    async setExpectedDate(poId, expectedAt) {
      checkId(poId);
      const arrivalDate =
        expectedAt === null ? '' : /^\d{4}-\d{2}-\d{2}$/.test(expectedAt) ? `${expectedAt}T00:00:00+00:00` : expectedAt;
      await client.request({ method: 'PUT', path: `Order/${poId}.json`, body: { arrivalDate }, schema: anyReply });
    },

    async cancelPurchaseOrder(poId, how: CancelHow) {
      const current = await order(poId);
      if (!current) throw refuse(`purchase order ${poId} no longer exists`, 404);
      if (how === 'cancel') throw refuse('R-Series has no cancelled status: an order is archived or finished');
      if (how === 'archive' && !current.archived)
        await client.request({ method: 'DELETE', path: `Order/${poId}.json`, schema: anyReply });
      if (how === 'finish' && !current.complete && !current.archived)
        await client.request({ method: 'PUT', path: `Order/${poId}.json`, body: { complete: true }, schema: anyReply });
      const after = await client.request({ path: `Order/${poId}.json`, schema: oneOrder });
      return snapshot(after);
    },
  };
}
