import { useEffect, useState } from 'react';
import { ApiError, api, messageOf } from '../api.ts';
import { ErrorState, Loading } from '../components/ui.tsx';
import { isPos, plural } from '../format.ts';
import { Link, navigate, useLocation } from '../router.ts';
import type { Connection, ConnectionsResponse, Plan, PosLocation } from '../types.ts';

/** The location an export goes to when the buyer has not chosen one: the connection's default, else the first open one. */
export function defaultLocation(connection: Connection, locations: PosLocation[]): PosLocation | undefined {
  return (
    locations.find((l) => l.id === connection.defaultLocationId && !l.archived) ?? locations.find((l) => !l.archived)
  );
}

/**
 * /export?orders=a,b[&connection=c]: plans the export of the chosen orders to a POS (its default
 * location) and opens the review at /plans/<id>, so the plan id is in the address from then on.
 */
export function ExportStartPage() {
  const { search } = useLocation();
  const orderIds = (search.get('orders') ?? '').split(',').filter(Boolean);
  const wanted = search.get('connection');
  const [problem, setProblem] = useState<{ message: string; noPos?: boolean } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const run = async (): Promise<void> => {
      if (orderIds.length === 0) {
        setProblem({ message: 'No orders were chosen.' });
        return;
      }
      const { connections } = await api<ConnectionsResponse>('GET', '/api/connections');
      const pos = connections.filter((c) => isPos(c) && c.status === 'linked');
      const connection = pos.find((c) => c.id === wanted) ?? pos[0];
      if (!connection) {
        setProblem({ message: 'Link a point of sale before exporting.', noPos: true });
        return;
      }
      const { locations } = await api<{ locations: PosLocation[] }>(
        'GET',
        `/api/connections/${connection.id}/locations`,
      );
      // The location mapped to the orders' ship-to address comes first (Connections → Suppliers and locations).
      const mapped = await api<{ locationId: string | null }>(
        'GET',
        `/api/connections/${connection.id}/location-for?orderIds=${orderIds.join(',')}`,
      ).catch(() => ({ locationId: null }));
      const location =
        locations.find((l) => l.id === mapped.locationId && !l.archived) ?? defaultLocation(connection, locations);
      if (!location) {
        setProblem({ message: `${connection.name} has no open location to receive a purchase order.` });
        return;
      }
      // Try each linked POS in turn when the orders were exported to the first one already.
      const candidates = wanted ? [connection] : [connection, ...pos.filter((c) => c.id !== connection.id)];
      let lastError: unknown = null;
      for (const c of candidates) {
        const loc =
          c.id === connection.id
            ? location
            : defaultLocation(
                c,
                (await api<{ locations: PosLocation[] }>('GET', `/api/connections/${c.id}/locations`)).locations,
              );
        if (!loc) continue;
        try {
          const plan = await api<Plan>('POST', '/api/plans', { connectionId: c.id, locationId: loc.id, orderIds });
          if (!cancelled) navigate(`/plans/${plan.id}`, { replace: true });
          return;
        } catch (e) {
          lastError = e;
          if (!(e instanceof ApiError && e.code === 'ORDER_ALREADY_EXPORTED')) break;
        }
      }
      throw lastError;
    };
    run().catch((e: unknown) => {
      if (!cancelled) setProblem({ message: messageOf(e) });
    });
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Export {orderIds.length > 1 ? plural(orderIds.length, 'order') : 'order'}</h1>
      {!problem && <Loading label="Matching every line against your POS catalog…" />}
      {problem && (
        <>
          <ErrorState title="The export could not be prepared" message={problem.message} />
          <p>
            {problem.noPos ? (
              <Link to="/connections">Go to Connections</Link>
            ) : (
              <Link to="/orders">Back to orders</Link>
            )}
          </p>
        </>
      )}
    </section>
  );
}
