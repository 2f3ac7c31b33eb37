import { useEffect, useState } from 'react';
import type { AuditFlags } from '../../../src/http/api-types.ts';
import { api } from '../api.ts';
import { Link } from '../router.ts';
import { Badge } from './ui.tsx';

// One read of the flags for every row of the orders list (kept a minute): the scheduled audit runs every few hours.
let cached: { at: number; flags: Promise<Map<string, number>> } | null = null;

function flags(): Promise<Map<string, number>> {
  if (!cached || Date.now() - cached.at > 60_000) {
    const pending = api<AuditFlags>('GET', '/api/audit/flags')
      .then((r) => new Map(r.orders.map((o) => [o.orderId, o.issues])))
      .catch(() => new Map<string, number>());
    cached = { at: Date.now(), flags: pending };
  }
  return cached.flags;
}

/** "New discrepancies" on an order the scheduled audit flagged, linking to its audit. */
export function AuditFlag({ orderId, orderNumber }: { orderId: string; orderNumber: string }) {
  const [issues, setIssues] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    void flags().then((m) => live && setIssues(m.get(orderId) ?? null));
    return () => {
      live = false;
    };
  }, [orderId]);
  if (issues === null) return null;
  return (
    <Link to={`/audit?onlyIssues=true`} aria-label={`Order ${orderNumber}: new discrepancies, see the audit`}>
      <Badge tone="warn" title={`${issues} issue(s) found by the scheduled audit`}>
        New discrepancies
      </Badge>
    </Link>
  );
}
