import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { SimClock } from '../shared/clock.ts';
import { SimInputError } from '../shared/control.ts';
import { mountBackOffice } from './back-office.ts';
import { raiseBody, type NetsuiteBook, type RaiseInput } from './book.ts';
import { NsError } from './errors.ts';
import {
  concurrencyLimitOf,
  salesOrderStatusCodes,
  type NsConfig,
  type NsTransaction,
  type SalesOrderStatus,
} from './model.ts';
import { RecordWriter } from './records.ts';

/**
 * The NetSuite simulator's own control routes (beyond the shared /_sim API): its settings (`PUT /_sim/config`:
 * concurrency by service tier, token lifetime, Advanced Shipping, …), TBA tokens, and raising a sales order as a
 * person in NetSuite would (also the back office's form).
 */

const configBody = z
  .object({
    concurrencyLimit: z.number().int().min(1).max(1000).nullable(),
    serviceTier: z.enum(['shared', 'standard', 'tier1']),
    suiteCloudPlusLicenses: z.number().int().min(0).max(100),
    processingMs: z.number().int().min(0).max(60_000),
    timestampToleranceSeconds: z.number().int().min(1).max(86_400),
    tokenLifetimeSeconds: z.number().int().min(1).nullable(),
    advancedShipping: z.boolean(),
    enforceBillingForm: z.boolean(),
    suiteqlDateFormat: z.enum(['M/D/YYYY', 'ISO']),
  })
  .partial()
  .strict();

const raiseSchema = z.object({
  customer: z.union([z.string(), z.number()]).transform(String),
  items: z
    .array(
      z.object({
        item: z.union([z.string(), z.number()]).transform(String),
        quantity: z.number().positive().default(1),
        rate: z.number().optional(),
      }),
    )
    .min(1),
  location: z.union([z.string(), z.number()]).transform(String).optional(),
  shipMethod: z.union([z.string(), z.number()]).transform(String).optional(),
  fulfilment: z.enum(['pickup', 'delivery', 'ship']).optional(),
  status: z.enum(salesOrderStatusCodes as [SalesOrderStatus, ...SalesOrderStatus[]]).default('B'),
  externalId: z.string().optional(),
  memo: z.string().optional(),
  otherRefNum: z.string().optional(),
  customForm: z.enum(['invoice', 'cashSale']).optional(),
  custom: z.record(z.string().regex(/^custbody/), z.unknown()).optional(),
});

