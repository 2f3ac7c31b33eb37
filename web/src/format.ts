import type {
  Connection,
  LineDecision,
  MatrixStatus,
  Money,
  PostalAddress,
  RateHeadroom,
  ReviewReason,
  ShipWindow,
} from './types.ts';

const fractionDigits = new Map<string, number>();

function digitsOf(currency: string): number {
  let digits = fractionDigits.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    fractionDigits.set(currency, digits);
  }
  return digits;
}

export function formatMoney(m: Money | null | undefined): string {
  if (!m) return '—';
  const digits = digitsOf(m.currency);
  const value = m.minor / 10 ** digits;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: m.currency }).format(value);
  } catch {
    return `${m.currency} ${value.toFixed(digits)}`;
  }
}

const currencies = new Set(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : []);

/**
 * The server writes amounts in its messages as core money does ("USD 1,234.50", for logs and the CLI). Shown to
 * a person they read like every other amount on the page ("$1,234.50"). Only a known currency code followed by
 * an amount with that currency's decimals is rewritten, so "UPC 084001001174" stays as it is.
 */
export function moneyInText(text: string): string {
  return text.replace(/\b([A-Z]{3}) (-?)(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d+))?(?!\d|\.\d)/g, (whole, ...m) => {
    const [currency, sign, int, frac] = m as [string, string, string, string | undefined];
    if (!currencies.has(currency) || (frac?.length ?? 0) !== digitsOf(currency)) return whole;
    const minor = Number(`${sign}${int.replace(/,/g, '')}${frac ?? ''}`);
    return Number.isSafeInteger(minor) ? formatMoney({ minor, currency }) : whole;
  });
}

export function sumMoney(list: Money[], currency: string): Money {
  return { minor: list.reduce((n, m) => n + m.minor, 0), currency };
}

export function formatDate(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function formatDateTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}

