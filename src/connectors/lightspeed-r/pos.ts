import { normaliseKeyPart } from '../../core/pos-catalog.ts';
import type {
  PointOfSale,
  PosCapabilities,
  PosLocation,
  PosSupplier,
  SupplierQuery,
  SupplierSpec,
} from '../../core/ports/pos.ts';
import { RemoteRejected } from '../shared/errors.ts';
import { systemClock, type Clock } from '../shared/rate-governor.ts';
import type { RSeriesClient } from './client.ts';
import { catalogReads } from './catalog.ts';
import { matchedItemUpdates } from './item-updates.ts';
import { rSeriesDoctor } from './doctor.ts';
import { createPosContext, PAGE_MAX } from './pos-context.ts';
import { productWrites } from './products.ts';
import { purchaseOrders } from './purchase-orders.ts';
import { oneVendor, shopPage, vendorPage, type RVendor } from './schemas.ts';

/**
 * The PointOfSale port on Lightspeed Retail R-Series (reference: shared/reference/lightspeed-r-series.md).
 *
 * Correlation keys (DESIGN "No duplicates"), each written where the matching find can query it:
 * - variant → `Item.customSku` (`customSku=IN,[…]`), the key that reads as style-color-size (the "Custom SKU"
 *   staff see). `manufacturerSku` and the ItemVendorNum carry the brand's style number, as Lightspeed's own
 *   NuORDER import does (§8).
 * - product → the matrix is found through its items' `itemMatrixID`. An ItemMatrix has no field for a key,
 *   so one whose create reply was lost before any item exists is found as the one matrix with exactly the
 *   product's description and no items (the query carries name and color). No tag is written, so no write
 *   is spent removing one.
 * - supplier → `Vendor.b2bSellerUID` = the brand's source id, or the name: one `or=` query for both.
 * - purchase order → `Order.refNum` = the key, plus `b2bOrderUID` / `b2bOrderNumber` (§8).
 *
 * Creates are never retried here: a lost reply throws RemoteUnavailable and the flow runs the find. The parts:
 * catalog.ts (the change feed and lookups), products.ts, purchase-orders.ts; suppliers and shops are here.
 */

export interface LightspeedRPosOptions {
  /** The account's currency: R-Series keeps PO costs in it. A PO in another currency is refused. Default USD. */
  currency?: string;
  /**
   * A link to one PO in the back office, `{orderID}` replaced. Default: the R-Series web app's PO page
   * (`https://us.merchantos.com/?name=purchase_order.views.purchase_order&form_name=view&id={orderID}`, [I]).
   */
  purchaseOrderUrl?: string;
  clock?: Clock;
}

export function createLightspeedRPos(client: RSeriesClient, options: LightspeedRPosOptions = {}): PointOfSale {
  const currency = (options.currency ?? 'USD').toUpperCase();
  const ctx = createPosContext(client, currency, options.clock ?? systemClock);
  const poUrlTemplate =
    options.purchaseOrderUrl ??
    'https://us.merchantos.com/?name=purchase_order.views.purchase_order&form_name=view&id={orderID}';

  const capabilities: PosCapabilities = {
    system: 'lightspeed-r',
    bulkLineLimit: 1,
    addsVariantsToExistingParent: true,
  };

  /** Whether this account answers the combined vendor query (`or=`); unknown until first asked. */
  let vendorOrWorks: boolean | undefined;

  const port: PointOfSale = {
    capabilities,

    async storeCurrency(): Promise<string | null> {
      // R-Series does not say (no currency on Account or Shop, §4): only a currency the connection was
      // configured with is known. The USD default above is an assumption, not the store's word.
      return options.currency ? currency : null;
    },

    async listLocations(): Promise<PosLocation[]> {
      const shops = await client.list('Shop.json', { archived: 'true', limit: PAGE_MAX }, shopPage);
      // [I] A Shop has no currency field (§4); the account's currency is configured on the connection.
      return shops.map((s) => ({ id: s.shopID, name: s.name, currency: null, archived: s.archived }));
    },

    ...catalogReads(ctx),

    updateMatchedItems: matchedItemUpdates(ctx),

    async findSupplier(query: SupplierQuery): Promise<PosSupplier[]> {
      const sourceId = query.sourceBrandId.trim();
      const name = query.name.trim();
      const byName = name === '' ? undefined : `~,%${name}%`;
      // One request asks for both (§2.3 `or=`, +1 drip per operand): the vendor linked to the brand, and
      // the vendors of that name. A `|` inside a value would split the `or=`, so such a value is asked alone.
      const separately = async (): Promise<RVendor[]> => [
        ...(sourceId === ''
          ? []
          : await client.list('Vendor.json', { b2bSellerUID: sourceId, limit: PAGE_MAX }, vendorPage)),
        ...(byName === undefined
          ? []
          : await client.list('Vendor.json', { name: byName, limit: PAGE_MAX }, vendorPage)),
      ];
      let asked: RVendor[];
      if (sourceId !== '' && byName !== undefined && !`${sourceId}${name}`.includes('|') && vendorOrWorks !== false) {
        try {
          asked = await client.list(
            'Vendor.json',
            { or: `b2bSellerUID=${sourceId}|name=${byName}`, limit: PAGE_MAX },
            vendorPage,
          );
          vendorOrWorks = true;
        } catch (error) {
          // `or=` over these two fields is inferred, not documented: refused once, this account is asked
          // the documented way from then on.
          if (!(error instanceof RemoteRejected && error.status === 400 && vendorOrWorks === undefined)) throw error;
          vendorOrWorks = false;
          asked = await separately();
        }
      } else {
        asked = await separately();
      }
      const candidates = [...new Map(asked.map((v) => [v.vendorID, v])).values()];
      if (sourceId !== '') {
        const exact = candidates.filter((v) => v.b2bSellerUID === sourceId && !v.archived);
        if (exact.length > 0)
          return exact.map((v) => ({ id: v.vendorID, name: v.name, matchedBy: 'source_id' as const }));
      }
      if (name === '') return [];
      const key = normaliseKeyPart(name);
      return (
        candidates
          .filter((v: RVendor) => !v.archived && normaliseKeyPart(v.name) === key)
          // A vendor linked to another NuORDER brand is not this brand's.
          .filter((v) => v.b2bSellerUID === '' || v.b2bSellerUID === sourceId)
          .map((v) => ({ id: v.vendorID, name: v.name, matchedBy: 'name' as const }))
      );
    },

    async listSuppliers() {
      const vendors = await client.list('Vendor.json', { archived: 'false', limit: PAGE_MAX }, vendorPage);
      return vendors
        .filter((v) => !v.archived)
        .map((v) => ({ id: v.vendorID, name: v.name, sourceBrandId: v.b2bSellerUID === '' ? null : v.b2bSellerUID }));
    },

    async createSupplier(spec: SupplierSpec): Promise<PosSupplier> {
      // [I] Vendor.purchasingCurrency is not documented as writable; the account currency applies.
      const vendor = await client.request({
        method: 'POST',
        path: 'Vendor.json',
        body: { name: spec.name.trim(), b2bSellerUID: spec.sourceBrandId },
        schema: oneVendor,
      });
      return { id: vendor.vendorID, name: vendor.name, matchedBy: 'created' };
    },

    ...productWrites(ctx),
    ...purchaseOrders(ctx, poUrlTemplate),
  };
  // Read-only probes of every read above (tradeloop doctor), through this same port, client and schemas.
  port.doctor = rSeriesDoctor(client, port);
  return port;
}
