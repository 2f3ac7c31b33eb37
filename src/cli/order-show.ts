/**
 * `tradeloop orders show <order-number>`: one order's timeline (created … exported … each shipment with its carrier
 * and tracking links … received, delivered) and what its source said since the export, from the same functions as
 * `GET /api/orders/:id` (`--json` prints the REST shapes).
 */
import type { Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { orderTimelines } from '../flows/order-timelines.ts';
import { syncStatuses } from '../flows/order-status.ts';
import { orderSummary } from '../http/routes/export-views.ts';
import { historyViewOf, timelineViewOf } from '../http/routes/timeline-views.ts';
import { orderShipments, wholesaleOrders } from '../store/repos/index.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption, text } from './options.ts';

const day = (iso: string | null): string => (iso ? iso.slice(0, 16).replace('T', ' ') : 'date unknown'.padEnd(16));

export function registerOrderShow(orders: Command): void {
  orders
    .command('show <order-number>')
    .description("One order's milestone timeline: exported PO, each shipment with carrier and tracking, receipts")
    .addOption(orgOption())
    .option('--json', 'print JSON, as GET /api/orders/:id answers (summary, timelineDetail, history)')
    .action(async (orderNumber: string, options: { org?: string; json?: boolean }) => {
      const number = text(50)(orderNumber);
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const [order] = await wholesaleOrders.findByNumbers(ctx.store.db, tenantId, [number]);
          if (!order) throw new AppError('NOT_FOUND', `No order ${number} in this organization`);
          const timeline = (
            await orderTimelines(ctx, tenantId, [{ ...order, createdAt: order.document.createdAt }])
          ).get(order.id)!;
          const sync = (await syncStatuses(ctx, tenantId, [order.id])).get(order.id) ?? [];
          const view = {
            ...orderSummary(order, sync, timeline),
            createdAt: order.document.createdAt,
            timelineDetail: timelineViewOf(timeline),
            history: historyViewOf(await orderShipments.events(ctx.store.db, tenantId, order.id)),
          };
          if (options.json) {
            console.log(JSON.stringify(view, null, 2));
            return;
          }
          console.log(`Order ${order.orderNumber} · ${order.brandName} · ${timeline.label}`);
          const u = timeline.units;
          console.log(`${u.ordered} ordered · ${u.shipped} shipped · ${u.received} received`);
          for (const m of timeline.milestones) {
            console.log(`  ${day(m.at)}  ${m.label.padEnd(18)} ${m.detail}`);
            if (m.poUrl) console.log(`${' '.repeat(38)}${m.poUrl}`);
            for (const t of m.tracking ?? [])
              console.log(`${' '.repeat(38)}${t.number}: ${t.url ?? 'no tracking page (carrier unknown)'}`);
          }
        },
        { logLevel: 'warn' },
      );
    });
}
