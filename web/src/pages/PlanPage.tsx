import { useEffect, useState } from 'react';
import { api, unlessNotFound } from '../api.ts';
import { Banner, ErrorState, Loading, NotFound } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { Link } from '../router.ts';
import type { ConnectionsResponse, Plan } from '../types.ts';
import { ProgressView } from './ProgressView.tsx';
import { ReviewView } from './ReviewView.tsx';

/**
 * /plans/:id — the export of one or many orders, from review to result. The plan id stays in the
 * address, so a reload (or a link from a notification) returns to the same review or progress.
 */
export function PlanPage({ planId }: { planId: string }) {
  const resource = useResource(async () => {
    const [plan, connections] = await Promise.all([
      unlessNotFound(api<Plan>('GET', `/api/plans/${planId}`)),
      api<ConnectionsResponse>('GET', '/api/connections'),
    ]);
    return { plan, connections: connections.connections };
  }, [planId]);
  const [plan, setPlan] = useState<Plan | null>(null);

  useEffect(() => {
    if (resource.data?.plan) setPlan(resource.data.plan);
  }, [resource.data]);

  if (resource.data && !resource.data.plan)
    return (
      <NotFound title="Export not found" back={<Link to="/orders">Back to orders</Link>}>
        There is no export review at this address in your organization. The link may be wrong; press Export on an order
        to start a new one.
      </NotFound>
    );

  if (!resource.data || !plan) {
    if (resource.status === 'error')
      return (
        <ErrorState
          title="This export could not be loaded"
          message={resource.error}
          onRetry={() => void resource.reload()}
        />
      );
    return <Loading label="Loading the export…" />;
  }
  const connections = resource.data.connections;
  if (plan.state === 'superseded') {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">This review was replaced</h1>
        <Banner tone="info">
          Your POS changed after this review was made, so it was replaced by a refreshed one. Nothing was exported from
          it.
        </Banner>
        <p>
          <Link to="/orders">Back to orders</Link> and press Export again to open the current review.
        </p>
      </section>
    );
  }
  if (plan.state === 'draft')
    return (
      <ReviewView plan={plan} connections={connections} onPlan={setPlan} onApplied={() => void resource.reload()} />
    );
  return <ProgressView plan={plan} connections={connections} />;
}
