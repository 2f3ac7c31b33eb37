/**
 * `tradeloop orders amendments <order-number>`: the order's amendments (what the brand changed after the export)
 * with the decision on each; `… plan <amendment-id>` what accepting changes on the POS purchase order (and what it
 * can no longer take, with what to do by hand); `… accept|dismiss <amendment-id>`. The same flows as the API
 * (flows/amendments/); `--json` prints the REST shapes. An accepted amendment is applied by the worker.
 */
import { Argument, type Command } from 'commander';
import { AppError } from '../core/errors.ts';
import {
  acceptAmendment,
  amendmentPlanOf,
  dismissAmendment,
  listAmendments,
  requireAmendment,
} from '../flows/amendments/decide.ts';
import { amendmentView, planView, type AmendmentPlanView } from '../flows/amendments/view.ts';
import { wholesaleOrders } from '../store/repos/index.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption, text, uuid } from './options.ts';

const actions = ['plan', 'accept', 'dismiss'] as const;
type Action = (typeof actions)[number];

function printPlan(plan: AmendmentPlanView): void {
  console.log(`PO ${plan.poNumber} is ${plan.poStatus} in the POS · ${plan.poUrl}`);
  for (const c of plan.changes) console.log(`  will: ${c.description}`);
  for (const l of plan.added?.lines ?? []) console.log(`  add: ${l.name} ${l.size} × ${l.quantity} (${l.decision})`);
  for (const r of plan.refused) console.log(`  refused: ${r.message}\n    by hand: ${r.byHand.join('; ')}`);
  for (const r of plan.review) console.log(`  to look at: ${r.message}`);
  for (const n of plan.notes) console.log(`  note: ${n}`);
  console.log(plan.needsNoReview ? 'Nothing needs a decision.' : 'Look at the above before accepting.');
}

export function registerOrderAmendments(orders: Command): void {
  const command = orders
    .command('amendments <order-number>')
    .description("The order's amendments; `plan|accept|dismiss <amendment-id>` to look at, apply or dismiss one")
    .addArgument(new Argument('[action]', 'what to do with one amendment').choices(actions))
    .addArgument(new Argument('[amendment-id]', 'the amendment (its id, from the list)').argParser(uuid))
    .addOption(orgOption())
    .option('--json', 'print JSON, as the API answers');
  command.action(
    async (
      orderNumber: string,
      action: Action | undefined,
      amendmentId: string | undefined,
      options: { org?: string; json?: boolean },
    ) => {
      const number = text(50)(orderNumber);
      if (action && !amendmentId)
        command.error(`error: missing argument 'amendment-id' for ${action}`, {
          exitCode: 2,
          code: 'commander.missingArgument',
        });
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const [order] = await wholesaleOrders.findByNumbers(ctx.store.db, tenantId, [number]);
          if (!order) throw new AppError('NOT_FOUND', `No order ${number} in this organization`);
          const print = (value: unknown, words: () => void): void => {
            if (options.json) console.log(JSON.stringify(value, null, 2));
            else words();
          };
          if (!action || !amendmentId) {
            const all = (await listAmendments(ctx, tenantId, order.id)).map(amendmentView);
            print(all, () => {
              if (all.length === 0)
                console.log(`Order ${number} has no amendment: the brand has not changed it since.`);
              for (const a of all)
                console.log(
                  `${a.id}  ${new Date(a.detectedAt).toISOString().slice(0, 16)}  ${a.state}${a.applyState ? ` · ${a.applyState}` : ''}  ${a.changes.map((c) => c.kind).join(', ')}`,
                );
            });
            return;
          }
          const amendment = await requireAmendment(ctx, tenantId, order.id, amendmentId);
          if (action === 'plan') {
            const plan = planView(await amendmentPlanOf(ctx, tenantId, amendment));
            print(plan, () => printPlan(plan));
          } else if (action === 'accept') {
            const accepted = await acceptAmendment(ctx, tenantId, amendmentId, { by: 'cli' });
            const plan = planView(accepted.plan);
            print({ amendment: amendmentView(accepted.amendment), plan, jobId: accepted.jobId }, () => {
              printPlan(plan);
              console.log(
                accepted.jobId
                  ? `Accepted: the worker updates PO ${plan.poNumber} (job ${accepted.jobId}).`
                  : 'Accepted: nothing on the PO changes.',
              );
            });
          } else {
            const dismissed = amendmentView(await dismissAmendment(ctx, tenantId, amendmentId, 'cli'));
            print(dismissed, () => console.log(`Dismissed: PO left as it is.`));
          }
        },
        { logLevel: 'warn' },
      );
    },
  );
}
