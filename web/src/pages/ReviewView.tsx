import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, messageOf } from '../api.ts';
import { Banner, Tabs } from '../components/ui.tsx';
import { useGuide } from '../guide.tsx';
import { plural } from '../format.ts';
import { useNotifications } from '../notifications.tsx';
import { Link, navigate } from '../router.ts';
import type {
  Connection,
  EvidenceChange,
  OrderDetail,
  OverrideAction,
  Plan,
  PlanCandidates,
  PlanLine,
  PosLocation,
} from '../types.ts';
import { MerchantPanel } from './review/MerchantNotes.tsx';
import { MatrixCard } from './review/MatrixCard.tsx';
import { Destination, DriftBanner, driftKey, ExportBar } from './review/ReviewControls.tsx';
import { PurchaseOrderMapping, WarningsPanel } from './review/ReviewSummary.tsx';
import { sortIntoTabs, tabOf, type TabId } from './review/rows.ts';

/** What the review reads besides the plan: POS items for the picker, the POS's locations, the orders themselves. */
function useReviewData(plan: Plan) {
  const [candidates, setCandidates] = useState<PlanCandidates | null>(null);
  const [locations, setLocations] = useState<PosLocation[] | null>(null);
  const [orders, setOrders] = useState<Map<string, OrderDetail>>(new Map());

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

  const items = useMemo(() => new Map((candidates?.items ?? []).map((i) => [i.posItemId, i])), [candidates]);
  return { candidates, locations, orders, items };
}

/**
 * The buyer's changes to a plan: another POS or location, a choice for a size, undoing one, and the export.
 * Every change but a size's choice plans again under a new id (the address follows).
 */
function useReviewActions(plan: Plan, connections: Connection[], onChosen: (p: Plan) => void, onStarted: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

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
      const { locations } = await api<{ locations: PosLocation[] }>(
        'GET',
        `/api/connections/${connectionId}/locations`,
      );
      const loc =
        locations.find((l) => l.id === c.defaultLocationId && !l.archived) ?? locations.find((l) => !l.archived);
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
    const overrides = [{ scope: 'line', key: line.variantKey, action }];
    onChosen(await api<Plan>('POST', `/api/plans/${plan.id}/overrides`, { overrides }));
  };

  const undo = (line: PlanLine): Promise<void> =>
    replan(
      plan.connectionId,
      plan.locationId,
      plan.overrides.filter(
        (o) =>
          !(o.scope === 'line' && o.key === line.variantKey) && !(o.scope === 'matrix' && o.key === line.matrixKey),
      ),
    );

  const exportNow = async (): Promise<void> => {
    if (!plan.canApply) return;
    setBusy('apply');
    setProblem(null);
    try {
      await api('POST', `/api/plans/${plan.id}/apply`);
      onStarted();
    } catch (e) {
      const details = e instanceof ApiError && e.code === 'PLAN_DRIFTED' ? (e.details as DriftDetails) : undefined;
      if (details?.freshPlanId) {
        try {
          sessionStorage.setItem(driftKey(details.freshPlanId), JSON.stringify(details.changes ?? []));
        } catch {
          // the refreshed review still opens, without the list of changes
        }
        navigate(`/plans/${details.freshPlanId}`, { replace: true });
        return;
      }
      setProblem(messageOf(e));
      setBusy(null);
    }
  };

  return { busy, problem, setProblem, replan, changeConnection, choose, undo, exportNow };
}

type DriftDetails = { changes?: EvidenceChange[]; freshPlanId?: string } | undefined;

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
  const sorted = useMemo(() => sortIntoTabs(plan), [plan]);
  const [tab, setTab] = useState<TabId>(
    sorted.counts.review > 0 ? 'review' : sorted.counts.matched > 0 ? 'matched' : 'new',
  );
  const [openPicker, setOpenPicker] = useState<string | null>(null);
  const focusNext = useRef(false);
  const exportRef = useRef<HTMLButtonElement>(null);
  const { candidates, locations, orders, items } = useReviewData(plan);
  const single = plan.orderIds.length === 1;
  const firstPo = plan.purchaseOrders[0];
  const title = single ? `order ${firstPo?.orderNumber ?? ''}` : plural(plan.orderIds.length, 'order');
  const actions = useReviewActions(
    plan,
    connections,
    (updated) => {
      focusNext.current = true;
      setOpenPicker(null);
      onPlan(updated);
    },
    () => {
      notifications.watchExport(plan.id, title);
      guide.report('export-started');
      onApplied();
    },
  );

  // After a choice, move on: to the next size that needs review, or to the Export button.
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    const next = document.querySelector<HTMLButtonElement>('[data-review-action="choose"]');
    if (next) next.focus();
    else exportRef.current?.focus();
  }, [plan]);

  const connection = connections.find((c) => c.id === plan.connectionId);
  const firstOrder = firstPo ? orders.get(firstPo.orderSourceId) : undefined;
  const visible = sorted.groups.filter((g) => g.rows.some((r) => tabOf(r) === tab));

  return (
    <article aria-labelledby="page-title" className="review">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/orders">Orders</Link> <span aria-hidden="true">/</span>{' '}
        {single && firstPo && firstOrder ? (
          <>
            <Link to={`/orders/${firstOrder.id}`}>{firstPo.orderNumber}</Link> <span aria-hidden="true">/</span>{' '}
          </>
        ) : null}
        <span aria-current="page">Export review</span>
      </nav>
      <h1 id="page-title">Review export: {title}</h1>
      <p className="lede">
        Every size is matched to your POS by its UPC. Check the matches, decide what needs review, then export. Nothing
        is written to your POS before you press Export.
      </p>
      <DriftBanner planId={plan.id} items={items} />
      {actions.problem && (
        <Banner tone="danger" onDismiss={() => actions.setProblem(null)}>
          {actions.problem}
        </Banner>
      )}
      <Destination
        plan={plan}
        connections={connections}
        locations={locations}
        busy={actions.busy}
        onConnection={(id) => void actions.changeConnection(id)}
        onLocation={(id) => void actions.replan(plan.connectionId, id)}
      />
      <PurchaseOrderMapping
        plan={plan}
        orders={orders}
        posName={connection?.name ?? 'the POS'}
        location={locations?.find((l) => l.id === plan.locationId)}
      />
      <MerchantPanel
        plan={plan}
        locations={locations}
        onLocation={(id) => void actions.replan(plan.connectionId, id)}
      />
      <WarningsPanel plan={plan} items={items} />

      <Tabs
        label="Lines by decision"
        selected={tab}
        onSelect={(t) => setTab(t as TabId)}
        tabs={[
          { id: 'review', label: 'Needs review', count: sorted.counts.review },
          { id: 'matched', label: 'Matched', count: sorted.counts.matched },
          { id: 'new', label: 'New items', count: sorted.counts.new },
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
        {visible.map(({ matrix, rows }) => (
          <MatrixCard
            key={matrix.matrixKey}
            plan={plan}
            matrix={matrix}
            rows={rows}
            tab={tab}
            items={items}
            byGtin={candidates?.byGtin ?? {}}
            openPicker={openPicker}
            setOpenPicker={setOpenPicker}
            onChoose={actions.choose}
            onUndo={(l) => void actions.undo(l)}
            bulk={!single}
            orders={orders}
          />
        ))}
      </Tabs>

      <ExportBar
        plan={plan}
        connection={connection}
        busy={actions.busy}
        buttonRef={exportRef}
        onExport={() => void actions.exportNow()}
      />
    </article>
  );
}
