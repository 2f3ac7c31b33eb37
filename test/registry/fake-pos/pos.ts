/**
 * The fake POS's PointOfSale (src/core/ports/pos.ts) over its in-memory back office: every create writes the
 * correlation key where the matching find searches, as the port asks of every connector.
 */
import type { PosCatalogEntry } from '../../../src/core/pos-catalog.ts';
import type {
  AddLineOutcome,
  CatalogPage,
  PointOfSale,
  PosPurchaseOrder,
  PosSupplier,
} from '../../../src/core/ports/pos.ts';
import { RemoteRejected } from '../../../src/core/ports/errors.ts';
import type { FakeItem, FakePosStore, FakePurchaseOrder } from './store.ts';

const entryOf = (item: FakeItem): PosCatalogEntry => ({
  posItemId: item.id,
  parentId: item.familyId,
  gtins: [...item.gtins].sort(),
  sku: item.sku,
  name: item.name,
  archived: item.archived,
  version: String(item.version),
});

const poOf = (po: FakePurchaseOrder): PosPurchaseOrder => ({
  id: po.id,
  number: po.number,
  url: `https://fake-pos.test/purchase-orders/${po.id}`,
  status: po.status,
  open: true,
});

export function createFakePointOfSale(system: string, store: FakePosStore): PointOfSale {
  const requirePo = (id: string): FakePurchaseOrder => {
    const po = store.purchaseOrders.get(id);
    if (!po) throw new RemoteRejected({ vendor: system, status: 404, vendorMessage: `no purchase order ${id}` });
    return po;
  };
  return {
    capabilities: { system, bulkLineLimit: 100, addsVariantsToExistingParent: true },
    listLocations: async () => store.locations.map((l) => ({ ...l })),
    storeCurrency: async () => store.currency,

    async catalogChanges(cursor, pageSize): Promise<CatalogPage> {
      const after = cursor === null ? 0 : Number(cursor);
      const changed = [...store.items.values()].filter((i) => i.version > after).sort((a, b) => a.version - b.version);
      const page = changed.slice(0, pageSize);
      return {
        entries: page.map(entryOf),
        removedIds: [],
        nextCursor: String(page.at(-1)?.version ?? after),
        done: page.length === changed.length,
      };
    },
    async getCatalogEntries(ids) {
      const found = ids.flatMap((id) => (store.items.has(id) ? [entryOf(store.items.get(id)!)] : []));
      return { entries: found, missingIds: ids.filter((id) => !store.items.has(id)) };
    },
    async findCatalogEntriesByGtin(gtin14s) {
      const out: Record<string, PosCatalogEntry[]> = {};
      for (const gtin of gtin14s)
        out[gtin] = [...store.items.values()].filter((i) => i.gtins.includes(gtin)).map(entryOf);
      return out;
    },

    async findSupplier({ name, sourceBrandId }): Promise<PosSupplier[]> {
      const all = [...store.suppliers.values()];
      const bySource = all.filter((s) => s.sourceBrandId === sourceBrandId);
      if (bySource.length > 0) return bySource.map((s) => ({ id: s.id, name: s.name, matchedBy: 'source_id' }));
      const wanted = name.trim().toLowerCase();
      return all
        .filter((s) => s.name.trim().toLowerCase() === wanted)
        .map((s) => ({ id: s.id, name: s.name, matchedBy: 'name' }));
    },
    async createSupplier({ name, sourceBrandId }) {
      const supplier = { id: store.nextId('supplier'), name, sourceBrandId };
      store.suppliers.set(supplier.id, supplier);
      return { id: supplier.id, name, matchedBy: 'created' };
    },

    async findProductsByCorrelation(queries) {
      return queries.flatMap((query) => {
        const family = [...store.families.values()].find((f) => f.correlationKey === query.correlationKey);
        const variantIds: Record<string, string> = {};
        for (const variant of query.variants) {
          const item = [...store.items.values()].find((i) => i.correlationKey === variant.correlationKey);
          if (item) variantIds[variant.variantKey] = item.id;
        }
        if (!family && Object.keys(variantIds).length === 0) return [];
        return [{ correlationKey: query.correlationKey, parentId: family?.id ?? null, variantIds }];
      });
    },
    async createProduct(spec) {
      let familyId = spec.existingParentId;
      if (familyId === null) {
        familyId = store.nextId('family');
        store.families.set(familyId, {
          id: familyId,
          correlationKey: spec.correlationKey,
          name: spec.name,
          color: spec.color,
          supplierId: spec.supplierId,
        });
      }
      const variantIds: Record<string, string> = {};
      for (const variant of spec.variants) {
        const item: FakeItem = {
          id: store.nextId('item'),
          familyId,
          correlationKey: variant.correlationKey,
          name: `${spec.name} ${spec.color} ${variant.size}`,
          sku: `${spec.styleNumber}-${variant.size}`,
          gtins: variant.gtin14 ? [variant.gtin14] : [],
          cost: variant.cost,
          retail: variant.retail,
          archived: false,
          version: store.nextVersion(),
        };
        store.items.set(item.id, item);
        variantIds[variant.variantKey] = item.id;
      }
      return { parentId: familyId, variantIds };
    },

    async findPurchaseOrderByCorrelation({ correlationKey }) {
      const po = [...store.purchaseOrders.values()].find((p) => p.correlationKey === correlationKey);
      return po ? poOf(po) : null;
    },
    async createPurchaseOrder(spec) {
      if (spec.currency !== store.currency)
        throw new RemoteRejected({
          vendor: system,
          status: 422,
          vendorMessage: `this store keeps ${store.currency}, not ${spec.currency}`,
        });
      const id = store.nextId('po');
      const po: FakePurchaseOrder = {
        id,
        number: `FP-${id}`,
        correlationKey: spec.correlationKey,
        orderNumber: spec.orderNumber,
        supplierId: spec.supplierId,
        locationId: spec.locationId,
        currency: spec.currency,
        status: 'open',
        lines: [],
      };
      store.purchaseOrders.set(id, po);
      return poOf(po);
    },

    async listPurchaseOrderLines(poId) {
      return requirePo(poId).lines.map((l) => ({
        posItemId: l.itemId,
        quantity: l.quantity,
        unitCost: l.unitCost,
        received: 0,
      }));
    },
    async addPurchaseOrderLines(poId, lines): Promise<AddLineOutcome[]> {
      const po = requirePo(poId);
      return lines.map((line) => {
        if (!store.items.has(line.posItemId))
          return { ...pick(line), outcome: 'rejected', message: `no item ${line.posItemId}` };
        po.lines.push({ itemId: line.posItemId, quantity: line.quantity, unitCost: line.unitCost });
        return { ...pick(line), outcome: 'added' };
      });
    },
    async submitPurchaseOrder(poId) {
      const po = requirePo(poId);
      po.status = 'ordered';
      return poOf(po);
    },
  };
}

const pick = (line: { posItemId: string; sourceLineKeys: string[] }) => ({
  posItemId: line.posItemId,
  sourceLineKeys: line.sourceLineKeys,
});
