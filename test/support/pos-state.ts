import { parseGtin } from '../../src/core/gtin.ts';
import type { RunningSim } from './simulators.ts';

/** What a POS simulator holds, read through its control API and put in one shape for X-Series and R-Series. */
export interface PosView {
  purchaseOrders: Array<{
    id: string;
    locationId: string;
    supplierId: string | null;
    supplierName: string | null;
    reference: string;
    title: string;
    lines: Array<{ itemId: string; quantity: number; cost: number }>;
  }>;
  items: Array<{
    id: string;
    name: string;
    gtin14: string | null;
    /** X-Series `sku`, R-Series `customSku`: the code store staff see. */
    sku: string;
    parentId: string | null;
    archived: boolean;
    cost: number;
    retail: number | null;
    options: string[];
  }>;
  suppliers: Array<{ id: string; name: string }>;
}

const gtinOf = (codes: Array<string | null | undefined>): string | null => {
  for (const code of codes) {
    const parsed = parseGtin(code ?? null);
    if (parsed.ok) return parsed.gtin14;
  }
  return null;
};

export async function readPos(sim: RunningSim, system: 'lightspeed-x' | 'lightspeed-r'): Promise<PosView> {
  const state = await sim.control('GET', '/_sim/state');
  return system === 'lightspeed-x' ? readX(state) : readR(state);
}

function readX(state: any): PosView {
  const suppliers = (state.suppliers as any[]).filter((s) => !s.deleted_at).map((s) => ({ id: s.id, name: s.name }));
  return {
    suppliers,
    purchaseOrders: (state.consignments as any[])
      .filter((c) => c.type === 'SUPPLIER' && !c.deleted_at)
      .map((c) => ({
        id: c.id,
        locationId: c.outlet_id,
        supplierId: c.supplier_id,
        supplierName: suppliers.find((s) => s.id === c.supplier_id)?.name ?? null,
        reference: c.reference ?? '',
        title: c.name,
        lines: (state.consignmentLines as any[])
          .filter((l) => l.consignment_id === c.id && !l.deleted_at)
          .map((l) => ({ itemId: l.product_id, quantity: l.count, cost: l.cost })),
      })),
    items: (state.products as any[])
      .filter((p) => !p.deleted_at)
      .map((p) => ({
        id: p.id,
        name: p.name,
        gtin14: gtinOf((p.product_codes as any[]).map((c) => c.code)),
        sku: String(p.sku ?? ''),
        parentId: p.family_id,
        archived: !p.is_active,
        cost: p.supply_price,
        retail: p.price_excluding_tax,
        options: (p.variant_options as any[]).map((o) => `${o.name}:${o.value}`),
      })),
  };
}

function readR(state: any): PosView {
  const t = state.tables;
  const suppliers = (t.Vendor as any[]).map((v) => ({ id: String(v.vendorID), name: v.name }));
  return {
    suppliers,
    purchaseOrders: (t.Order as any[]).map((o) => ({
      id: String(o.orderID),
      locationId: String(o.shopID),
      supplierId: String(o.vendorID),
      supplierName: suppliers.find((s) => s.id === String(o.vendorID))?.name ?? null,
      reference: o.refNum,
      title: o.refNum,
      lines: (t.OrderLine as any[])
        .filter((l) => l.orderID === o.orderID)
        .map((l) => ({ itemId: String(l.itemID), quantity: l.quantity, cost: l.price })),
    })),
    items: (t.Item as any[]).map((i) => ({
      id: String(i.itemID),
      name: i.description,
      gtin14: gtinOf([i.upc, i.ean]),
      sku: String(i.customSku ?? ''),
      parentId: i.itemMatrixID ? String(i.itemMatrixID) : null,
      archived: i.archived,
      cost: i.defaultCost,
      retail: (i.Prices ?? i.prices ?? []).find?.((p: any) => p.useType === 'Default')?.amount ?? null,
      options: [i.ItemAttributes?.attribute1, i.ItemAttributes?.attribute2].filter(Boolean),
    })),
  };
}
