import { useEffect, useId, useState } from 'react';
import { api, messageOf } from '../../api.ts';
import { Badge } from '../../components/ui.tsx';
import { formatMoney, moneyInText, plural } from '../../format.ts';
import type { OrdersLocation } from '../../merchant-types.ts';
import { Link } from '../../router.ts';
import type { Plan, PlanLine, PosLocation } from '../../types.ts';

/**
 * What the review says about merchant data (issue 16): under each new item, the retail price that will be
 * written, the MSRP and the rule that made it; under a pack line, how its packs became PO units; and above the
 * lines, the pricing policy version, each brand's supplier and the ship-to address's location (asked once).
 */

/** The line's price and pack notes (nothing for a line with neither). */
export function LineNotes({ plan, line }: { plan: Plan; line: PlanLine }) {
  const d = line.decision;
  const variant =
    d.kind === 'new_item'
      ? plan.newProducts.find((p) => p.matrixKey === d.matrixKey)?.variants.find((v) => v.variantKey === d.variantKey)
      : undefined;
  if (!variant && !line.pack) return null;
  return (
    <div className="line-notes small">
      {variant && (
        <p className="price-note">
          <span className="price-to-write">Retail {variant.retail ? formatMoney(variant.retail) : 'none'}</span>
          {variant.price && (
            <>
              {' '}
              · MSRP {formatMoney(variant.price.msrp)} · <span className="price-rule">{variant.price.rule}</span>
              {variant.price.marginPermille !== null && (
                <span className="muted"> · margin {(variant.price.marginPermille / 10).toFixed(1)}%</span>
              )}
              {variant.price.review && (
                <span className="warn-text"> · accepted by you: {moneyInText(variant.price.review.message)}</span>
              )}
            </>
          )}
        </p>
      )}
      {line.pack && (
        <p className="pack-note">
          <Badge tone="info">{line.pack.stock === 'units' ? 'Pack → units' : 'Stocked as packs'}</Badge>{' '}
          {moneyInText(line.pack.rule)}
        </p>
      )}
    </div>
  );
}

/** The plan's pricing version, suppliers and ship-to location, with the links to change them. */
export function MerchantPanel({
  plan,
  locations,
  onLocation,
}: {
  plan: Plan;
  locations: PosLocation[] | null;
  onLocation: (locationId: string) => void;
}) {
  const id = useId();
  const [where, setWhere] = useState<OrdersLocation | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const settings = `/connections/${plan.connectionId}`;

  useEffect(() => {
    let stale = false;
    api<OrdersLocation>('GET', `/api/connections/${plan.connectionId}/location-for?orderIds=${plan.orderIds.join(',')}`)
      .then((w) => !stale && setWhere(w))
      .catch(() => !stale && setWhere(null));
    return () => {
      stale = true;
    };
  }, [plan.connectionId, plan.orderIds.join(',')]);

  const remember = async (): Promise<void> => {
    if (!where?.addressKey) return;
    try {
      await api('PUT', `/api/connections/${plan.connectionId}/mappings/locations`, {
        addressKey: where.addressKey,
        locationId: plan.locationId,
      });
      setWhere({ ...where, locationId: plan.locationId, mapped: true });
      setStatus('Remembered: the next orders to this address are received there.');
    } catch (e) {
      setStatus(messageOf(e));
    }
  };

  const here = locations?.find((l) => l.id === plan.locationId)?.name ?? 'the chosen location';
  const mappedName = locations?.find((l) => l.id === where?.locationId)?.name;
  const version = plan.pricingVersion ?? 0;
  const updates = plan.itemUpdates ?? [];
  return (
    <section className="panel merchant-panel" aria-labelledby={id}>
      <h2 id={id}>Prices, suppliers and ship-to</h2>
      <dl className="facts">
        <div>
          <dt>New items’ retail price</dt>
          <dd>
            {version === 0 ? 'The brand’s MSRP as sent (no pricing policy saved)' : `Pricing policy version ${version}`}{' '}
            · <Link to={`${settings}/pricing`}>Change</Link>
            {updates.length > 0 && (
              <div className="small">
                {plural(updates.length, 'item')} Tradeloop created will follow the brand’s new price.
              </div>
            )}
          </dd>
        </div>
        <div>
          <dt>Supplier</dt>
          <dd>
            {(plan.suppliers ?? []).map((s) => (
              <div key={s.brand.sourceId}>
                {s.brand.name}:{' '}
                {s.supplierId ? (
                  <>
                    {s.supplierName} <Badge tone="ok">Mapped</Badge>
                  </>
                ) : (
                  <>found by name, or created, at export</>
                )}
              </div>
            ))}
            <Link to={`${settings}/mappings`}>Map brands to suppliers</Link>
          </dd>
        </div>
        {where && (
          <div>
            <dt>Ship-to</dt>
            <dd>
              {where.address}
              {where.mapped ? (
                <>
                  {' '}
                  → {mappedName ?? 'its mapped location'} <Badge tone="ok">Mapped</Badge>
                  {where.locationId !== plan.locationId && mappedName && (
                    <button type="button" className="link small" onClick={() => onLocation(where.locationId as string)}>
                      Receive at {mappedName}
                    </button>
                  )}
                </>
              ) : where.addressKey ? (
                <div className="ask-once">
                  <span className="warn-text">This address has no location yet.</span>{' '}
                  <button type="button" className="small" onClick={() => void remember()}>
                    Remember {here} for it
                  </button>
                </div>
              ) : null}
              <p role="status" className="muted small">
                {status}
              </p>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
