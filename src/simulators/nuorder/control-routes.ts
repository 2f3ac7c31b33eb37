import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { SimInputError } from '../shared/control.ts';
import { isOrderStatus, type OrderRecord, type OrderStatus } from './model.ts';
import { renderOrder, renderShipment } from './render.ts';
import { addConsumer, approveRequestToken, mintAccessToken, randomToken } from './credentials.ts';
import { shipOrder } from './shipments.ts';
import { lineInput, NuorderError, type NuorderStore, type OrderEdit } from './store.ts';

/**
 * The NuORDER simulator's own control routes (docs/simulators/nuorder.md "Extra control routes"): config, API
 * applications and tokens, approvals without a browser, and the buyer's and brand's order actions.
 */

const statusWords: Record<string, OrderStatus> = {
  process: 'processed',
  cancel: 'cancelled',
  canceled: 'cancelled',
  approve: 'approved',
  ship: 'shipped',
  submit: 'review',
};

export function toStatus(word: string): OrderStatus | undefined {
  const lower = word.toLowerCase();
  return isOrderStatus(lower) ? lower : statusWords[lower];
}

export const configInput = z
  .object({
    timestampWindowSeconds: z.number().int().min(1),
    accessTokenTtlSeconds: z.number().int().min(1).nullable(),
    requestTokenTtlSeconds: z.number().int().min(1),
    rateLimit: z.object({ limit: z.number().int().min(1), windowSeconds: z.number().int().min(1) }).nullable(),
    schemes: z.array(z.enum(['legacy', 'rfc5849'])).min(1),
    shipmentsRoute: z.boolean(),
  })
  .partial()
  .strict();

/** The buyer's and the brand's actions, used by the control API and the back-office forms. */
export function applyAction(store: NuorderStore, order: OrderRecord, action: string, edit: OrderEdit = {}): boolean {
  switch (action) {
    case 'submit':
      return store.changeStatus(order, 'review', 'buyer');
    case 'submit_as_brand':
      return store.changeStatus(order, 'pending', 'brand');
    case 'suggest_changes': {
      // The reference names no status for "changes suggested" (§3.2). The brand edits the order, which becomes
      // (or stays) a brand-owned `pending` order awaiting approval [I]; only orders still awaiting approval qualify.
      if (order.status !== 'review' && order.status !== 'pending')
        throw new NuorderError(
          400,
          `order ${order.order_number} is ${order.status}; the brand suggests changes only on orders awaiting approval (review or pending)`,
        );
      store.editOrder(order, edit, 'brand');
      if (order.status === 'pending') return true;
      return store.changeStatus(order, 'pending', 'brand');
    }
    default: {
      const to = toStatus(action);
      if (!to) throw new NuorderError(400, `unknown status or action "${action}"`);
      return store.changeStatus(order, to, to === 'review' ? 'buyer' : 'brand');
    }
  }
}

