/**
 * The X-Series API routes: /api/2.0 (outlets, registers, users, taxes, payment types, retailer, suppliers,
 * brands, variant attributes, products, search, inventory, consignments and their products, sales and
 * fulfilment, webhooks), /api/2.1 products, the 0.9 /api/register_sales and /api/webhooks, and the
 * date-versioned /api/{YYYY-MM}/sales (the sales routes are in sales-api.ts). Section numbers refer to shared/reference/lightspeed-x-series.md.
 */
import type { Context, Hono } from 'hono';
import type { XDb } from './db.ts';
import { ApiError, badRequest, notFound, unprocessable } from './errors.ts';
import { collection, h, isObject, num, pageParams, readJson, str, unwrap } from './http.ts';
import { mountConsignmentsApi } from './consignments-api.ts';
import { inventoryOut, outletOut, productOut, registerOut, saleOut, supplierOut } from './render.ts';
import { mountSalesApi } from './sales-api.ts';
import type { ProductCodeRec, ProductRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';
import { webhookTypes } from './webhooks.ts';

const codeTypes = ['CUSTOM', 'EAN', 'ISBN', 'ITF', 'JAN', 'UPC'];
export { configRef } from './consignments-api.ts';

/** Reply choices read per request, so `PUT /_sim/config` takes effect at once. */
export interface ApiSettings {
  addVariantReply(): 'product' | 'empty';
}

export function mountApi(
  app: Hono,
  db: XDb,
  hooks: WebhookDispatcher,
  clientOf: (c: Context) => string | null,
  settings: ApiSettings = { addVariantReply: () => 'product' },
): void {
  const v2 = '/api/2.0';

  // ---- store setup ---------------------------------------------------------------------------------------

  app.get(
    `${v2}/retailer`,
    h((c) =>
      c.json({
        data: {
          id: db.retailer.id,
          domain_prefix: db.retailer.domain_prefix,
          name: db.retailer.name,
          store_url: `https://${db.retailer.domain_prefix}.retail.lightspeed.app`,
          account_status: 'active',
          account_type: 'paid',
          culture: 'en-US',
          tax_exclusive: true,
          country: 'US',
          currency: { code: db.retailer.currency, symbol: db.retailer.currency_symbol },
          created_at: db.retailer.created_at,
        },
      }),
    ),
  );

  app.get(
    `${v2}/outlets`,
    h((c) => {
      const p = pageParams(c);
      const items = db.outlets.page(p.after, p.before, p.pageSize, (o) => p.deleted || o.deleted_at === null);
      return c.json(collection(items, (o) => outletOut(o, db), p.after));
    }),
  );
  app.get(
    `${v2}/outlets/:id`,
    h((c) => {
      const o = db.outlets.get(c.req.param('id') ?? '');
      if (!o) throw notFound('Outlet');
      return c.json({ data: outletOut(o, db) });
    }),
  );

  app.get(
    `${v2}/registers`,
    h((c) => {
      const p = pageParams(c);
      const items = db.registers.page(p.after, p.before, p.pageSize, (r) => p.deleted || r.deleted_at === null);
      return c.json(collection(items, registerOut, p.after));
    }),
  );
  app.get(
    `${v2}/registers/:id`,
    h((c) => {
      const r = db.registers.get(c.req.param('id') ?? '');
      if (!r) throw notFound('Register');
      return c.json({ data: registerOut(r) });
    }),
  );

  const userOut = (
    u: typeof db.users extends { get(id: string): infer T } ? NonNullable<T> : never,
  ): Record<string, unknown> => ({
    id: u.id,
    username: u.username,
    display_name: u.display_name,
    email: u.email,
    account_type: u.account_type,
    is_primary_user: true,
    restricted_outlet_ids: [],
    created_at: u.created_at,
    updated_at: u.created_at,
    deleted_at: u.deleted_at,
    version: u.version,
  });
  app.get(
    `${v2}/users`,
    h((c) => {
      const p = pageParams(c);
      return c.json(collection(db.users.page(p.after, p.before, p.pageSize), userOut, p.after));
    }),
  );
  app.get(
    `${v2}/user`,
    h((c) => {
      const u = db.users.values()[0];
      if (!u) throw notFound('User');
      return c.json({ data: userOut(u) });
    }),
  );

  app.get(
    `${v2}/taxes`,
    h((c) =>
      c.json({
        data: db.taxes.values().map((t) => ({
          id: t.id,
          name: t.name,
          display_name: t.name,
          is_default: t.is_default,
          rates: [{ id: t.id, name: t.name, display_name: t.name, rate: t.rate }],
          deleted_at: t.deleted_at,
          version: t.version,
        })),
      }),
    ),
  );

  app.get(
    `${v2}/payment_types`,
    h((c) => {
      const p = pageParams(c);
      return c.json(
        collection(
          db.paymentTypes.page(p.after, p.before, p.pageSize),
          (t) => ({ id: t.id, name: t.name, type_id: t.type_id, deleted_at: t.deleted_at, version: t.version }),
          p.after,
        ),
      );
    }),
  );

  // ---- suppliers and brands ------------------------------------------------------------------------------

  app.get(
    `${v2}/suppliers`,
    h((c) => {
      const p = pageParams(c);
      const items = db.suppliers.page(p.after, p.before, p.pageSize, (s) => p.deleted || s.deleted_at === null);
      return c.json(collection(items, supplierOut, p.after));
    }),
  );
  app.get(
    `${v2}/suppliers/:id`,
    h((c) => {
      const s = db.suppliers.get(c.req.param('id') ?? '');
      if (!s || s.deleted_at) throw notFound('Supplier');
      return c.json({ data: supplierOut(s) });
    }),
  );
  app.post(
    `${v2}/suppliers`,
    h(async (c) => {
      const body = unwrap(await readJson(c));
      if (!isObject(body)) throw unprocessable('Invalid supplier');
      const name = str(body.name)?.trim();
      if (!name) throw unprocessable('The name field is required', { name: ['is required'] });
      const id = db.newId('supplier');
      db.suppliers.put({
        id,
        name,
        description: str(body.description) ?? '',
        source: '',
        default_markup: num(body.default_markup, 'default_markup') ?? 0,
        contact: isObject(body.contact)
          ? (Object.fromEntries(Object.entries(body.contact).filter(([, v]) => typeof v === 'string')) as Record<
              string,
              string
            >)
          : {},
        deleted_at: null,
        version: db.nextVersion(),
      });
      // Spec 1: POST /suppliers answers 200 with the new id as `data`.
      return c.json({ data: id });
    }),
  );
  app.put(
    `${v2}/suppliers/:id`,
    h(async (c) => {
      const s = db.suppliers.get(c.req.param('id') ?? '');
      if (!s || s.deleted_at) throw notFound('Supplier');
      const body = unwrap(await readJson(c));
      if (!isObject(body)) throw unprocessable('Invalid supplier');
      const next = { ...s, version: db.nextVersion() };
      if (body.name !== undefined) {
        const name = str(body.name)?.trim();
        if (!name) throw unprocessable('The name field is required', { name: ['is required'] });
        next.name = name;
      }
      if (typeof body.description === 'string') next.description = body.description;
      if (isObject(body.contact))
        next.contact = Object.fromEntries(
          Object.entries(body.contact).filter(([, v]) => typeof v === 'string'),
        ) as Record<string, string>;
      db.suppliers.put(next);
      return c.json({ id: next.id, ...supplierOut(next) });
    }),
  );
  app.delete(
    `${v2}/suppliers/:id`,
    h((c) => {
      const s = db.suppliers.get(c.req.param('id') ?? '');
      if (!s || s.deleted_at) throw notFound('Supplier');
      db.suppliers.put({ ...s, deleted_at: db.now(), version: db.nextVersion() });
      return c.json({ data: { id: s.id } });
    }),
  );

  app.get(
    `${v2}/brands`,
    h((c) => {
      const p = pageParams(c);
      const items = db.brands.page(p.after, p.before, p.pageSize, (b) => p.deleted || b.deleted_at === null);
      return c.json(
        collection(
          items,
          (b) => ({ id: b.id, name: b.name, description: b.description, deleted_at: b.deleted_at, version: b.version }),
          p.after,
        ),
      );
    }),
  );
  app.get(
    `${v2}/brands/:id`,
    h((c) => {
      const b = db.brands.get(c.req.param('id') ?? '');
      if (!b) throw notFound('Brand');
      return c.json({
        data: { id: b.id, name: b.name, description: b.description, deleted_at: b.deleted_at, version: b.version },
      });
    }),
  );
  app.post(
    `${v2}/brands`,
    h(async (c) => {
      const body = unwrap(await readJson(c));
      const name = isObject(body) ? str(body.name)?.trim() : undefined;
      if (!name) throw unprocessable('The name field is required', { name: ['is required'] });
      const id = db.newId('brand');
      db.brands.put({
        id,
        name,
        description: isObject(body) ? (str(body.description) ?? '') : '',
        deleted_at: null,
        version: db.nextVersion(),
      });
      return c.json({ data: id });
    }),
  );

  app.get(
    `${v2}/variant_attributes`,
    h((c) => {
      const deleted = c.req.query('deleted') === 'true';
      return c.json({
        data: db.variantAttributes
          .values()
          .filter((a) => deleted || a.deleted_at === null)
          .map((a) => ({ id: a.id, name: a.name, deleted_at: a.deleted_at })),
      });
    }),
  );
  app.get(
    `${v2}/variant_attributes/:id`,
    h((c) => {
      const a = db.variantAttributes.get(c.req.param('id') ?? '');
      if (!a) throw notFound('Variant attribute');
      return c.json({ data: { id: a.id, name: a.name, deleted_at: a.deleted_at } });
    }),
  );
  app.post(
    `${v2}/variant_attributes`,
    h(async (c) => {
      const body = unwrap(await readJson(c));
      const name = isObject(body) ? str(body.name)?.trim() : undefined;
      if (!name) throw unprocessable('The name field is required', { name: ['is required'] });
      if (
        db.variantAttributes.values().some((a) => a.deleted_at === null && a.name.toLowerCase() === name.toLowerCase())
      )
        throw unprocessable(`A variant attribute named "${name}" already exists`);
      const now = db.now();
      const rec = {
        id: db.newId('variant_attribute'),
        name,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        version: db.nextVersion(),
      };
      db.variantAttributes.put(rec);
      return c.json({ data: { id: rec.id, name, created_at: now, updated_at: now } }, 201);
    }),
  );

  // ---- products ------------------------------------------------------------------------------------------

  app.get(
    `${v2}/products`,
    h((c) => {
      const sku = c.req.query('sku');
      if (sku !== undefined) {
        // §2.4: loads a product by one of its SKUs (any product code, [I]); every other parameter is ignored.
        const found = db
          .productsWithCode(sku)
          .filter((p) => p.deleted_at === null)
          .sort((a, b) => a.version - b.version);
        return c.json(collection(found, (p) => productOut(p, db), 0));
      }
      const p = pageParams(c);
      const name = c.req.query('name') ?? c.req.query('family_name');
      const keep = (rec: ProductRec): boolean =>
        (p.deleted || rec.deleted_at === null) && (name === undefined || rec.name === name);
      return c.json(
        collection(db.products.page(p.after, p.before, p.pageSize, keep), (rec) => productOut(rec, db), p.after),
      );
    }),
  );
  app.get(
    `${v2}/products/:id`,
    h((c) => {
      const p = db.products.get(c.req.param('id') ?? '');
      if (!p) throw notFound('Product');
      return c.json({ data: productOut(p, db) });
    }),
  );
  app.get(
    `${v2}/products/:id/inventory`,
    h((c) => {
      const p = db.products.get(c.req.param('id') ?? '');
      if (!p) throw notFound('Product');
      const items = db.outlets
        .values()
        .map((o) => db.inventoryFor(p.id, o.id))
        .filter((i) => i !== undefined)
        .sort((a, b) => a.version - b.version);
      return c.json(collection(items, inventoryOut, 0));
    }),
  );
  app.post(
    `${v2}/products`,
    h(async (c) => {
      const body = unwrap(await readJson(c));
      if (!isObject(body)) throw unprocessable('Invalid product');
      const created = createProducts(db, body);
      for (const p of created) hooks.product(p);
      // Spec 1: 200 with an array of the new product ids (the family parent first).
      return c.json({ data: created.map((p) => p.id) });
    }),
  );
  app.delete(
    `${v2}/products/:id`,
    h((c) => {
      const p = db.products.get(c.req.param('id') ?? '');
      if (!p || p.deleted_at) throw notFound('Product');
      const now = db.now();
      const next = { ...p, deleted_at: now, updated_at: now, is_active: false, version: db.nextVersion() };
      db.putProduct(next, p);
      hooks.product(next);
      return c.json({});
    }),
  );

  // 2.1: update one product (`common` family-wide, `details` this variant) and add a single variant (§2.3).
  app.put(
    '/api/2.1/products/:id',
    h(async (c) => {
      const p = db.products.get(c.req.param('id') ?? '');
      if (!p || p.deleted_at) throw notFound('Product');
      const body = await readJson(c);
      if (!isObject(body)) throw unprocessable("update can't be processed");
      const updated = updateProduct21(db, p, body);
      for (const u of updated) hooks.product(u);
      return c.json({ data: productOut(db.products.get(p.id) as ProductRec, db) });
    }),
  );
  app.post(
    '/api/2.1/products',
    h(async (c) => {
      const body = await readJson(c);
      if (!isObject(body)) throw unprocessable("update can't be processed");
      const product = addVariant21(db, body);
      hooks.product(product);
      // No reply was ever recorded: the product, as the 2.1 PUT answers, or `{}` as Postman's example (a switch).
      return c.json(settings.addVariantReply() === 'empty' ? {} : { data: productOut(product, db) });
    }),
  );

  // ---- search --------------------------------------------------------------------------------------------

  app.get(
    `${v2}/search`,
    h((c) => {
      const type = c.req.query('type');
      const offset = Number(c.req.query('offset') ?? 0) || 0;
      const size = Math.min(1000, Math.max(1, Number(c.req.query('page_size') ?? 100) || 100));
      const all = (k: string): string[] => c.req.queries(k) ?? [];
      const deleted = c.req.query('deleted') === 'true';
      if (type === 'products') {
        // §2.4: "sku (values must be lowercased)": stored codes are lower-cased before comparing, the query is not.
        const skus = all('sku');
        const notSkus = all('-sku');
        const codesMatch = (p: ProductRec, wanted: string[]): boolean =>
          [p.sku ?? '', ...p.product_codes.map((x) => x.code)].some((code) => wanted.includes(code.toLowerCase()));
        const eq = (value: string | null, k: string): boolean => {
          const inc = all(k);
          const exc = all(`-${k}`);
          return (
            (inc.length === 0 || (value !== null && inc.includes(value))) && !(value !== null && exc.includes(value))
          );
        };
        let pool: ProductRec[];
        if (skus.length > 0) {
          const ids = new Set<string>();
          for (const s of skus) for (const id of db.idsWithCode(s)) ids.add(id);
          pool = [...ids]
            .map((id) => db.products.get(id))
            .filter((p): p is ProductRec => p !== undefined)
            .sort((a, b) => a.version - b.version);
        } else pool = db.products.values();
        const found: ProductRec[] = [];
        let skipped = 0;
        for (const p of pool) {
          if (!deleted && p.deleted_at !== null) continue;
          if (notSkus.length > 0 && codesMatch(p, notSkus)) continue;
          const parent = p.is_variant && p.family_id !== p.id ? p.family_id : null;
          if (
            !eq(p.supplier_id, 'supplier_id') ||
            !eq(p.brand_id, 'brand_id') ||
            !eq(p.product_type_id, 'product_type_id') ||
            !eq(parent, 'variant_parent_id')
          )
            continue;
          if (all('tag_id').length > 0 && !p.tag_ids.some((t) => all('tag_id').includes(t))) continue;
          if (skipped < offset) {
            skipped++;
            continue;
          }
          found.push(p);
          if (found.length >= size) break;
        }
        return c.json({ data: found.map((p) => productOut(p, db)) });
      }
      if (type === 'sales') {
        const statuses = all('status');
        const from = c.req.query('date_from');
        const to = c.req.query('date_to');
        const found = db.sales
          .values()
          .filter((s) => deleted || s.deleted_at === null)
          .filter((s) => statuses.length === 0 || statuses.includes(s.status))
          .filter((s) => !c.req.query('outlet_id') || s.outlet_id === c.req.query('outlet_id'))
          .filter((s) => !c.req.query('customer_id') || s.customer_id === c.req.query('customer_id'))
          .filter((s) => !c.req.query('user_id') || s.user_id === c.req.query('user_id'))
          .filter((s) => !c.req.query('invoice_number') || s.invoice_number === c.req.query('invoice_number'))
          .filter((s) => !from || Date.parse(s.sale_date) >= Date.parse(from))
          .filter((s) => !to || Date.parse(s.sale_date) <= Date.parse(to))
          .slice(offset, offset + size);
        return c.json({ data: found.map((s) => saleOut(s, db)) });
      }
      throw badRequest('type must be one of: products, sales');
    }),
  );

  // ---- inventory -----------------------------------------------------------------------------------------

  app.get(
    `${v2}/inventory`,
    h((c) => {
      const p = pageParams(c);
      const outlet = c.req.query('outlet_id');
      const product = c.req.query('product_id');
      const keep = (i: { outlet_id: string; product_id: string; deleted_at: string | null }): boolean =>
        (p.deleted || i.deleted_at === null) &&
        (!outlet || i.outlet_id === outlet) &&
        (!product || i.product_id === product);
      return c.json(collection(db.inventory.page(p.after, p.before, p.pageSize, keep), inventoryOut, p.after));
    }),
  );

  mountConsignmentsApi(app, db, hooks);
  mountSalesApi(app, db, hooks);

  // ---- webhooks (§7) -------------------------------------------------------------------------------------

  const webhookOut = (w: (typeof db.webhooks)[number]): Record<string, unknown> => ({
    id: w.id,
    retailer_id: w.retailer_id,
    user_id: w.user_id,
    url: w.url,
    active: w.active,
    type: w.type,
  });
  const createWebhook = (c: Context, input: unknown): (typeof db.webhooks)[number] => {
    if (!isObject(input)) throw unprocessable('Invalid webhook');
    const url = str(input.url);
    const type = str(input.type);
    if (!url || !/^https?:\/\//.test(url)) throw unprocessable('url must be an http(s) URL');
    if (!type || !(webhookTypes as readonly string[]).includes(type))
      throw unprocessable(`type must be one of ${webhookTypes.join(', ')}`);
    const clientId = clientOf(c);
    if (db.webhooks.some((w) => w.type === type && w.url === url && w.client_id === clientId))
      throw new ApiError(409, { error: 'A webhook with this type and URL already exists' });
    const rec = {
      id: db.newId('webhook'),
      retailer_id: db.retailer.id,
      user_id: db.users.values()[0]?.id ?? '',
      url,
      active: input.active !== false,
      type,
      client_id: clientId,
    };
    db.webhooks.push(rec);
    return rec;
  };
  const ownWebhook = (c: Context): (typeof db.webhooks)[number] => {
    const w = db.webhooks.find((x) => x.id === c.req.param('id') && x.client_id === clientOf(c));
    if (!w) throw notFound('Webhook');
    return w;
  };
  const patchWebhook = (w: (typeof db.webhooks)[number], input: unknown): void => {
    if (!isObject(input)) throw unprocessable('Invalid webhook');
    if (typeof input.active === 'boolean') w.active = input.active;
    if (typeof input.url === 'string') w.url = input.url;
    if (typeof input.type === 'string' && (webhookTypes as readonly string[]).includes(input.type)) w.type = input.type;
  };
  app.get(
    `${v2}/webhooks`,
    h((c) => c.json({ data: db.webhooks.filter((w) => w.client_id === clientOf(c)).map(webhookOut) })),
  );
  app.post(
    `${v2}/webhooks`,
    h(async (c) => c.json({ data: webhookOut(createWebhook(c, unwrap(await readJson(c)))) }, 201)),
  );
  app.get(
    `${v2}/webhooks/:id`,
    h((c) => c.json({ data: webhookOut(ownWebhook(c)) })),
  );
  app.put(
    `${v2}/webhooks/:id`,
    h(async (c) => {
      const w = ownWebhook(c);
      patchWebhook(w, unwrap(await readJson(c)));
      return c.json({ data: webhookOut(w) });
    }),
  );
  app.delete(
    `${v2}/webhooks/:id`,
    h((c) => {
      const w = ownWebhook(c);
      db.webhooks.splice(db.webhooks.indexOf(w), 1);
      return c.json({ data: webhookOut(w) });
    }),
  );
  // 0.9: form-encoded with a single `data` field holding JSON (§7).
  const formData = async (c: Context): Promise<unknown> => {
    const raw = await c.req.text();
    const data = new URLSearchParams(raw).get('data');
    if (data === null) {
      try {
        return raw.trim() ? JSON.parse(raw) : {};
      } catch {
        throw badRequest('Expected a form field "data" holding JSON');
      }
    }
    try {
      return JSON.parse(data) as unknown;
    } catch {
      throw badRequest('The "data" field must be JSON');
    }
  };
  app.get(
    '/api/webhooks',
    h((c) => c.json(db.webhooks.filter((w) => w.client_id === clientOf(c)).map(webhookOut))),
  );
  app.post(
    '/api/webhooks',
    h(async (c) => c.json(webhookOut(createWebhook(c, await formData(c))))),
  );
  app.put(
    '/api/webhooks/:id',
    h(async (c) => {
      const w = ownWebhook(c);
      patchWebhook(w, await formData(c));
      return c.json(webhookOut(w));
    }),
  );
  app.delete(
    '/api/webhooks/:id',
    h((c) => {
      const w = ownWebhook(c);
      db.webhooks.splice(db.webhooks.indexOf(w), 1);
      return c.json({ status: 'success' });
    }),
  );
}

// ---- products ----------------------------------------------------------------------------------------------

function parseCodes(value: unknown, field: string): ProductCodeRec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw unprocessable(`${field} must be an array`);
  return value.map((item, i) => {
    if (!isObject(item) || typeof item.code !== 'string' || item.code.trim() === '')
      throw unprocessable(`${field}[${i}].code is required`);
    const type = (str(item.type) ?? 'CUSTOM').toUpperCase();
    if (!codeTypes.includes(type)) throw unprocessable(`${field}[${i}].type must be one of ${codeTypes.join(', ')}`);
    return { type, code: item.code.trim() };
  });
}

function skuTaken(db: XDb, sku: string, except?: string): boolean {
  return db
    .productsWithCode(sku)
    .some((p) => p.deleted_at === null && p.id !== except && p.sku?.toLowerCase() === sku.toLowerCase());
}

function generatedSku(db: XDb): string {
  let sku: string;
  do sku = String(10_000 + ++db.sequence);
  while (skuTaken(db, sku));
  return sku;
}

function refId(db: XDb, value: unknown, kind: 'supplier' | 'brand', field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  const id = str(value);
  const found = id ? (kind === 'supplier' ? db.suppliers.get(id) : db.brands.get(id)) : undefined;
  if (!found || found.deleted_at) throw unprocessable(`${field} does not exist`, { [field]: ['not found'] });
  return found.id;
}

function applyInventory(db: XDb, productId: string, value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw unprocessable(`${field} must be an array`);
  for (const [i, item] of value.entries()) {
    if (!isObject(item) || !db.outlets.get(str(item.outlet_id) ?? ''))
      throw unprocessable(`${field}[${i}].outlet_id does not exist`);
    // [I] §4: inventory written with a product is an absolute level.
    db.changeInventory(productId, str(item.outlet_id) as string, {
      set: num(item.current_amount, `${field}[${i}].current_amount`) ?? 0,
      reorder_point: num(item.reorder_point, 'reorder_point') ?? null,
      reorder_amount: num(item.reorder_amount, 'reorder_amount') ?? null,
    });
  }
}

function price(body: Record<string, unknown>, db: XDb, fallback: number): number {
  const excl = num(body.price_excluding_tax, 'price_excluding_tax');
  const incl = num(body.price_including_tax, 'price_including_tax');
  if (excl !== undefined && incl !== undefined)
    throw unprocessable('You cannot include both price_including_tax and price_excluding_tax');
  if (excl !== undefined) return excl;
  if (incl !== undefined) {
    const rate = db.taxes.values().find((t) => t.is_default)?.rate ?? 0;
    return Math.round((incl / (1 + rate)) * 100000) / 100000;
  }
  return fallback;
}

const MAX_VARIANTS = 200;

/** POST /api/2.0/products (§2.2): a standard product, or a family from `variants[]`. */
function createProducts(db: XDb, body: Record<string, unknown>): ProductRec[] {
  const name = str(body.name)?.trim();
  if (!name) throw unprocessable('The name field is required', { name: ['is required'] });
  const supplierId = refId(db, body.supplier_id, 'supplier', 'supplier_id');
  const brandId = refId(db, body.brand_id, 'brand', 'brand_id');
  const composite = Array.isArray(body.composite) ? body.composite : [];
  const variants = body.variants;
  if (variants !== undefined && (!Array.isArray(variants) || variants.length === 0))
    throw unprocessable('variants must be a non-empty array');
  // "A product can have up to 200 variants" (X-Series support article 25534074031899) [docs, no recorded reply:
  // the wording of the refusal is ours].
  if (Array.isArray(variants) && variants.length > MAX_VARIANTS)
    throw unprocessable(`A product can have at most ${MAX_VARIANTS} variants; this one has ${variants.length}`, {
      variants: [`must have at most ${MAX_VARIANTS} items`],
    });
  const basePrice = price(body, db, 0);
  const baseSupply = num(body.supply_price, 'supply_price') ?? 0;
  const handle = str(body.handle)?.trim() || name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const now = db.now();
  const common = {
    name,
    handle,
    description: str(body.description) ?? '',
    source: str(body.source) ?? 'USER',
    source_id: str(body.source_id) ?? null,
    has_inventory: true,
    supplier_id: supplierId,
    brand_id: brandId,
    product_type_id: str(body.product_type_id) ?? str(body.product_category_id) ?? null,
    tag_ids: Array.isArray(body.tag_ids) ? body.tag_ids.filter((t): t is string => typeof t === 'string') : [],
    is_active: body.is_active !== false,
    image_url: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  type Draft = {
    sku: string;
    codes: ProductCodeRec[];
    price: number;
    supply: number;
    supplierCode: string | null;
    options: ProductRec['variant_options'];
    inventory: unknown;
  };
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  const takeSku = (given: string | undefined, where: string): string => {
    const sku = given?.trim() || generatedSku(db);
    if (skuTaken(db, sku) || seen.has(sku.toLowerCase()))
      throw unprocessable(`The SKU ${sku} is already in use`, { [where]: ['has already been taken'] });
    seen.add(sku.toLowerCase());
    return sku;
  };
  if (Array.isArray(variants)) {
    const signatures = new Set<string>();
    for (const [i, v] of variants.entries()) {
      if (!isObject(v)) throw unprocessable(`variants[${i}] must be an object`);
      const defs = v.variant_definitions;
      if (!Array.isArray(defs) || defs.length === 0)
        throw unprocessable(`variants[${i}].variant_definitions is required`);
      if (defs.length > 3) throw unprocessable(`variants[${i}] may have at most 3 variant attributes`);
      const options = defs.map((d, j) => {
        const attr = isObject(d) ? db.variantAttributes.get(str(d.attribute_id) ?? '') : undefined;
        if (!attr || attr.deleted_at)
          throw unprocessable(`variants[${i}].variant_definitions[${j}].attribute_id does not exist`);
        const value = isObject(d) ? str(d.value)?.trim() : undefined;
        if (!value) throw unprocessable(`variants[${i}].variant_definitions[${j}].value is required`);
        return { attribute_id: attr.id, name: attr.name, value };
      });
      const signature = options.map((o) => `${o.attribute_id}=${o.value.toLowerCase()}`).join('|');
      if (signatures.has(signature))
        throw unprocessable(`variants[${i}] duplicates another variant's attribute values`);
      signatures.add(signature);
      drafts.push({
        sku: takeSku(str(v.sku), `variants[${i}].sku`),
        codes: parseCodes(v.product_codes, `variants[${i}].product_codes`),
        price: price(v, db, basePrice),
        supply: num(v.supply_price, `variants[${i}].supply_price`) ?? baseSupply,
        supplierCode: str(v.supplier_code) ?? str(body.supplier_code) ?? null,
        options,
        inventory: v.inventory,
      });
    }
  } else {
    drafts.push({
      sku: takeSku(str(body.sku), 'sku'),
      codes: parseCodes(body.product_codes, 'product_codes'),
      price: basePrice,
      supply: baseSupply,
      supplierCode: str(body.supplier_code) ?? null,
      options: [],
      inventory: body.inventory,
    });
  }
  const compositeParts = composite.map((part, i) => {
    const id = isObject(part) ? str(part.product_id) : undefined;
    if (!id || !db.products.get(id)) throw unprocessable(`composite[${i}].product_id does not exist`);
    return { product_id: id, quantity: num(isObject(part) ? part.quantity : undefined, 'quantity') ?? 1 };
  });
  const isFamily = Array.isArray(variants);
  const created: ProductRec[] = [];
  const familyId = db.newId('product');
  drafts.forEach((d, i) => {
    const id = i === 0 ? familyId : db.newId('product');
    // "sku … should be included in product_codes; if it's not, it will be added automatically" (§2.2).
    const codes = d.codes.some((x) => x.code.toLowerCase() === d.sku.toLowerCase())
      ? d.codes
      : [{ type: 'CUSTOM', code: d.sku }, ...d.codes];
    const rec: ProductRec = {
      ...common,
      id,
      family_id: isFamily ? familyId : id,
      sku: d.sku,
      // Only the top-level `source_variant_id` (ProductCreateBody) is kept, on a family's parent [I]: `variants[]`
      // items are `ProductAddVariantPayload`, which has none (divergences F9), so the real API may drop it.
      source_variant_id: i === 0 ? (str(body.source_variant_id) ?? null) : null,
      is_composite: compositeParts.length > 0,
      is_variant: isFamily,
      variant_options: d.options,
      price_excluding_tax: d.price,
      supply_price: d.supply,
      supplier_code: d.supplierCode,
      product_codes: codes,
      composite: compositeParts,
      version: db.nextVersion(),
    };
    db.putProduct(rec);
    for (const o of db.outlets.values())
      if (!db.inventoryFor(id, o.id)) db.changeInventory(id, o.id, { set: 0, cost: d.supply });
    applyInventory(db, id, d.inventory ?? body.inventory, isFamily ? `variants[${i}].inventory` : 'inventory');
    created.push(db.products.get(id) as ProductRec);
  });
  return created;
}

/**
 * The 2.1 `details` keys: the official Postman collection's create and update bodies (all_outlet_tax …
 * width), plus `all_outlets_tax` and `composite_components` from the 2026-07 `ProductUpdate21Request`
 * (reference §2.3). There is no `sku`, `supply_price` or `source_variant_id` among them (divergences F10): the
 * SKU is the first product code, the supply price is `product_suppliers[].price`.
 */
const details21Keys = new Set([
  'all_outlet_tax',
  'all_outlets_tax',
  'composite_components',
  'dimension_unit',
  'height',
  'inventory',
  'is_active',
  'length',
  'loyalty_amount',
  'outlet_taxes',
  'packaging',
  'price_excluding_tax',
  'price_including_tax',
  'product_codes',
  'product_suppliers',
  'variant_attribute_values',
  'weight',
  'weight_unit',
  'width',
]);

/** [I] Unknown `details` keys are refused (422 "update can't be processed" naming them), not silently ignored. */
function assertDetailsKeys(details: Record<string, unknown>): void {
  const unknown = Object.keys(details).filter((k) => !details21Keys.has(k));
  if (unknown.length > 0)
    throw unprocessable(
      "update can't be processed",
      Object.fromEntries(unknown.map((k) => [`details.${k}`, ['is not a product details field']])),
    );
}

function applyDetails(db: XDb, p: ProductRec, details: Record<string, unknown>): ProductRec {
  assertDetailsKeys(details);
  const next: ProductRec = { ...p };
  if (typeof details.is_active === 'boolean') next.is_active = details.is_active;
  if (details.product_codes !== undefined) {
    const codes = parseCodes(details.product_codes, 'details.product_codes');
    next.product_codes = codes;
  }
  next.price_excluding_tax = price(details, db, p.price_excluding_tax);
  if (Array.isArray(details.product_suppliers)) {
    const first = details.product_suppliers[0];
    if (isObject(first)) {
      next.supplier_id = refId(db, first.supplier_id, 'supplier', 'details.product_suppliers[0].supplier_id');
      if (typeof first.code === 'string') next.supplier_code = first.code;
      if (first.price !== undefined) next.supply_price = num(first.price, 'price') ?? next.supply_price;
    }
  }
  if (Array.isArray(details.variant_attribute_values)) {
    next.variant_options = details.variant_attribute_values.map((v, i) => {
      const attr = isObject(v) ? db.variantAttributes.get(str(v.attribute_id) ?? '') : undefined;
      const value = isObject(v) ? (str(v.attribute_value) ?? str(v.value)) : undefined;
      if (!attr || !value) throw unprocessable(`details.variant_attribute_values[${i}] is invalid`);
      return { attribute_id: attr.id, name: attr.name, value };
    });
  }
  return next;
}

/** PUT /api/2.1/products/{id}: `common` applies to the whole family, `details` to this product (§2.3). */
function updateProduct21(db: XDb, p: ProductRec, body: Record<string, unknown>): ProductRec[] {
  const common = isObject(body.common) ? body.common : {};
  const details = isObject(body.details) ? body.details : {};
  const now = db.now();
  const commonPatch: Partial<ProductRec> = {};
  if (common.name !== undefined) {
    const name = str(common.name)?.trim();
    if (!name) throw unprocessable("update can't be processed", { 'common.name': ['must be a non-empty string'] });
    commonPatch.name = name;
  }
  if (typeof common.description === 'string') commonPatch.description = common.description;
  if (common.brand_id !== undefined) commonPatch.brand_id = refId(db, common.brand_id, 'brand', 'common.brand_id');
  if (typeof common.source_id === 'string') commonPatch.source_id = common.source_id;
  if (Array.isArray(common.product_suppliers) && isObject(common.product_suppliers[0]))
    commonPatch.supplier_id = refId(
      db,
      common.product_suppliers[0].supplier_id,
      'supplier',
      'common.product_suppliers[0].supplier_id',
    );
  const own = applyDetails(db, p, details);
  const family = p.is_variant ? db.familyOf(p) : [p];
  const changed: ProductRec[] = [];
  for (const member of family) {
    const base = member.id === p.id ? own : member;
    if (member.id !== p.id && Object.keys(commonPatch).length === 0) continue;
    const next: ProductRec = { ...base, ...commonPatch, updated_at: now, version: db.nextVersion() };
    db.putProduct(next, member);
    changed.push(next);
  }
  applyInventory(db, p.id, details.inventory, 'details.inventory');
  return changed;
}

/**
 * POST /api/2.1/products, "Add Single Variant" (§2.3). How the family is named is open ([I] §9.3): we accept
 * `common.variant_parent_id`, `common.product_id` or a top-level `variant_parent_id`, else the one family whose
 * name equals `common.name` (the Postman example sends only that). The SKU is the first product code ("the
 * first is the default"; `details` has no `sku`), generated when there is none.
 */
function addVariant21(db: XDb, body: Record<string, unknown>): ProductRec {
  const common = isObject(body.common) ? body.common : {};
  const details = isObject(body.details) ? body.details : {};
  assertDetailsKeys(details);
  const ref = str(common.variant_parent_id) ?? str(common.product_id) ?? str(body.variant_parent_id);
  let parent: ProductRec | undefined;
  if (ref) parent = db.products.get(ref);
  else if (typeof common.name === 'string') {
    const families = new Set(
      db.products
        .values()
        .filter((p) => p.deleted_at === null && p.is_variant && p.name === common.name)
        .map((p) => p.family_id),
    );
    if (families.size === 1) parent = db.products.get([...families][0] as string);
  }
  if (!parent || parent.deleted_at || !parent.is_variant)
    throw unprocessable("update can't be processed", { variant_parent_id: ['no variant family found'] });
  const familyParent = db.products.get(parent.family_id) ?? parent;
  const firstCode = parseCodes(details.product_codes, 'details.product_codes')[0];
  const sku = firstCode?.code.trim() || generatedSku(db);
  if (skuTaken(db, sku)) throw unprocessable(`The SKU ${sku} is already in use`);
  const now = db.now();
  const draft: ProductRec = {
    ...familyParent,
    id: db.newId('product'),
    sku,
    source_variant_id: null,
    product_codes: [],
    variant_options: [],
    created_at: now,
    updated_at: now,
    deleted_at: null,
    version: 0,
  };
  const next = applyDetails(db, draft, details);
  if (next.variant_options.length === 0)
    throw unprocessable("update can't be processed", { variant_attribute_values: ['are required'] });
  const signature = (p: ProductRec): string =>
    p.variant_options.map((o) => `${o.attribute_id}=${o.value.toLowerCase()}`).join('|');
  const members = db.familyOf(familyParent);
  if (members.some((m) => signature(m) === signature(next)))
    throw unprocessable('A variant with these attribute values already exists');
  // The 200-variant limit of a family holds for a variant added later too (same article as on create).
  if (members.length >= MAX_VARIANTS)
    throw unprocessable(`A product can have at most ${MAX_VARIANTS} variants; this one has ${members.length}`, {
      variant_parent_id: [`has ${MAX_VARIANTS} variants already`],
    });
  if (!next.product_codes.some((c) => c.code.toLowerCase() === sku.toLowerCase()))
    next.product_codes = [{ type: 'CUSTOM', code: sku }, ...next.product_codes];
  next.version = db.nextVersion();
  db.putProduct(next);
  for (const o of db.outlets.values()) db.changeInventory(next.id, o.id, { set: 0, cost: next.supply_price });
  applyInventory(db, next.id, details.inventory, 'details.inventory');
  return db.products.get(next.id) as ProductRec;
}
