/**
 * Shipment facts on an R-Series purchase order (an Order). The place for them is `shipInstructions`, a documented
 * writable text field of the Order (reference lightspeed-r-series.md §3.1, "Documented writable fields: …
 * shipInstructions, stockInstructions …"). Not the `Note` relation: its writability on an Order is inferred only
 * (§3.1 [I]) and the merchant's general notes live there; not `arrivalDate`, the expected arrival the buyer set;
 * not the OrderShipment records, which are read-only receipts (§3.3). An archived Order is reported not writable.
 * `PUT Order/{id}.json` sets the field: a resend writes the same.
 */
import type { ConnectorDeps, LinkedAccount } from '../../core/ports/connection.ts';
import type { PoShipmentFactsField, PurchaseOrderShipmentFacts } from '../../core/ports/po-shipment-facts.ts';
import { rSeriesClientFor } from './account-client.ts';
import type { RSeriesClient } from './client.ts';
import { oneOrder } from './schemas.ts';

/** The port for a linked account: the account's client (token refresh under the store's lock, the shared budget). */
export function openRSeriesShipmentFacts(deps: ConnectorDeps, account: LinkedAccount): PurchaseOrderShipmentFacts {
  // The same client builder as the account's other ports: one budget per account and app.
  return createRSeriesShipmentFacts(rSeriesClientFor(deps, account));
}

export function createRSeriesShipmentFacts(client: RSeriesClient): PurchaseOrderShipmentFacts {
  const path = (poId: string): string => `Order/${encodeURIComponent(poId)}.json`;
  return {
    async read(poId): Promise<PoShipmentFactsField> {
      const order = await client.request({ path: path(poId), schema: oneOrder });
      const text = typeof order['shipInstructions'] === 'string' ? order['shipInstructions'] : '';
      return {
        text,
        field: 'shipInstructions',
        writable: !order.archived,
        ...(order.archived ? { reason: 'the order is archived' } : {}),
      };
    },
    async write(poId, text) {
      await client.request({ method: 'PUT', path: path(poId), body: { shipInstructions: text }, schema: oneOrder });
    },
  };
}
