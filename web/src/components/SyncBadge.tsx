import { useState } from 'react';
import { ApiError, api, messageOf, plainReason } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useNotifications } from '../notifications.tsx';
import { Link, navigate } from '../router.ts';
import type { OrderSyncStatus } from '../types.ts';

/** The POS's short name (`X-Series`), as its connector says it. */
export function shortConnectionName(s: Pick<OrderSyncStatus, 'posLabel'>): string {
  return s.posLabel;
}

/** Retries a failed export and follows it on its plan page. */
export function useRetry(): {
  retry: (exportId: string, label: string) => Promise<void>;
  busy: string | null;
  error: string | null;
} {
  const { watchExport } = useNotifications();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const retry = async (exportId: string, label: string): Promise<void> => {
    setBusy(exportId);
    setError(null);
    try {
      const r = await api<{ planId: string }>('POST', `/api/exports/${exportId}/retry`);
      watchExport(r.planId, label);
      navigate(`/plans/${r.planId}`);
    } catch (e) {
      // Finished meanwhile (the export engine retries a POS outage by itself): show where it stands.
      if (e instanceof ApiError && e.code === 'EXPORT_NOT_FAILED') {
        const current = await api<{ planId: string }>('GET', `/api/exports/${exportId}`).catch(() => null);
        if (current) navigate(`/plans/${current.planId}`);
        return;
      }
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };
  return { retry, busy, error };
}

/** Runs a failed automatic sync again (its cause fixed, say a default location), then refreshes the page's data. */
function useRetryAutomatic(onChanged?: () => void): {
  retryAutomatic: (jobId: string) => Promise<void>;
  busyAutomatic: boolean;
  errorAutomatic: string | null;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retryAutomatic = async (jobId: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/jobs/${jobId}/retry`);
      onChanged?.();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { retryAutomatic, busyAutomatic: busy, errorAutomatic: error };
}

/** "The POS did not answer · next try 3:05 PM": why an export waits, and until when. */
export function waitingText(waiting: { reason: string; nextTryAt: string | number }): string {
  return `${waiting.reason}. Tradeloop tries again by itself (next try ${formatDateTime(waiting.nextTryAt)}); nothing is lost or duplicated.`;
}

/**
 * One order's POS-sync status on one POS connection: Not exported, Needs review, Export in progress,
 * Waiting for the POS (with why and the next try), Exported · PO #… (a link to the PO), Failed with the
 * reason and Retry (an export, or automatic sync that could not start one).
 */
export function SyncBadge({
  sync,
  orderNumber,
  showName,
  onChanged,
}: {
  sync: OrderSyncStatus;
  orderNumber: string;
  showName: boolean;
  /** Called after a retry of automatic sync, so the page reloads the status. */
  onChanged?: () => void;
}) {
  const { retry, busy, error } = useRetry();
  const { retryAutomatic, busyAutomatic, errorAutomatic } = useRetryAutomatic(onChanged);
  const s = sync.status;
  const prefix = showName ? <span className="badge-pos">{shortConnectionName(sync)}</span> : null;
  switch (s.state) {
    case 'not_exported':
      return (
        <span className="sync">
          {prefix}
          <span className="badge badge-muted">Not exported</span>
        </span>
      );
    case 'needs_review':
      return (
        <span className="sync">
          {prefix}
          <Link className="badge badge-warn" to={`/plans/${s.planId}`} title={s.reason}>
            Needs review
          </Link>
        </span>
      );
    case 'in_progress':
      if (s.waiting)
        return (
          <span className="sync">
            {prefix}
            <Link className="badge badge-warn" to={`/plans/${s.planId}`} title={waitingText(s.waiting)}>
              Waiting for the POS
            </Link>
            <span className="sync-reason">{waitingText(s.waiting)}</span>
          </span>
        );
      return (
        <span className="sync">
          {prefix}
          <Link className="badge badge-info" to={`/plans/${s.planId}`}>
            <span className="spinner small" aria-hidden="true" /> Export in progress
          </Link>
        </span>
      );
    case 'exported':
      return (
        <span className="sync">
          {prefix}
          <Link
            className="badge badge-ok"
            to={`/purchase-orders/${s.exportId}`}
            title={`Open purchase order ${s.poNumber ?? ''} (${sync.connectionName})`}
          >
            Exported · PO #{s.poNumber ?? '—'}
          </Link>
        </span>
      );
    case 'failed': {
      const exportId = s.exportId;
      const jobId = s.jobId;
      return (
        <span className="sync sync-failed">
          {prefix}
          <span className="badge badge-danger">{exportId ? 'Failed' : 'Automatic export failed'}</span>
          <span className="sync-reason">{plainReason(s.reason)}</span>
          {exportId ? (
            <button
              type="button"
              className="small"
              onClick={() => void retry(exportId, `order ${orderNumber}`)}
              disabled={busy !== null}
              aria-label={`Retry the export of order ${orderNumber} to ${sync.connectionName}`}
            >
              {busy ? 'Retrying…' : 'Retry'}
            </button>
          ) : jobId ? (
            <button
              type="button"
              className="small"
              onClick={() => void retryAutomatic(jobId)}
              disabled={busyAutomatic}
              aria-label={`Retry the automatic export of order ${orderNumber} to ${sync.connectionName}`}
            >
              {busyAutomatic ? 'Retrying…' : 'Retry'}
            </button>
          ) : null}
          {(error ?? errorAutomatic) && (
            <span className="error small" role="alert">
              {error ?? errorAutomatic}
            </span>
          )}
        </span>
      );
    }
  }
}
