/** An order's timeline and its source history as the API answers them (schemas/timeline.ts, schemas/orders.ts). */
import type { z } from 'zod';
import { trackingLink } from '../../core/carriers.ts';
import type { OrderTimeline } from '../../flows/order-timelines.ts';
import type { FulfilmentEvent } from '../../store/repos/index.ts';
import type { JsonValue } from '../schemas/common.ts';
import type { fulfilmentEventView } from '../schemas/orders.ts';
import type { timelineStatusView, timelineView } from '../schemas/timeline.ts';

export function timelineStatusOf(t: OrderTimeline | undefined): z.input<typeof timelineStatusView> {
  return t ? { status: t.status, label: t.label } : { status: 'created', label: 'Created' };
}

export function timelineViewOf(t: OrderTimeline): z.input<typeof timelineView> {
  const f = t.fulfilment;
  return {
    milestones: t.milestones.map((m) => ({
      ...m,
      tracking: m.tracking ? [...m.tracking].map((x) => ({ ...x, candidates: [...x.candidates] })) : undefined,
    })),
    status: t.status,
    label: t.label,
    units: t.units,
    sourceStatus: f?.sourceStatus ?? null,
    refreshedAt: f ? new Date(f.refreshedAt).toISOString() : null,
    complete: f?.complete ?? false,
    shipments: (f?.shipments ?? []).map((s) => ({
      id: s.sourceId ?? s.key,
      carrier: s.carrier,
      trackingNumbers: s.trackingNumbers,
      tracking: s.trackingNumbers.map((n) => {
        const link = trackingLink(s.carrier, n);
        return { ...link, candidates: [...link.candidates] };
      }),
      shippedOn: s.shippedOn,
      units: s.units,
      lines: s.lines,
      firstSeenAt: new Date(s.firstSeenAt).toISOString(),
    })),
  };
}

export function historyViewOf(events: readonly FulfilmentEvent[]): Array<z.input<typeof fulfilmentEventView>> {
  return events.map((e) => ({
    kind: e.kind,
    at: new Date(e.at).toISOString(),
    detail: e.detail as Record<string, JsonValue>,
  }));
}