/** "3 minutes ago", for health and sync times. */
export function timeAgo(iso: string | number | null | undefined, now = Date.now()): string {
  if (iso === null || iso === undefined) return 'never';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} hour${h === 1 ? '' : 's'} ago`;
  return formatDate(iso);
}

export function formatShipWindow(
  w: ShipWindow | { start: string | null; end: string | null } | null | undefined,
): string {
  if (!w || (!w.start && !w.end)) return 'Not set';
  if (w.start && w.end) return `${formatDate(w.start)} – ${formatDate(w.end)}`;
  return w.start ? `From ${formatDate(w.start)}` : `By ${formatDate(w.end)}`;
}

export function addressLines(a: PostalAddress | null | undefined): string[] {
  if (!a) return [];
  const cityLine = [a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.name, a.line1, a.line2, cityLine, a.country].filter((x): x is string => Boolean(x && x.trim()));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** A point of sale, by what its connector says it is (any registered POS, not a list of names). */
export function isPos(c: Pick<Connection, 'kind'>): boolean {
  return c.kind === 'pos';
}

export function orderStatusLabel(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/** A PO status as the POS reports it (`OPEN`, `ordered`, `check_in`) in one style: "Open", "Ordered", "Check in". */
export function poStatusLabel(status: string): string {
  const words = status.replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function headroomText(
  h: RateHeadroom | null,
  now = Date.now(),
): { text: string; ratio: number | null; blocked: boolean } {
  if (!h) return { text: 'No requests made yet', ratio: null, blocked: false };
  const blocked = Date.parse(h.blockedUntil) > now;
  if (h.kind === 'window') {
    // Until a reply has said the window's size, there is nothing to count.
    if (h.limit === null || h.remaining === null) return { text: 'No limit reported yet', ratio: null, blocked };
    const ratio = h.limit > 0 ? Math.max(0, h.remaining) / h.limit : null;
    return {
      text: `${Math.max(0, h.remaining).toLocaleString('en-US')} of ${h.limit.toLocaleString('en-US')} requests left in this window`,
      ratio,
      blocked,
    };
  }
  const elapsed = Math.max(0, (now - Date.parse(h.updatedAt)) / 1000);
  const level = Math.max(0, h.level - elapsed * h.dripPerSecond);
  const left = Math.max(0, h.size - level);
  return {
    text: `${Math.floor(left)} of ${h.size} request units free (refills ${h.dripPerSecond} per second)`,
    ratio: h.size > 0 ? left / h.size : null,
    blocked,
  };
}

// --- Plan words -----------------------------------------------------------------------------------------

export const matrixStatusLabel: Record<MatrixStatus, string> = {
  confirmed: 'Confirmed',
  upc_match: 'UPC match',
  linked_by_buyer: 'Your choice',
  new_item: 'New item',
  needs_review: 'Needs review',
  skipped: 'Skipped',
  mixed: 'Partly matched, partly new',
};

const confirmedOrigin: Record<NonNullable<Extract<LineDecision, { kind: 'confirmed' }>['origin']>, string> = {
  upc_match: 'first matched by UPC',
  created_by_export: 'created by an export',
  chosen_by_person: 'chosen by a person',
  followed_merge: 'followed a merge',
};

export function decisionLabel(d: LineDecision): string {
  switch (d.kind) {
    case 'confirmed':
      // The ledger's origin of the link, so "Confirmed" says where it came from.
      return d.origin ? `Confirmed (${confirmedOrigin[d.origin]})` : 'Confirmed';
    case 'upc_match':
      return 'UPC match';
    case 'linked_by_buyer':
      return 'Your choice';
    case 'new_item':
      return d.byBuyer ? 'New item (your choice)' : 'New item';
    case 'needs_review':
      return 'Needs review';
    case 'skipped':
      return 'Skipped';
  }
}

export function decisionTone(kind: LineDecision['kind'] | MatrixStatus): 'ok' | 'info' | 'new' | 'warn' | 'muted' {
  if (kind === 'needs_review') return 'warn';
  if (kind === 'new_item') return 'new';
  if (kind === 'skipped') return 'muted';
  if (kind === 'mixed') return 'info';
  return 'ok';
}

export const reasonText: Record<ReviewReason, string> = {
  duplicate_upc: 'Several POS items carry this UPC. Pick the right one, or create a new item.',
  archived_only:
    'Only an archived POS item carries this UPC. Archived items cannot receive stock: create a new item, or pick a live one.',
  no_upc: 'The brand sent no UPC for this size. Pick the POS item it is, or create a new item.',
  malformed_upc: 'The UPC the brand sent is not a valid barcode. Pick the POS item it is, or create a new item.',
  override_invalid: 'The item chosen earlier cannot be used. Choose again.',
  conflicting_upc: 'This size arrives with different UPCs in different orders. Pick the POS item it is.',
  invalid_quantity: 'The quantity is not a whole number of units; the brand must correct the order.',
  unmatchable_code:
    'This code names no single product (a store, coupon or variable-measure code), so it is never matched. Pick the POS item it is, or create a new item.',
  price_review:
    'Your pricing policy sends this new item to review (see its price and rule). Create it as shown, or pick an existing item.',
  variant_shape: 'This size cannot be part of the new product as it is. Pick the POS item it is.',
  pack_invalid: 'The pack data of this line do not add up; the brand must correct the order.',
};

export function gtinProblemText(problem: string | undefined): string {
  switch (problem) {
    case 'not_numeric':
      return 'it contains letters or symbols';
    case 'bad_length':
      return 'it has the wrong number of digits';
    case 'bad_check_digit':
      return 'its check digit is wrong';
    case 'missing':
      return 'it is missing';
    default:
      return 'it is not valid';
  }
}

/** The barcode as a person reads it: the brand's text when present, else the GTIN without leading zeros padding. */
export function upcText(raw: string | null, gtin14: string | null): string {
  if (raw && raw.trim()) return raw.trim();
  if (gtin14) return gtin14.replace(/^00/, '');
  return 'No UPC';
}

/** Ends a sentence once: a name that ends in "Co." gets no second period. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
