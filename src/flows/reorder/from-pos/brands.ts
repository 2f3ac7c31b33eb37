import { variantKey } from '../../../core/pos-catalog.ts';
import type { WholesaleOrder } from '../../../core/wholesale-order.ts';
import type { Connection, PosReorderLine, UnmappedPoLine } from '../../../store/repos/index.ts';
import { connections, itemLinks, mappings, posReorders, wholesaleOrders } from '../../../store/repos/index.ts';
import type { EngineContext } from '../../engine-context.ts';

/** Orders of a brand read for its styles' names and ids (the item links name variants by key only). */
const RECENT_ORDERS = 500;

export interface LinkedBrand {
  connection: Connection;
  sourceId: string;
  name: string;
  /** variant key → the style, colour and size as the brand's orders spell them. */
  variants: Map<string, Omit<PosReorderLine, 'posItemId' | 'quantity'>>;
}

/**
 * The POS suppliers that are linked brands, by supplier id: a brand whose NuORDER connection is linked and whose
 * supplier on this POS is known, by the merchant's mapping or by what its exports found or made. A supplier of no
 * linked brand is the merchant's own business: its POs are not sent anywhere.
 */
export async function linkedBrandsBySupplier(ctx: EngineContext, pos: Connection): Promise<Map<string, LinkedBrand>> {
  const { db } = ctx.store;
  const mapped = new Map(
    (await mappings.brandSuppliers(db, pos.tenantId, pos.id)).map((m) => [m.brandSourceId, m.supplierId]),
  );
  const fromExports = await posReorders.exportSuppliers(db, pos.tenantId, pos.id);
  const out = new Map<string, LinkedBrand>();
  for (const system of ctx.connectors.systems('wholesale')) {
    for (const connection of await connections.list(db, pos.tenantId, { system })) {
      if (connection.status !== 'linked') continue;
      const documents = (await wholesaleOrders.recentOrderDocuments(
        db,
        pos.tenantId,
        connection.id,
        RECENT_ORDERS,
      )) as WholesaleOrder[];
      const brand = documents[0]?.brand;
      if (!brand) continue;
      const supplierId = mapped.get(brand.sourceId) ?? fromExports.get(brand.sourceId);
      if (!supplierId || out.has(supplierId)) continue;
      const variants: LinkedBrand['variants'] = new Map();
      for (const doc of documents)
        for (const line of doc.lines) {
          const key = variantKey(line);
          if (!variants.has(key))
            variants.set(key, {
              productSourceId: line.productSourceId,
              styleNumber: line.styleNumber,
              color: line.color,
              size: line.size,
            });
        }
      out.set(supplierId, { connection, sourceId: brand.sourceId, name: brand.name, variants });
    }
  }
  return out;
}

/**
 * The PO's lines through the item-link ledger back to the brand's styles and sizes. A POS item no link names, or
 * one linked to a variant no order of the brand spells out, is reported with why, never guessed.
 */
export async function mapPoLines(
  ctx: EngineContext,
  pos: Connection,
  brand: LinkedBrand,
  lines: ReadonlyArray<{ posItemId: string; quantity: number }>,
): Promise<{ mapped: PosReorderLine[]; unmapped: UnmappedPoLine[] }> {
  const links = await itemLinks.variantsLinkedTo(
    ctx.store.db,
    pos.tenantId,
    pos.id,
    lines.map((l) => l.posItemId),
  );
  const mapped: PosReorderLine[] = [];
  const unmapped: UnmappedPoLine[] = [];
  for (const line of lines) {
    const keys = links.filter((l) => l.posItemId === line.posItemId).map((l) => l.variantKey);
    const variant = keys.map((k) => brand.variants.get(k)).find((v) => v !== undefined);
    if (variant) {
      mapped.push({ posItemId: line.posItemId, quantity: line.quantity, ...variant });
      continue;
    }
    unmapped.push({
      posItemId: line.posItemId,
      quantity: line.quantity,
      reason:
        keys.length === 0
          ? `No item link: this POS item is not linked to a style of ${brand.name}`
          : `Linked to a variant no order of ${brand.name} names (its style, colour and size are unknown here)`,
    });
  }
  return { mapped, unmapped };
}