export function mountNuorderControl(app: Hono, store: NuorderStore, deps: { onConfigChange(): void }): void {
  const readJson = async (c: Context): Promise<Record<string, unknown>> => {
    const text = await c.req.text();
    const value: unknown = text.trim() === '' ? {} : JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SimInputError('Expected a JSON object');
    return value as Record<string, unknown>;
  };
  const control =
    (fn: (c: Context) => Promise<Response> | Response) =>
    async (c: Context): Promise<Response> => {
      try {
        return await fn(c);
      } catch (error) {
        if (error instanceof NuorderError)
          return c.json(
            { error: error.message },
            (error.status === 404 || error.status === 409 ? error.status : 400) as 400,
          );
        throw error;
      }
    };
  const controlOrder = (c: Context): OrderRecord => {
    const ref = c.req.param('id') ?? '';
    const order = store.order(ref) ?? store.orderByNumber(ref);
    if (!order) throw new NuorderError(404, `order not found: ${ref}`);
    return order;
  };

  app.get('/_sim/config', (c) => c.json(store.state.config));
  app.put(
    '/_sim/config',
    control(async (c) => {
      const body = configInput.parse(await readJson(c));
      store.state.config = { ...store.state.config, ...body };
      deps.onConfigChange();
      return c.json(store.state.config);
    }),
  );

  app.post(
    '/_sim/consumers',
    control(async (c) => {
      const body = z
        .object({
          key: z.string().min(1).optional(),
          secret: z.string().min(1).optional(),
          name: z.string().optional(),
        })
        .parse(await readJson(c));
      const consumer = addConsumer(
        store,
        body.key ?? randomToken(24),
        body.secret ?? randomToken(32),
        body.name ?? 'API application',
      );
      return c.json({ consumer_key: consumer.key, consumer_secret: consumer.secret, name: consumer.name }, 201);
    }),
  );

  app.post(
    '/_sim/tokens',
    control(async (c) => {
      const body = z
        .object({
          consumerKey: z.string().min(1).optional(),
          consumerSecret: z.string().min(1).optional(),
          token: z.string().min(1).optional(),
          tokenSecret: z.string().min(1).optional(),
          applicationName: z.string().optional(),
          brand: z.string().optional(),
          brands: z.array(z.string()).optional(),
        })
        .parse(await readJson(c));
      const brands = body.brands ?? (body.brand ? [body.brand] : null);
      const minted = mintAccessToken(store, {
        ...(body.consumerKey ? { consumerKey: body.consumerKey } : {}),
        ...(body.consumerSecret ? { consumerSecret: body.consumerSecret } : {}),
        ...(body.token ? { token: body.token } : {}),
        ...(body.tokenSecret ? { tokenSecret: body.tokenSecret } : {}),
        ...(body.applicationName ? { applicationName: body.applicationName } : {}),
        brands,
      });
      return c.json(
        {
          consumer_key: minted.consumer_key,
          consumer_secret: minted.consumer_secret,
          oauth_token: minted.token,
          oauth_token_secret: minted.secret,
          brands: minted.brands,
          expires_at: minted.expires_at === null ? null : new Date(minted.expires_at).toISOString(),
        },
        201,
      );
    }),
  );

  app.post(
    '/_sim/oauth/approve',
    control(async (c) => {
      const body = z
        .object({ oauth_token: z.string().min(1), brands: z.array(z.string()).nullable().optional() })
        .parse(await readJson(c));
      const brands = body.brands ? body.brands.map((b) => store.brand(b)?._id ?? b) : null;
      const rt = approveRequestToken(store, body.oauth_token, brands);
      return c.json({ oauth_token: rt.token, oauth_verifier: rt.verifier });
    }),
  );

  const createOrderBody = z.object({
    brand: z.string().min(1),
    retailer: z.string().optional(),
    lines: z.array(lineInput).min(1),
    status: z
      .string()
      .refine((s) => isOrderStatus(s), 'unknown status')
      .optional(),
    orderNumber: z.string().min(1).optional(),
    customerPoNumber: z.string().optional(),
    notes: z.string().optional(),
    startShip: z.string().datetime().optional(),
    endShip: z.string().datetime().optional(),
  });
  app.post(
    '/_sim/orders',
    control(async (c) => {
      const body = createOrderBody.parse(await readJson(c));
      const order = store.createOrder({
        brand: body.brand,
        lines: body.lines,
        by: 'control',
        ...(body.retailer ? { retailer: body.retailer } : {}),
        ...(body.status ? { status: body.status as OrderStatus } : {}),
        ...(body.orderNumber ? { orderNumber: body.orderNumber } : {}),
        ...(body.customerPoNumber !== undefined ? { customerPoNumber: body.customerPoNumber } : {}),
        ...(body.notes !== undefined ? { notes: body.notes } : {}),
        ...(body.startShip ? { startShip: body.startShip } : {}),
        ...(body.endShip ? { endShip: body.endShip } : {}),
      });
      return c.json({ order: renderOrder(order, store) }, 201);
    }),
  );

  const editBody = z.object({
    lines: z.array(lineInput).optional(),
    notes: z.string().optional(),
    customerPoNumber: z.string().optional(),
    startShip: z.string().datetime().optional(),
    endShip: z.string().datetime().optional(),
  });
  const toEdit = (body: z.infer<typeof editBody>): OrderEdit => ({
    ...(body.lines ? { lines: body.lines } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.customerPoNumber !== undefined ? { customerPoNumber: body.customerPoNumber } : {}),
    ...(body.startShip ? { startShip: body.startShip } : {}),
    ...(body.endShip ? { endShip: body.endShip } : {}),
  });

  app.post(
    '/_sim/orders/:id/status',
    control(async (c) => {
      const order = controlOrder(c);
      const body = z
        .object({
          status: z.string().optional(),
          action: z
            .enum(['submit', 'submit_as_brand', 'approve', 'suggest_changes', 'process', 'ship', 'cancel'])
            .optional(),
        })
        .and(editBody)
        .parse(await readJson(c));
      const result = applyAction(store, order, body.action ?? body.status ?? '', toEdit(body));
      return c.json({ changed: result, order: renderOrder(order, store) });
    }),
  );

  app.post(
    '/_sim/orders/:id/edit',
    control(async (c) => {
      const order = controlOrder(c);
      const body = editBody.parse(await readJson(c));
      store.editOrder(order, toEdit(body), 'brand');
      return c.json({ order: renderOrder(order, store) });
    }),
  );

  app.post(
    '/_sim/orders/:id/split',
    control(async (c) => {
      const order = controlOrder(c);
      const body = z.object({ lineIds: z.array(z.string()).optional() }).parse(await readJson(c));
      const { original, split } = store.splitOrder(order, body.lineIds, 'brand');
      return c.json({ original: renderOrder(original, store), split: renderOrder(split, store) }, 201);
    }),
  );

  const shipBody = z
    .object({
      carrier: z.string().default(''),
      trackingNumbers: z.array(z.string()).default([]),
      shippedOn: z.string().datetime({ offset: true }).optional(),
      final: z.boolean().optional(),
      lines: z
        .array(
          z.object({
            lineId: z.string().optional(),
            productId: z.string().optional(),
            size: z.string().optional(),
            quantity: z.number().int().min(1).optional(),
            sizes: z.array(z.object({ size: z.string(), quantity: z.number().int().min(1) })).optional(),
          }),
        )
        .min(1)
        .optional(),
    })
    .strict();
  app.post(
    '/_sim/orders/:id/shipments',
    control(async (c) => {
      const order = controlOrder(c);
      const body = shipBody.parse(await readJson(c));
      const shipment = shipOrder(store, order, body, 'brand');
      return c.json({ shipment: renderShipment(order, shipment, store), order: renderOrder(order, store) }, 201);
    }),
  );
}
