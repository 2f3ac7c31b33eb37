import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { parsePricingPolicy } from '../../core/pricing-policy.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { casePacksOf, followsBrandPrices, pricingPolicyOf } from '../../flows/merchant-settings.ts';
import { pricingDryRun } from '../../flows/pricing-dry-run.ts';
import { requirePosConnection } from '../../flows/plan-export.ts';
import { connections, pricingPolicies } from '../../store/repos/index.ts';
import type { ApiRouter } from '../api-router.ts';
import { isoTime } from '../schemas/common.ts';
import { pricingDryRun as pricingDryRunView, pricingView } from '../schemas/merchant.ts';
import type { RouteModule } from '../app.ts';

/**
 * A POS connection's pricing policy (versioned: every save is a new version, and plans record the version
 * that priced them), whether items Tradeloop created follow the brand's price, how packed lines are stocked,
 * and the dry run of a proposed policy over past orders. The policy is checked by core `parsePricingPolicy`:
 * every problem comes back as a 400 naming its field.
 */

const idParams = z.object({ id: z.string().uuid('must be an id (UUID)') });
/** The policy without its version (the server numbers versions); checked field by field by core. */
const policyBody = z.object({ rule: z.unknown(), brands: z.unknown().optional() });
const casePacks = z.object({ stock: z.enum(['units', 'packs']), packPriceIs: z.enum(['pack', 'unit']) });

/** Checks a proposed policy as core does, with the version it would get; a 400 lists every problem by field. */
function checkedPolicy(body: z.infer<typeof policyBody>, version: number) {
  const parsed = parsePricingPolicy({ version, rule: body.rule, brands: body.brands ?? {} });
  if (!parsed.ok)
    throw invalidInput(
      `The pricing policy is not valid: ${parsed.error.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      parsed.error.map((p) => ({ path: p.path, message: p.message })),
    );
  return parsed.value;
}

export function pricingRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    const db = engine.store.db;
    const view = async (tenantId: string, id: string): Promise<z.input<typeof pricingView>> => {
      const connection = await requirePosConnection(engine, tenantId, id);
      const policy = await pricingPolicyOf(engine, connection);
      const versions = await pricingPolicies.history(db, tenantId, id);
      const packs = casePacksOf(connection);
      return {
        policy,
        version: policy.version,
        versions: versions.map((v) => ({
          version: v.version,
          createdAt: isoTime(v.createdAt),
          createdBy: v.createdBy,
        })),
        followBrandPrices: followsBrandPrices(connection),
        casePacks: { stock: packs.stock, packPriceIs: packs.packPriceIs },
      };
    };

    router.route({
      method: 'get',
      path: '/api/connections/:id/pricing',
      operationId: 'getPricing',
      errors: ['CONNECTION_NEEDS_RELINK'],
      summary: 'The pricing policy in force (and its versions), brand-price following and the case-pack setting',
      tag: 'pricing',
      params: idParams,
      response: pricingView,
      handler: ({ c, params }) => view(c.get('caller').tenantId, params.id),
    });

    router.route({
      method: 'put',
      path: '/api/connections/:id/pricing',
      operationId: 'savePricing',
      errors: ['PRICING_POLICY_CONFLICT', 'CONNECTION_NEEDS_RELINK'],
      summary:
        'Save a new version of the pricing policy (rule and per-brand overrides), and optionally brand-price following and case packs',
      tag: 'pricing',
      params: idParams,
      body: z.object({
        policy: policyBody.optional(),
        followBrandPrices: z.boolean().optional(),
        casePacks: casePacks.optional(),
      }),
      response: pricingView,
      handler: async ({ c, params, body }) => {
        const caller = c.get('caller');
        const connection = await requirePosConnection(engine, caller.tenantId, params.id);
        if (body.policy === undefined && body.followBrandPrices === undefined && body.casePacks === undefined)
          throw invalidInput('Send policy, followBrandPrices or casePacks');
        // Checked before anything is saved: a bad policy changes nothing, not even the other settings.
        const next = body.policy ? checkedPolicy(body.policy, 1) : null;
        if (next) {
          try {
            await pricingPolicies.save(
              db,
              caller.tenantId,
              connection.id,
              (version) => ({ ...next, version }),
              caller.userId ?? null,
              engine.now(),
            );
          } catch (error) {
            throw new AppError('PRICING_POLICY_CONFLICT', 'Someone saved the policy at the same moment; try again', {
              cause: error,
            });
          }
        }
        if (body.followBrandPrices !== undefined || body.casePacks !== undefined) {
          const settings = { ...connection.settings };
          if (body.followBrandPrices !== undefined) settings['followBrandPrices'] = body.followBrandPrices;
          if (body.casePacks !== undefined) settings['casePacks'] = { ...body.casePacks, remainder: 'round' };
          await connections.update(db, caller.tenantId, connection.id, { settings }, engine.now());
        }
        return view(caller.tenantId, connection.id);
      },
    });

    router.route({
      method: 'post',
      path: '/api/connections/:id/pricing/dry-run',
      operationId: 'dryRunPricing',
      errors: ['CONNECTION_NEEDS_RELINK'],
      summary:
        'What a proposed pricing policy would change: every item of the recent orders (up to 200) whose price differs from the policy in force, or that it sends to review',
      tag: 'pricing',
      params: idParams,
      body: policyBody,
      response: pricingDryRunView,
      handler: ({ c, params, body }) =>
        pricingDryRun(engine, c.get('caller').tenantId, params.id, checkedPolicy(body, 1)),
    });
  };
}
