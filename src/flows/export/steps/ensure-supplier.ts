import { AppError } from '../../../core/errors.ts';
import type { BrandRef } from '../../../core/wholesale-order.ts';
import { accountLease } from '../cooperation.ts';
import { stepKeys, type ExportLoaded, type ExportStep, type SupplierStepResult } from '../types.ts';

/**
 * The supplier (X-Series) or vendor (R-Series) of a brand: found by the brand's id or name, else created, under
 * the POS account's lock, so two exports of a brand new to the POS never both create it. Finding first makes
 * the step its own reconcile.
 */
export function ensureSupplier(
  loaded: ExportLoaded,
  brand: BrandRef,
  currency: string | null,
): ExportStep<SupplierStepResult> {
  const key = stepKeys.supplier(brand.sourceId);
  return {
    key,
    label: `Find or create the supplier “${brand.name}”`,
    exclusive: accountLease(loaded.connection, key),
    async run({ ports: { pos } }) {
      const found = await pos.findSupplier({ name: brand.name, sourceBrandId: brand.sourceId });
      const bySource = found.filter((s) => s.matchedBy === 'source_id');
      const chosen = bySource.length === 1 ? bySource[0] : found.length === 1 ? found[0] : undefined;
      if (chosen) return { id: chosen.id, name: chosen.name, created: false };
      if (found.length > 1) {
        throw new AppError(
          'SUPPLIER_AMBIGUOUS',
          `Several suppliers in the POS are called ${brand.name}; keep one, or name the brand's id on it`,
        );
      }
      const created = await pos.createSupplier({ name: brand.name, sourceBrandId: brand.sourceId, currency });
      return { id: created.id, name: created.name, created: true };
    },
  };
}