export function mountNetsuiteControl(
  app: Hono,
  book: NetsuiteBook,
  options: { accountId: string; clock: SimClock; origin: (c: Context) => string; credentials: Record<string, string> },
): void {
  const { accountId, clock, origin } = options;
  const readJson = async (c: Context): Promise<unknown> => {
    const text = await c.req.text();
    return text.trim() === '' ? {} : JSON.parse(text);
  };

  const configView = (): Record<string, unknown> => ({
    ...book.state.config,
    effectiveConcurrencyLimit: concurrencyLimitOf(book.state.config),
    accountId,
    realm: accountId,
  });
  app.get('/_sim/config', (c) => c.json(configView()));
  app.put('/_sim/config', async (c) => {
    const patch = configBody.parse(await readJson(c));
    book.state.config = { ...book.state.config, ...patch } as NsConfig;
    return c.json(configView());
  });

  app.get('/_sim/tokens', (c) =>
    c.json({
      accountId,
      integrations: book.state.integrations,
      tokens: book.state.tokens,
    }),
  );
  app.post('/_sim/tokens', async (c) => {
    const body = z
      .object({ name: z.string().default('Integration'), consumerKey: z.string().optional() })
      .parse(await readJson(c));
    let integration = body.consumerKey
      ? book.state.integrations.find((i) => i.consumerKey === body.consumerKey)
      : undefined;
    if (body.consumerKey && !integration)
      throw new SimInputError(`No integration with consumer key ${body.consumerKey}`);
    if (!integration) {
      integration = {
        name: body.name,
        consumerKey: randomBytes(32).toString('hex'),
        consumerSecret: randomBytes(32).toString('hex'),
      };
      book.state.integrations.push(integration);
    }
    const token = {
      tokenId: randomBytes(32).toString('hex'),
      tokenSecret: randomBytes(32).toString('hex'),
      consumerKey: integration.consumerKey,
      createdAtMs: clock.now(),
      revoked: false,
    };
    book.state.tokens.push(token);
    return c.json(
      {
        accountId,
        realm: accountId,
        consumerKey: integration.consumerKey,
        consumerSecret: integration.consumerSecret,
        tokenId: token.tokenId,
        tokenSecret: token.tokenSecret,
      },
      201,
    );
  });
  app.delete('/_sim/tokens/:tokenId', (c) => {
    const token = book.state.tokens.find((t) => t.tokenId === c.req.param('tokenId'));
    if (!token) return c.json({ error: `No token ${c.req.param('tokenId')}` }, 404);
    token.revoked = true;
    return c.json({ ok: true, revoked: token.tokenId });
  });

  /** Resolves what a person types: an internal id, or a name/SKU/UPC/email. */
  const resolvePerson = (input: z.infer<typeof raiseSchema>): RaiseInput => {
    const s = book.state;
    const customer =
      s.customers[input.customer] ??
      Object.values(s.customers).find(
        (c) =>
          c.entityId === input.customer ||
          c.email === input.customer ||
          c.companyName === input.customer ||
          `${c.firstName} ${c.lastName}` === input.customer,
      );
    if (!customer) throw new SimInputError(`Unknown customer ${input.customer}`);
    const items = input.items.map((l) => {
      const item = s.items[l.item] ?? Object.values(s.items).find((i) => i.itemId === l.item || i.upcCode === l.item);
      if (!item) throw new SimInputError(`Unknown item ${l.item}`);
      return { item: item.id, quantity: l.quantity, ...(l.rate !== undefined ? { rate: l.rate } : {}) };
    });
    const location = input.location
      ? (s.locations[input.location] ?? Object.values(s.locations).find((l) => l.name === input.location))
      : undefined;
    if (input.location && !location) throw new SimInputError(`Unknown location ${input.location}`);
    const ship = input.shipMethod
      ? (s.shipMethods[input.shipMethod] ?? Object.values(s.shipMethods).find((m) => m.itemId === input.shipMethod))
      : undefined;
    if (input.shipMethod && !ship) throw new SimInputError(`Unknown ship method ${input.shipMethod}`);
    return {
      customer: customer.id,
      items,
      location: location?.id ?? null,
      shipMethod: ship?.id ?? null,
      ...(input.fulfilment ? { fulfilment: input.fulfilment } : {}),
      status: input.status,
      ...(input.externalId ? { externalId: input.externalId } : {}),
      ...(input.memo ? { memo: input.memo } : {}),
      ...(input.otherRefNum ? { otherRefNum: input.otherRefNum } : {}),
      ...(input.customForm ? { customForm: input.customForm } : {}),
      ...(input.custom ? { custom: input.custom } : {}),
    };
  };

  const raise = (input: z.infer<typeof raiseSchema>): NsTransaction => {
    const person = resolvePerson(input);
    try {
      const so = book.createSalesOrder(raiseBody(book, person));
      book.advanceTo(so, person.status ?? 'B');
      return so;
    } catch (error) {
      if (error instanceof NsError) throw new SimInputError(error.message, error.body());
      throw error;
    }
  };

  app.post('/_sim/sales-orders', async (c) => {
    const so = raise(raiseSchema.parse(await readJson(c)));
    return c.json(
      { id: so.id, tranId: so.tranId, record: new RecordWriter(book, origin(c)).transaction(so, true) },
      201,
    );
  });

  mountBackOffice(app, book, {
    accountId,
    credentials: options.credentials,
    raise: (input) => raise(raiseSchema.parse(input)),
  });
}
