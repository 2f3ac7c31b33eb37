import { Fragment, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError, api, messageOf } from '../api.ts';
import { MatchPicker } from '../components/MatchPicker.tsx';
import { Badge, Banner, Tabs } from '../components/ui.tsx';
import { useGuide } from '../guide.tsx';
import {
  decisionLabel,
  decisionTone,
  formatMoney,
  formatShipWindow,
  isPos,
  matrixStatusLabel,
  plural,
  sumMoney,
  upcText,
} from '../format.ts';
import { useNotifications } from '../notifications.tsx';
import { blockerText, changeText, isDuplicateUpcWarning, levelLabel, warningText } from '../plan-words.ts';
import { Link, navigate } from '../router.ts';
import type {
  Connection,
  EvidenceChange,
  ItemDetail,
  OrderDetail,
  OverrideAction,
  Plan,
  PlanCandidates,
  PlanLine,
  PlanMatrix,
  PlanWarning,
  PosLocation,
} from '../types.ts';

type TabId = 'review' | 'matched' | 'new';

const matchedKinds = new Set(['confirmed', 'upc_match', 'linked_by_buyer']);

interface VariantRow {
  variantKey: string;
  lines: PlanLine[];
  first: PlanLine;
  quantity: number;
}

function rowsOf(plan: Plan, m: PlanMatrix): VariantRow[] {
  return m.variantKeys.map((vk) => {
    const lines = plan.lines.filter((l) => l.variantKey === vk && l.matrixKey === m.matrixKey);
    const first = lines.find((l) => l.decision.kind === 'needs_review') ?? (lines[0] as PlanLine);
    return { variantKey: vk, lines, first, quantity: lines.reduce((n, l) => n + l.quantity, 0) };
  });
}

/** The SKU a new item will get in the POS (its correlation key, which reads as style-color-size). */
function newItemSku(plan: Plan, matrixKey: string, variantKey: string): string | undefined {
  return plan.newProducts.find((p) => p.matrixKey === matrixKey)?.variants.find((v) => v.variantKey === variantKey)
    ?.correlationKey;
}

function rowWarnings(plan: Plan, row: VariantRow): PlanWarning[] {
  const keys = new Set(row.lines.map((l) => `${l.orderSourceId}\u0000${l.lineKey}`));
  const d = row.first.decision;
  const matched = d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer' ? d.posItemId : null;
  return plan.warnings.filter(
    (w) =>
      w.level !== 'matrix' &&
      (w.variantKey === row.variantKey ||
        (w.gtin14 !== undefined && w.gtin14 === row.first.gtin14) ||
        (w.lines ?? []).some((l) => keys.has(`${l.orderSourceId}\u0000${l.lineKey}`)) ||
        (w.level === 'item' && matched !== null && (w.posItemIds ?? []).includes(matched))),
  );
}

export function driftKey(planId: string): string {
  return `tradeloop.drift.${planId}`;
}

