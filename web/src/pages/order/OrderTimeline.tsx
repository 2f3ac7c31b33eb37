import { Badge, type Tone } from '../../components/ui.tsx';
import { formatDate, plural } from '../../format.ts';
import type { OrderDetail } from '../../types.ts';

type Timeline = OrderDetail['timelineDetail'];
type Milestone = Timeline['milestones'][number];

const tone = (status: Timeline['status']): Tone =>
  status === 'cancelled'
    ? 'danger'
    : status === 'received'
      ? 'ok'
      : status.includes('shipped') || status === 'partially_received'
        ? 'info'
        : 'muted';

/** The latest step of an order's timeline, as the orders list's status column and the page heads show it. */
export function TimelineBadge({ status, label, title }: { status: Timeline['status']; label: string; title?: string }) {
  return (
    <Badge tone={tone(status)} {...(title ? { title } : {})}>
      {label}
    </Badge>
  );
}

function When({ at }: { at: string | null }) {
  return at ? <time dateTime={at}>{formatDate(at)}</time> : <span className="muted">Date not known</span>;
}

function Tracking({ m }: { m: Milestone }) {
  if (!m.tracking || m.tracking.length === 0) return null;
  return (
    <ul className="tracking">
      {m.tracking.map((t) => (
        <li key={t.number}>
          {t.url ? (
            <a href={t.url} target="_blank" rel="noreferrer noopener">
              Track {t.number} on {t.carrierName}
            </a>
          ) : (
            <span>
              {t.number} <span className="muted">(carrier not known: no tracking page)</span>
            </span>
          )}
          {t.guessed && <span className="muted"> · carrier read from the number</span>}
        </li>
      ))}
    </ul>
  );
}

/**
 * An order's milestones, oldest first: created, submitted, approved, exported (PO number and link), each shipment
 * (carrier, units, tracking links to the carrier's page), each receipt, delivered. The same list the API and the
 * CLI give.
 */
export function OrderTimeline({
  timeline,
  headingId = 'timeline-heading',
}: {
  timeline: Timeline;
  headingId?: string;
}) {
  const u = timeline.units;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Timeline <TimelineBadge status={timeline.status} label={timeline.label} />
      </h2>
      <p className="muted">
        {plural(u.ordered, 'unit')} ordered · {u.shipped} shipped · {u.received} received
        {timeline.refreshedAt ? ` · NuORDER last read ${formatDate(timeline.refreshedAt)}` : ''}
        {timeline.complete ? ' · complete, no longer followed' : ''}
      </p>
      <ol className="timeline">
        {timeline.milestones.map((m, i) => (
          <li key={`${m.kind}:${m.id ?? i}`} className={`milestone milestone-${m.kind}`}>
            <span className="milestone-label strong">{m.label}</span> <When at={m.at} />
            <div>
              {m.detail}
              {m.poUrl && (
                <>
                  {' '}
                  · <a href={m.poUrl}>Open purchase order {m.poNumber} in the POS</a>
                </>
              )}
            </div>
            <Tracking m={m} />
          </li>
        ))}
      </ol>
    </section>
  );
}
