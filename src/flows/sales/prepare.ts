/**
 * What a record needs from the other system before it is written, read-only: an X-Series sale from a NetSuite order
 * (outlet, register, user, tax, products by SKU: or why it cannot be made, which the dry run shows too), and a
 * NetSuite record from a POS sale (location, items by SKU, customer).
 */
import { AppError } from '../../core/errors.ts';
import type { SalesOrder } from '../../core/ports/erp-sales-orders.ts';
import type { PosSale } from '../../core/ports/pos-sales.ts';
import type { SalesEnv } from './env.ts';

export interface PreparedSale {
  outletId: string;
  registerId: string;
  authorId: string;
  taxId: string;
  paymentTypeId: string | null;
  lines: Array<{ productId: string; quantity: number; price: number }>;
  total: number;
}

/** What creating the sale needs from X-Series, or why it cannot be created (read-only; shared with the dry run). */
export async function prepareSale(
  env: SalesEnv,
  order: SalesOrder,
): Promise<{ prepared: PreparedSale } | { blocker: string }> {
  const store = await env.xStore();
  const open = order.lines.filter((l) => !l.isClosed && l.quantity > 0);
  if (open.length === 0) return { blocker: 'The order has no open lines' };
  const locationName = order.location?.name ?? open.find((l) => l.location)?.location?.name ?? null;
  if (!locationName) return { blocker: 'The order has no location, so there is no X-Series outlet to sell from' };
  const outlet = store.outlets.find((o) => o.name.toLowerCase() === locationName.toLowerCase());
  if (!outlet) return { blocker: `Location "${locationName}" has no X-Series outlet of that name` };
  const register = store.registers.find((r) => r.outletId === outlet.id);
  if (!register) return { blocker: `Outlet "${outlet.name}" has no register` };
  const author = store.users[0];
  if (!author) return { blocker: 'The X-Series store has no user to record the sale as' };
  const tax = store.taxes.find((t) => t.name.toLowerCase() === 'no tax') ?? store.taxes.find((t) => t.rate === 0);
  if (!tax) return { blocker: 'The X-Series store has no "No Tax" tax for NetSuite amounts' };
  const missingSku = open.filter((l) => !l.sku);
  if (missingSku.length > 0)
    return { blocker: `Line ${missingSku[0]?.line} has no item name/number to match an X-Series SKU` };
  const products = await env.xProducts(open.map((l) => l.sku as string));
  const unmatched = open.filter((l) => !products.has(l.sku as string));
  if (unmatched.length > 0)
    return { blocker: `No X-Series product with SKU ${unmatched.map((l) => l.sku).join(', ')}` };
  const payment =
    store.paymentTypes.find((p) => p.name.toLowerCase() === env.settings.paymentTypeName.toLowerCase()) ??
    store.paymentTypes[0];
  const lines = open.map((l) => ({
    productId: (products.get(l.sku as string) as { id: string }).id,
    quantity: l.quantity,
    price: l.quantity > 0 ? l.amount / l.quantity : l.rate,
  }));
  const total = Math.round(lines.reduce((s, l) => s + l.price * l.quantity, 0) * 100) / 100;
  return {
    prepared: {
      outletId: outlet.id,
      registerId: register.id,
      authorId: author.id,
      taxId: tax.id,
      paymentTypeId: payment?.id ?? null,
      lines,
      total,
    },
  };
}

export interface PreparedImport {
  customerId: string;
  location: { id: string; name: string };
  lines: Array<{ itemId: string; quantity: number; rate: number; note: string | null }>;
}

export async function prepareImport(env: SalesEnv, sale: PosSale): Promise<PreparedImport> {
  const store = await env.xStore();
  const outlet = store.outlets.find((o) => o.id === sale.outletId);
  if (!outlet)
    throw new AppError(
      'SALES_OUTLET_UNMAPPED',
      `Sale ${sale.invoiceNumber ?? sale.id} has an outlet X-Series no longer lists`,
      { retryable: false },
    );
  const location = await env.ns.locationByName(outlet.name);
  if (!location)
    throw new AppError('SALES_OUTLET_UNMAPPED', `Outlet "${outlet.name}" has no NetSuite location of that name`, {
      retryable: false,
    });
  const lines = sale.lines.filter((l) => !l.voided && l.quantity > 0);
  if (lines.length === 0)
    throw new AppError('SALES_NOTHING_TO_IMPORT', `Sale ${sale.invoiceNumber ?? sale.id} has no lines to import`, {
      retryable: false,
    });
  const skus: string[] = [];
  for (const l of lines) {
    const product = await env.x.product(l.productId);
    if (!product?.sku)
      throw new AppError(
        'SALES_ITEM_UNMAPPED',
        `Product ${l.productId} on sale ${sale.invoiceNumber ?? sale.id} has no SKU`,
        { retryable: false },
      );
    skus.push(product.sku);
  }
  const items = await env.ns.itemsBySku(skus);
  const missing = skus.filter((s) => !items.has(s));
  if (missing.length > 0)
    throw new AppError('SALES_ITEM_UNMAPPED', `No NetSuite item named ${missing.join(', ')}`, { retryable: false });
  const customerId = env.settings.netsuiteCustomerId ?? (await env.ns.firstCustomerId());
  if (!customerId)
    throw new AppError('SALES_NO_CUSTOMER', 'Choose the NetSuite customer POS sales are recorded against', {
      retryable: false,
    });
  return {
    customerId,
    location: { id: location.id, name: location.name },
    lines: lines.map((l, i) => {
      const item = items.get(skus[i] as string) as NonNullable<ReturnType<typeof items.get>>;
      return { itemId: item.id, quantity: l.quantity, rate: l.price ?? 0, note: l.note };
    }),
  };
}