export function ReviewView({
  plan,
  onPlan,
  onApplied,
  connections,
}: {
  plan: Plan;
  onPlan: (p: Plan) => void;
  onApplied: () => void;
  connections: Connection[];
}) {
  const notifications = useNotifications();
  const guide = useGuide();
  const [tab, setTab] = useState<TabId>(
    plan.counts.needsReview > 0
      ? 'review'
      : plan.counts.confirmed + plan.counts.upcMatch + plan.counts.linkedByBuyer > 0
        ? 'matched'
        : 'new',
  );
  const [candidates, setCandidates] = useState<PlanCandidates | null>(null);
  const [locations, setLocations] = useState<PosLocation[] | null>(null);
  const [orders, setOrders] = useState<Map<string, OrderDetail>>(new Map());
  const [openPicker, setOpenPicker] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [drift] = useState<EvidenceChange[] | null>(() => {
    try {
      const raw = sessionStorage.getItem(driftKey(plan.id));
      return raw ? (JSON.parse(raw) as EvidenceChange[]) : null;
    } catch {
      return null;
    }
  });
  const [driftOpen, setDriftOpen] = useState(true);
  const focusNext = useRef(false);
  const exportRef = useRef<HTMLButtonElement>(null);
  const ids = useId();

  const connection = connections.find((c) => c.id === plan.connectionId);
  const posConnections = connections.filter((c) => isPos(c) && c.status === 'linked');
  const location = locations?.find((l) => l.id === plan.locationId);
  const items = useMemo(() => new Map((candidates?.items ?? []).map((i) => [i.posItemId, i])), [candidates]);
  const single = plan.orderIds.length === 1;
  const firstPo = plan.purchaseOrders[0];
  const title = single ? `order ${firstPo?.orderNumber ?? ''}` : plural(plan.orderIds.length, 'order');

  useEffect(() => {
    let stale = false;
    api<PlanCandidates>('GET', `/api/plans/${plan.id}/candidates`)
      .then((c) => !stale && setCandidates(c))
      .catch(() => !stale && setCandidates({ items: [], byGtin: {} }));
    return () => {
      stale = true;
    };
  }, [plan.id, plan.fingerprint, plan.overrides.length, plan.counts.needsReview]);

  useEffect(() => {
    api<{ locations: PosLocation[] }>('GET', `/api/connections/${plan.connectionId}/locations`)
      .then((r) => setLocations(r.locations))
      .catch(() => setLocations([]));
  }, [plan.connectionId]);

  useEffect(() => {
    if (plan.orderIds.length > 30) return;
    void Promise.all(plan.orderIds.map((id) => api<OrderDetail>('GET', `/api/orders/${id}`).catch(() => null))).then(
      (list) => {
        setOrders(new Map(list.filter((o): o is OrderDetail => o !== null).map((o) => [o.document.sourceId, o])));
      },
    );
  }, [plan.orderIds]);

  // After a choice, move on: to the next size that needs review, or to the Export button.
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    const next = document.querySelector<HTMLButtonElement>('[data-review-action="choose"]');
    if (next) next.focus();
    else exportRef.current?.focus();
  }, [plan]);

  const replan = async (connectionId: string, locationId: string, overrides = plan.overrides): Promise<void> => {
    setBusy('replan');
    setProblem(null);
    try {
      const fresh = await api<Plan>('POST', '/api/plans', {
        connectionId,
        locationId,
        orderIds: plan.orderIds,
        overrides: connectionId === plan.connectionId ? overrides : [],
      });
      navigate(`/plans/${fresh.id}`, { replace: true });
    } catch (e) {
      setProblem(messageOf(e));
      setBusy(null);
    }
  };

  const changeConnection = async (connectionId: string): Promise<void> => {
    const c = connections.find((x) => x.id === connectionId);
    if (!c) return;
    try {
      const { locations: locs } = await api<{ locations: PosLocation[] }>(
        'GET',
        `/api/connections/${connectionId}/locations`,
      );
      const loc = locs.find((l) => l.id === c.defaultLocationId && !l.archived) ?? locs.find((l) => !l.archived);
      if (!loc) {
        setProblem(`${c.name} has no open location.`);
        return;
      }
      await replan(connectionId, loc.id, []);
    } catch (e) {
      setProblem(messageOf(e));
    }
  };

  const choose = async (line: PlanLine, action: OverrideAction): Promise<void> => {
    const updated = await api<Plan>('POST', `/api/plans/${plan.id}/overrides`, {
      overrides: [{ scope: 'line', key: line.variantKey, action }],
    });
    focusNext.current = true;
    setOpenPicker(null);
    onPlan(updated);
  };

  const undo = async (line: PlanLine): Promise<void> => {
    await replan(
      plan.connectionId,
      plan.locationId,
      plan.overrides.filter(
        (o) =>
          !(o.scope === 'line' && o.key === line.variantKey) && !(o.scope === 'matrix' && o.key === line.matrixKey),
      ),
    );
  };

  const exportNow = async (): Promise<void> => {
    if (!plan.canApply) return;
    setBusy('apply');
    setProblem(null);
    try {
      await api('POST', `/api/plans/${plan.id}/apply`);
      notifications.watchExport(plan.id, title);
      guide.report('export-started');
      onApplied();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'PLAN_DRIFTED') {
        const details = e.details as { changes?: EvidenceChange[]; freshPlanId?: string } | undefined;
        if (details?.freshPlanId) {
          try {
            sessionStorage.setItem(driftKey(details.freshPlanId), JSON.stringify(details.changes ?? []));
          } catch {
            // the refreshed review still opens, without the list of changes
          }
          navigate(`/plans/${details.freshPlanId}`, { replace: true });
          return;
        }
      }
      setProblem(messageOf(e));
      setBusy(null);
    }
  };

  const counts = plan.counts;
  const matchedCount = counts.confirmed + counts.upcMatch + counts.linkedByBuyer;
  const inTab = (m: PlanMatrix, t: TabId): boolean => {
    const kinds = plan.lines.filter((l) => l.matrixKey === m.matrixKey).map((l) => l.decision.kind);
    if (t === 'review') return kinds.includes('needs_review');
    if (t === 'matched') return kinds.some((k) => matchedKinds.has(k));
    return kinds.includes('new_item');
  };
  const visible = plan.matrices.filter((m) => inTab(m, tab));
  const duplicateWarnings = plan.warnings.filter(isDuplicateUpcWarning);
  const otherWarnings = plan.warnings.filter((w) => !isDuplicateUpcWarning(w));
  const whyId = `${ids}-why`;

  return (
    <article aria-labelledby="page-title" className="review">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/orders">Orders</Link> <span aria-hidden="true">/</span>{' '}
        {single && firstPo && orders.get(firstPo.orderSourceId) ? (
          <>
            <Link to={`/orders/${orders.get(firstPo.orderSourceId)?.id ?? ''}`}>{firstPo.orderNumber}</Link>{' '}
            <span aria-hidden="true">/</span>{' '}
          </>
        ) : null}
        <span aria-current="page">Export review</span>
      </nav>
      <h1 id="page-title">Review export: {title}</h1>
      <p className="lede">
        Every size is matched to your POS by its UPC. Check the matches, decide what needs review, then export. Nothing
        is written to your POS before you press Export.
      </p>

      {drift && driftOpen && (
        <Banner tone="warn" onDismiss={() => setDriftOpen(false)} role="alert">
          <p>
            <strong>Your POS changed while you were reviewing, so nothing was exported.</strong> This is the refreshed
            review; check it and export again.
          </p>
          {drift.length > 0 && (
            <>
              <p>What changed:</p>
              <ul className="drift-changes">
                {drift.map((c, i) => (
                  <li key={i}>{changeText(c, items)}</li>
                ))}
              </ul>
            </>
          )}
        </Banner>
      )}
      {problem && (
        <Banner tone="danger" onDismiss={() => setProblem(null)}>
          {problem}
        </Banner>
      )}

      <section className="destination" aria-label="Destination">
        <div className="field">
          <label htmlFor={`${ids}-pos`}>Point of sale</label>
          <select
            id={`${ids}-pos`}
            value={plan.connectionId}
            disabled={busy !== null}
            onChange={(e) => void changeConnection(e.target.value)}
          >
            {posConnections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            {!posConnections.some((c) => c.id === plan.connectionId) && (
              <option value={plan.connectionId}>{connection?.name ?? 'A POS that is not linked now'}</option>
            )}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-loc`}>Receive at location</label>
          <select
            id={`${ids}-loc`}
            value={plan.locationId}
            disabled={busy !== null || !locations}
            onChange={(e) => void replan(plan.connectionId, e.target.value)}
          >
            {(locations ?? [])
              .filter((l) => !l.archived || l.id === plan.locationId)
              .map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            {!locations && <option value={plan.locationId}>Loading…</option>}
          </select>
        </div>
        {busy === 'replan' && (
          <p role="status" className="muted">
            Matching again…
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby={`${ids}-map`}>
        <h2 id={`${ids}-map`}>{single ? 'Purchase order' : 'Orders → purchase orders'}</h2>
        <div className="table-wrap">
          <table className="mapping">
            <thead>
              <tr>
                <th scope="col">Wholesale order</th>
                <th scope="col">Brand</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col">
                  <span className="sr-only">becomes</span>
                </th>
                <th scope="col">Purchase order in {connection?.name ?? 'the POS'}</th>
                <th scope="col">To review</th>
              </tr>
            </thead>
            <tbody>
              {plan.purchaseOrders.map((po) => {
                const o = orders.get(po.orderSourceId);
                const units = po.lines.reduce((n, l) => n + l.quantity, 0);
                const cost = sumMoney(
                  po.lines.map((l) => ({ minor: l.unitCost.minor * l.quantity, currency: l.unitCost.currency })),
                  po.currency,
                );
                const review = plan.lines.filter(
                  (l) => l.orderSourceId === po.orderSourceId && l.decision.kind === 'needs_review',
                ).length;
                return (
                  <tr key={po.orderSourceId}>
                    <th scope="row">{o ? <Link to={`/orders/${o.id}`}>{po.orderNumber}</Link> : po.orderNumber}</th>
                    <td>{po.brand.name}</td>
                    <td className="num">{units}</td>
                    <td className="num">{formatMoney(cost)}</td>
                    <td aria-hidden="true" className="arrow">
                      →
                    </td>
                    <td>
                      New purchase order “NuORDER #{po.orderNumber}” · {plural(po.lines.length, 'line')} · at{' '}
                      {location?.name ?? '…'} · expected {formatShipWindow(po.shipWindow)}
                    </td>
                    <td>
                      {review > 0 ? <Badge tone="warn">{plural(review, 'size')}</Badge> : <Badge tone="ok">None</Badge>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          {plural(counts.lines - counts.skipped, 'size')} in all: {counts.upcMatch} matched by UPC, {counts.confirmed}{' '}
          confirmed from earlier exports, {counts.linkedByBuyer} chosen by you, {counts.newItem} new items
          {counts.newProducts > 0 ? ` in ${plural(counts.newProducts, 'new product')}` : ''}, {counts.needsReview} to
          review{counts.skipped > 0 ? `, ${counts.skipped} skipped (quantity 0)` : ''}.
        </p>
      </section>

      {plan.warnings.length > 0 && (
        <details className="panel warnings-panel" open={duplicateWarnings.length > 0}>
          <summary>
            <h2 className="inline-h2">Warnings</h2>{' '}
            <span className="muted">
              ({duplicateWarnings.length} duplicate UPC, {otherWarnings.length} other)
            </span>
          </summary>
          <ul className="warning-list">
            {[...duplicateWarnings, ...otherWarnings].map((w, i) => (
              <li key={i}>
                <Badge tone="warn">{levelLabel[w.level]}</Badge> {warningText(w, items, plan)}
              </li>
            ))}
          </ul>
        </details>
      )}

      <Tabs
        label="Lines by decision"
        selected={tab}
        onSelect={(t) => setTab(t as TabId)}
        tabs={[
          { id: 'review', label: 'Needs review', count: counts.needsReview },
          { id: 'matched', label: 'Matched', count: matchedCount },
          { id: 'new', label: 'New items', count: counts.newItem },
        ]}
      >
        {visible.length === 0 && (
          <p className="empty">
            {tab === 'review'
              ? 'Nothing needs review. Every size is matched or will be created.'
              : tab === 'matched'
                ? 'No size matches an item in your POS yet.'
                : 'No new items will be created.'}
          </p>
        )}
        {visible.map((m) => (
          <MatrixCard
            key={m.matrixKey}
            plan={plan}
            matrix={m}
            items={items}
            byGtin={candidates?.byGtin ?? {}}
            openPicker={openPicker}
            setOpenPicker={setOpenPicker}
            onChoose={choose}
            onUndo={(l) => void undo(l)}
            bulk={!single}
            orders={orders}
          />
        ))}
      </Tabs>

      <div className="export-bar">
        <div>
          <p id={whyId} className={plan.canApply ? 'muted' : 'warn-text'}>
            {plan.canApply
              ? `Ready: ${plural(plan.purchaseOrders.length, 'purchase order')} with ${plural(counts.poLines, 'line')}${counts.newVariants > 0 ? `, ${plural(counts.newVariants, 'new draft item')}` : ''} will be created in ${connection?.name ?? 'the POS'}.`
              : `Export is not possible yet: ${plan.blockers.map((b) => blockerText(b, plan)).join(' ')}`}
          </p>
        </div>
        <button
          ref={exportRef}
          type="button"
          className="primary-large"
          data-guide="export-button"
          aria-disabled={!plan.canApply || busy !== null}
          aria-describedby={whyId}
          onClick={() => void exportNow()}
        >
          {busy === 'apply'
            ? 'Starting export…'
            : `Export to ${connection?.system === 'lightspeed-r' ? 'R-Series' : connection?.system === 'lightspeed-x' ? 'X-Series' : 'POS'}`}
        </button>
      </div>
    </article>
  );
}

function MatrixCard({
  plan,
  matrix: m,
  items,
  byGtin,
  openPicker,
  setOpenPicker,
  onChoose,
  onUndo,
  bulk,
  orders,
}: {
  plan: Plan;
  matrix: PlanMatrix;
  items: Map<string, ItemDetail>;
  byGtin: Record<string, string[]>;
  openPicker: string | null;
  setOpenPicker: (key: string | null) => void;
  onChoose: (line: PlanLine, action: OverrideAction) => Promise<void>;
  onUndo: (line: PlanLine) => void;
  bulk: boolean;
  orders: Map<string, OrderDetail>;
}) {
  const titleId = useId();
  const rows = rowsOf(plan, m);
  const matrixWarnings = m.warnings.filter((w) => w.level === 'matrix');
  const returnFocus = useRef<string | null>(null);

  const candidatesFor = (row: VariantRow): ItemDetail[] => {
    const d = row.first.decision;
    const ids = new Set<string>();
    if (d.kind === 'needs_review') for (const c of d.candidates) ids.add(c.posItemId);
    if (row.first.gtin14) for (const id of byGtin[row.first.gtin14] ?? []) ids.add(id);
    if (d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer') ids.add(d.posItemId);
    return [...ids].flatMap((id): ItemDetail[] => {
      const known = items.get(id);
      if (known) return [known];
      const c = d.kind === 'needs_review' ? d.candidates.find((x) => x.posItemId === id) : undefined;
      return c ? [{ ...c, gtins: [], familySize: 1, linkedVariants: [] }] : [];
    });
  };

  return (
    <section className={`matrix matrix-${m.status}`} aria-labelledby={titleId}>
      <header className="matrix-head">
        <h3 id={titleId}>
          {m.name}{' '}
          <span className="muted">
            · {m.styleNumber} · {m.color}
          </span>
        </h3>
        <Badge tone={decisionTone(m.status) === 'new' ? 'new' : decisionTone(m.status)}>
          {matrixStatusLabel[m.status]}
        </Badge>
        {bulk && <span className="muted small">{m.brand.name}</span>}
      </header>
      {matrixWarnings.length > 0 && (
        <ul className="warning-list compact">
          {matrixWarnings.map((w, i) => (
            <li key={i}>
              <Badge tone="warn">{levelLabel[w.level]}</Badge> {warningText(w, items, plan)}
            </li>
          ))}
        </ul>
      )}
      <div className="table-wrap">
        <table className="variants">
          <caption className="sr-only">
            Sizes of {m.name} {m.color} and their match in the POS
          </caption>
          <thead>
            <tr>
              <th scope="col">Size</th>
              <th scope="col">UPC</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Unit cost
              </th>
              <th scope="col">Match in POS</th>
              <th scope="col">
                <span className="sr-only">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const l = row.first;
              const d = l.decision;
              const key = `${m.matrixKey}|${row.variantKey}`;
              const open = openPicker === key;
              const warnings = rowWarnings(plan, row);
              const matchedId =
                d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer' ? d.posItemId : null;
              const item = matchedId ? items.get(matchedId) : undefined;
              const label = `${l.name} ${l.color} ${l.size}`;
              return (
                <Fragment key={row.variantKey}>
                  <tr className={d.kind === 'needs_review' ? 'row-review' : undefined}>
                    <th scope="row">{l.size}</th>
                    <td className="mono">
                      {l.gtin14 || l.rawUpc ? upcText(l.rawUpc, l.gtin14) : <span className="warn-text">No UPC</span>}
                    </td>
                    <td className="num">
                      {row.quantity}
                      {bulk && row.lines.length > 1 && (
                        <div className="muted small">in {plural(row.lines.length, 'order')}</div>
                      )}
                    </td>
                    <td className="num">{formatMoney(l.unitCost)}</td>
                    <td>
                      <Badge tone={decisionTone(d.kind) === 'new' ? 'new' : decisionTone(d.kind)}>
                        {decisionLabel(d)}
                      </Badge>{' '}
                      {matchedId && (
                        <span>{item ? `${item.name}${item.sku ? ` · SKU ${item.sku}` : ''}` : 'POS item'}</span>
                      )}
                      {d.kind === 'new_item' && (
                        <span className="muted">
                          A new draft item will be created
                          {newItemSku(plan, d.matrixKey, d.variantKey)
                            ? ` · SKU ${newItemSku(plan, d.matrixKey, d.variantKey)}`
                            : ''}
                        </span>
                      )}
                      {d.kind === 'needs_review' && (
                        <span className="warn-text">
                          {d.reason === 'duplicate_upc' && d.candidates.length > 0
                            ? `${d.candidates.length} POS items carry this UPC`
                            : d.reason === 'archived_only'
                              ? 'Only an archived POS item carries this UPC'
                              : d.reason === 'no_upc'
                                ? 'No UPC from the brand'
                                : d.reason === 'malformed_upc'
                                  ? 'The UPC is not valid'
                                  : d.detail}
                        </span>
                      )}
                      {d.kind === 'skipped' && <span className="muted">Quantity 0: not ordered</span>}
                      {bulk && (
                        <div className="muted small">
                          Orders:{' '}
                          {row.lines
                            .map(
                              (x) =>
                                orders.get(x.orderSourceId)?.orderNumber ??
                                plan.purchaseOrders.find((po) => po.orderSourceId === x.orderSourceId)?.orderNumber,
                            )
                            .join(', ')}
                        </div>
                      )}
                    </td>
                    <td className="actions">
                      {d.kind !== 'skipped' && (
                        <button
                          type="button"
                          className={d.kind === 'needs_review' ? 'small' : 'small secondary'}
                          data-review-action={d.kind === 'needs_review' ? 'choose' : 'change'}
                          data-picker-key={key}
                          aria-expanded={open}
                          aria-label={
                            d.kind === 'needs_review'
                              ? `Choose the match for ${label}`
                              : `Change the match for ${label}`
                          }
                          onClick={() => {
                            returnFocus.current = key;
                            setOpenPicker(open ? null : key);
                          }}
                        >
                          {d.kind === 'needs_review' ? 'Choose match' : 'Change'}
                        </button>
                      )}
                      {l.override && (
                        <button
                          type="button"
                          className="link small"
                          onClick={() => onUndo(l)}
                          aria-label={`Undo your choice for ${label}`}
                        >
                          Undo
                        </button>
                      )}
                    </td>
                  </tr>
                  {warnings.length > 0 && (
                    <tr className="row-warnings">
                      <td />
                      <td colSpan={5}>
                        <ul className="warning-list compact">
                          {warnings.map((w, i) => (
                            <li key={i}>
                              <Badge tone="warn">{levelLabel[w.level]}</Badge> {warningText(w, items, plan)}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  )}
                  {open && (
                    <tr className="row-picker">
                      <td colSpan={6}>
                        <MatchPicker
                          line={l}
                          connectionId={plan.connectionId}
                          candidates={candidatesFor(row)}
                          onChoose={(action) => onChoose(l, action)}
                          onCancel={() => {
                            setOpenPicker(null);
                            document
                              .querySelector<HTMLButtonElement>(`[data-picker-key="${CSS.escape(key)}"]`)
                              ?.focus();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
