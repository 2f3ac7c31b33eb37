import { Option, type Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { brandOf } from '../flows/forecast.ts';
import { listLinks } from '../flows/item-links/ledger.ts';
import { sendReorder } from '../flows/reorder/from-tradeloop.ts';
import { connections, wholesaleOrders } from '../store/repos/index.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption, text, uuid } from './options.ts';

/**
 * `tradeloop links <brand>`: a brand's item links with their origin (GET /api/connections/:id/item-links);
 * `tradeloop reorder <order>`: send a new NuORDER order with the same lines (POST /api/orders/:id/reorder).
 */
export function registerLinksCommands(program: Command): void {
  program
    .command('links')
    .description("A brand's item links: each size's POS item and why (UPC match, created by an export, chosen, merge)")
    .argument('<brand>', 'the brand, by name or id (as GET /api/brands lists them)', text())
    .addOption(new Option('--pos <connection-id>', 'the POS connection (default: the first)').argParser(uuid))
    .addOption(new Option('--search <text>', 'style, colour, size, item id, name or SKU').argParser(text(200)))
    .addOption(orgOption())
    .option('--json', 'print JSON, as GET /api/connections/:id/item-links answers')
    .action(async (brand: string, options: { pos?: string; search?: string; json?: boolean; org?: string }) => {
      await withContext(async (ctx) => {
        const tenantId = await resolveTenant(ctx, options.org);
        const brands = await connections.list(ctx.store.db, tenantId, { system: 'nuorder' });
        const wanted = brand.trim().toLowerCase();
        const found = brands.find((c) => c.id === brand || brandOf(c).name.toLowerCase() === wanted);
        if (!found) {
          const known = brands.map((c) => `${brandOf(c).name} (${c.id})`).join(', ') || 'none linked';
          throw new AppError('NOT_FOUND', `No brand "${brand}"; the brands are: ${known}`);
        }
        const pos =
          options.pos ??
          (await connections.list(ctx.store.db, tenantId)).find(
            (c) => ctx.connectors.isPos(c.system) && c.status === 'linked',
          )?.id;
        if (!pos) throw new AppError('NO_POS_CONNECTION', 'Link a point of sale first: links are per POS');
        const page = await listLinks(ctx, tenantId, pos, {
          brandId: found.id,
          ...(options.search ? { search: options.search } : {}),
          limit: 500,
          offset: 0,
        });
        if (options.json) {
          const links = page.links.map((l) => ({ ...l, since: new Date(l.since).toISOString() }));
          console.log(JSON.stringify({ ...page, links, limit: 500, offset: 0 }, null, 2));
          return;
        }
        console.log(`${page.total} item link(s) of ${brandOf(found).name}`);
        for (const l of page.links)
          console.log(
            `  ${l.parts.style} ${l.parts.color} ${l.parts.size} → ${l.item.name ?? '?'} #${l.posItemId} · ${l.originLabel ?? 'unknown'} (${new Date(l.since).toISOString().slice(0, 10)})`,
          );
      });
    });

  program
    .command('reorder')
    .description('Send a new NuORDER order with the same lines as an order, for the brand to approve')
    .argument('<order>', 'the order id (UUID) or its NuORDER order number', text())
    .addOption(orgOption())
    .option('--json', 'print JSON, as POST /api/orders/:id/reorder answers')
    .action(async (order: string, options: { json?: boolean; org?: string }) => {
      await withContext(async (ctx) => {
        const tenantId = await resolveTenant(ctx, options.org);
        const listed = await wholesaleOrders.list(ctx.store.db, tenantId, { limit: 500 });
        const found = listed.orders.find((o) => o.id === order || o.orderNumber === order);
        if (!found) throw new AppError('NOT_FOUND', `No order "${order}" (an order id or NuORDER order number)`);
        const sent = await sendReorder(ctx, tenantId, found.id, {});
        if (options.json) console.log(JSON.stringify(sent, null, 2));
        else
          console.log(
            `Sent to NuORDER as order ${sent.orderNumber} (${sent.lines} lines, ${sent.units} units): waiting for the brand to approve it`,
          );
      });
    });
}
