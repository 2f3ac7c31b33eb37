import { itemLinks } from '../../../store/repos/index.ts';
import { createdProducts } from '../../export/types.ts';
import { amendmentStepKeys, type AmendmentStep } from '../types.ts';

/** The added lines' item links (each line's POS item), like an export records its own: the next export confirms them. */
export function recordLinks(): AmendmentStep<{ links: number }> {
  return {
    key: amendmentStepKeys.links,
    label: 'Record the item links of the added lines',
    async run(env) {
      const { ctx, connection, apply } = env.loaded;
      const products = createdProducts(env);
      const links = (apply.added?.lines ?? []).flatMap((line) => {
        const d = line.decision;
        const posItemId =
          d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer'
            ? d.posItemId
            : d.kind === 'new_item'
              ? products.get(d.matrixKey)?.variantIds[d.variantKey]
              : undefined;
        if (!posItemId) return [];
        const source: 'buyer' | 'export' = d.kind === 'linked_by_buyer' ? 'buyer' : 'export';
        return [{ variantKey: line.variantKey, posItemId, source }];
      });
      await itemLinks.upsertMany(ctx.store.db, connection.tenantId, connection.id, links, ctx.now());
      return { links: links.length };
    },
  };
}
