/**
 * X-Series sale statuses and the newer `state` + `attributes` form (reference lightspeed-x-series.md §5.1,
 * netsuite.md §6.2), and the NetSuite → X-Series status mapping (netsuite.md §6.1). Pure: no I/O.
 */

export const xSaleStatuses = [
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
export type XSaleStatus = (typeof xSaleStatuses)[number];

export type XSaleState = 'parked' | 'pending' | 'closed' | 'voided';
export type XSaleAttribute = 'onaccount' | 'layby' | 'delivery' | 'pickup' | 'service';

export interface XSaleForm {
  state: XSaleState;
  attributes: XSaleAttribute[];
}

const forms: Record<XSaleStatus, XSaleForm> = {
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

/** The UI names the POS shows (reference §5.1, In8Sync's guide). */
export const xStatusLabels: Record<XSaleStatus, string> = {
  SAVED: 'Parked',
  CLOSED: 'Completed',
  ONACCOUNT: 'On account',
  ONACCOUNT_CLOSED: 'On account – Completed',
  LAYBY: 'Layby',
  LAYBY_CLOSED: 'Layby – Completed',
  AWAITING_DISPATCH: 'Delivery – Unfulfilled',
  DISPATCHED_CLOSED: 'Delivery – Completed',
  AWAITING_PICKUP: 'Pickup – Unfulfilled',
  PICKED_UP_CLOSED: 'Pickup – Completed',
  VOIDED: 'Voided',
  SERVICE: 'Service',
  SERVICE_CLOSED: 'Service – Completed',
};

export function isXSaleStatus(value: unknown): value is XSaleStatus {
  return typeof value === 'string' && Object.hasOwn(forms, value);
}

/** The `state` + `attributes` that say the same as a legacy `status` (kept in step on every write). */
export function formOfStatus(status: XSaleStatus): XSaleForm {
  const form = forms[status];
  return { state: form.state, attributes: [...form.attributes] };
}

/** The legacy status for a `state` + `attributes` pair; undefined when the pair names none (or is contradictory). */
export function statusOfForm(state: string, attributes: readonly string[]): XSaleStatus | undefined {
  const wanted = [...new Set(attributes.map((a) => a.toLowerCase()))].sort().join(',');
  for (const status of xSaleStatuses) {
    const form = forms[status];
    if (form.state === state && [...form.attributes].sort().join(',') === wanted) return status;
  }
  return undefined;
}

/** True when a sale's legacy status and its state + attributes say the same thing. */
export function formInStep(status: string, state: string, attributes: readonly string[]): boolean {
  return isXSaleStatus(status) && statusOfForm(state, attributes) === status;
}

/** A finished sale: NetSuite is fulfilled and billed when a sale we follow reaches one of these (§6.1). */
export const completingStatuses: readonly XSaleStatus[] = [
  'CLOSED',
  'DISPATCHED_CLOSED',
  'PICKED_UP_CLOSED',
  'LAYBY_CLOSED',
];

export function isCompleting(status: string): boolean {
  return (completingStatuses as readonly string[]).includes(status);
}

/** Statuses Tradeloop may create a sale in (a new sale is never created finished-after-fulfilment or voided). */
export const sendableStatuses: readonly XSaleStatus[] = [
  'SAVED',
  'CLOSED',
  'AWAITING_PICKUP',
  'AWAITING_DISPATCH',
  'LAYBY',
  'ONACCOUNT',
];

// ---------------------------------------------------------------------------------------------
// The status mapping: a name a rule sends an order "as" → the X-Series status it becomes.

export interface StatusMappingEntry {
  /** The name rules use, e.g. `AWAITING_PICKUP`. Letters, digits and underscores. */
  key: string;
  /** The X-Series status the sale is created in; its state + attributes follow from it. */
  xStatus: XSaleStatus;
  /** What the merchant calls it (defaults to the POS's UI name). */
  label: string;
  /** Sent with a payment of the order total (the order was paid in NetSuite), or to be paid in the POS. */
  paid: boolean;
  description: string;
}

/** In8Sync's four (netsuite.md §6.1), the defaults every organization starts with. */
export function defaultStatusMapping(): StatusMappingEntry[] {
  return [
    {
      key: 'SAVED',
      xStatus: 'SAVED',
      label: 'Parked',
      paid: false,
      description: 'Still to be completed and paid in the POS.',
    },
    {
      key: 'CLOSED',
      xStatus: 'CLOSED',
      label: 'Completed',
      paid: true,
      description: 'Already paid; synced as a record only.',
    },
    {
      key: 'AWAITING_PICKUP',
      xStatus: 'AWAITING_PICKUP',
      label: 'Pickup – Unfulfilled',
      paid: true,
      description: 'Paid; waiting for the customer to collect.',
    },
    {
      key: 'AWAITING_DISPATCH',
      xStatus: 'AWAITING_DISPATCH',
      label: 'Delivery – Unfulfilled',
      paid: true,
      description: 'Paid; waiting for local delivery from the store.',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// NetSuite sales order statuses (netsuite.md §3.1)

export const nsOrderStatuses = {
  A: 'PENDING_APPROVAL',
  B: 'PENDING_FULFILLMENT',
  C: 'CANCELLED',
  D: 'PARTIALLY_FULFILLED',
  E: 'PENDING_BILLING_PARTIALLY_FULFILLED',
  F: 'PENDING_BILLING',
  G: 'BILLED',
  H: 'CLOSED',
} as const;
export type NsOrderStatusCode = keyof typeof nsOrderStatuses;
export type NsOrderStatus = (typeof nsOrderStatuses)[NsOrderStatusCode];
export const nsOrderStatusNames = Object.values(nsOrderStatuses) as NsOrderStatus[];

export function nsStatusFromCode(code: string): NsOrderStatus | undefined {
  const letter = code.includes(':') ? code.slice(code.indexOf(':') + 1) : code;
  return (nsOrderStatuses as Record<string, NsOrderStatus>)[letter.toUpperCase()];
}
