/**
 * Sale status ↔ the newer `state` + `attributes` (§5.1, docs/sales_states_and_attributes).
 */
export const saleStatuses = [
  'SAVED',
  'CLOSED',
  'ONACCOUNT',
  'LAYBY',
  'ONACCOUNT_CLOSED',
  'LAYBY_CLOSED',
  'AWAITING_DISPATCH',
  'AWAITING_PICKUP',
  'DISPATCHED_CLOSED',
  'PICKED_UP_CLOSED',
  'VOIDED',
  'SERVICE',
  'SERVICE_CLOSED',
] as const;
export type SaleStatus = (typeof saleStatuses)[number];

const table: Record<SaleStatus, { state: string; attributes: string[] }> = {
  SAVED: { state: 'parked', attributes: [] },
  CLOSED: { state: 'closed', attributes: [] },
  ONACCOUNT: { state: 'pending', attributes: ['onaccount'] },
  ONACCOUNT_CLOSED: { state: 'closed', attributes: ['onaccount'] },
  LAYBY: { state: 'pending', attributes: ['layby'] },
  LAYBY_CLOSED: { state: 'closed', attributes: ['layby'] },
  AWAITING_DISPATCH: { state: 'pending', attributes: ['delivery'] },
  DISPATCHED_CLOSED: { state: 'closed', attributes: ['delivery'] },
  AWAITING_PICKUP: { state: 'pending', attributes: ['pickup'] },
  PICKED_UP_CLOSED: { state: 'closed', attributes: ['pickup'] },
  VOIDED: { state: 'voided', attributes: [] },
  SERVICE: { state: 'pending', attributes: ['service'] },
  SERVICE_CLOSED: { state: 'closed', attributes: ['service'] },
};

export function isSaleStatus(value: unknown): value is SaleStatus {
  return typeof value === 'string' && Object.hasOwn(table, value);
}

export function stateOfStatus(status: string): { state: string; attributes: string[] } {
  const entry = isSaleStatus(status) ? table[status] : { state: 'pending', attributes: [] };
  return { state: entry.state, attributes: [...entry.attributes] };
}

/** The status for a state + attributes pair, or an error message (incompatible pairs, unknown values). */
export function statusOfState(state: string, attributes: string[]): SaleStatus | string {
  const attrs = [...new Set(attributes.map((a) => a.toLowerCase()))];
  const known = ['onaccount', 'layby', 'delivery', 'pickup', 'service'];
  const unknown = attrs.filter((a) => !known.includes(a));
  if (unknown.length > 0) return `Unknown sale attribute: ${unknown.join(', ')}`;
  if (attrs.includes('onaccount') && attrs.includes('layby'))
    return 'Attributes onaccount and layby cannot be combined';
  if (attrs.includes('pickup') && attrs.includes('delivery'))
    return 'Attributes pickup and delivery cannot be combined';
  if (state === 'voided') return 'VOIDED';
  if (state === 'parked') return attrs.length === 0 ? 'SAVED' : 'A parked sale takes no attributes';
  const kind =
    attrs.find((a) => a === 'delivery' || a === 'pickup') ?? attrs.find((a) => a !== 'delivery' && a !== 'pickup');
  const pending: Record<string, SaleStatus> = {
    onaccount: 'ONACCOUNT',
    layby: 'LAYBY',
    delivery: 'AWAITING_DISPATCH',
    pickup: 'AWAITING_PICKUP',
    service: 'SERVICE',
  };
  const closed: Record<string, SaleStatus> = {
    onaccount: 'ONACCOUNT_CLOSED',
    layby: 'LAYBY_CLOSED',
    delivery: 'DISPATCHED_CLOSED',
    pickup: 'PICKED_UP_CLOSED',
    service: 'SERVICE_CLOSED',
  };
  if (state === 'closed') return kind ? (closed[kind] as SaleStatus) : 'CLOSED';
  if (state === 'pending') {
    // [I] §5.1 maps "OPEN → pending"; a pending sale with no attribute has no 2.0 status, so we refuse it.
    return kind
      ? (pending[kind] as SaleStatus)
      : 'A pending sale needs an attribute (onaccount, layby, delivery, pickup or service)';
  }
  return `Unknown sale state: ${state}`;
}

/** Statuses whose quantities have left the shelf ([I]: every status but parked and voided takes stock). */
export function takesStock(status: string): boolean {
  return status !== 'SAVED' && status !== 'VOIDED';
}

/** Finished sales: only VOIDED may follow (§5.1 "CLOSED … only → VOIDED"). */
export function isFinal(status: string): boolean {
  return status.endsWith('CLOSED') || status === 'VOIDED';
}
