/**
 * Carriers and their public tracking pages, for the shipment milestones of an order's timeline. Brands type the
 * carrier as free text ("UPS Ground", "Fed Ex") or leave it blank (NuORDER documents no carrier field at all,
 * reference nuorder.md §5), so the name is read leniently and, when blank, guessed from the tracking number's
 * pattern. A guess is made only when exactly one carrier's pattern fits, and it says it is a guess.
 */

export type Carrier = 'ups' | 'fedex' | 'usps' | 'dhl' | 'canada_post' | 'purolator';

interface CarrierInfo {
  readonly name: string;
  /** How people write the carrier's name. */
  readonly names: RegExp;
  /** Tracking-number shapes (spaces and dashes removed, upper case). */
  readonly numbers: readonly RegExp[];
  readonly trackingUrl: (number: string) => string;
}

const carriers: Readonly<Record<Carrier, CarrierInfo>> = {
  ups: {
    name: 'UPS',
    names: /\bups\b|united parcel/i,
    // 1Z + shipper + service + package + check; T + 10 digits for freight-style labels.
    numbers: [/^1Z[0-9A-Z]{16}$/, /^T\d{10}$/],
    trackingUrl: (n) => `https://www.ups.com/track?tracknum=${n}`,
  },
  fedex: {
    name: 'FedEx',
    names: /fed\s*-?\s*ex|federal express/i,
    // Express 12, Ground 15, Ground "96" barcode 22.
    numbers: [/^\d{12}$/, /^\d{15}$/, /^96\d{20}$/],
    trackingUrl: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  },
  usps: {
    name: 'USPS',
    names: /\busps\b|postal service|\bu\.?s\.? mail\b/i,
    // Intelligent Mail package barcodes (22 digits, 91–95) and UPU S10 codes ending in US.
    numbers: [/^9[1-5]\d{20}$/, /^[A-Z]{2}\d{9}US$/],
    trackingUrl: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  },
  dhl: {
    name: 'DHL',
    names: /\bdhl\b/i,
    numbers: [/^\d{10}$/, /^JJD\d{18}$/],
    trackingUrl: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
  },
  canada_post: {
    name: 'Canada Post',
    names: /canada\s*post|postes\s*canada/i,
    numbers: [/^\d{16}$/, /^[A-Z]{2}\d{9}CA$/],
    trackingUrl: (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${n}`,
  },
  purolator: {
    name: 'Purolator',
    names: /purolator/i,
    numbers: [/^\d{12}$/, /^[A-Z]{3}\d{9}$/],
    trackingUrl: (n) => `https://www.purolator.com/en/shipping/tracker?pin=${n}`,
  },
};

export const carrierList: readonly Carrier[] = Object.keys(carriers) as Carrier[];

export function carrierName(carrier: Carrier): string {
  return carriers[carrier].name;
}

/** The carrier a free-text name denotes, or null ("UPS Ground" → ups, "Fed Ex" → fedex, "Freight Co" → null). */
export function normaliseCarrier(text: string | null | undefined): Carrier | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  const found = carrierList.filter((c) => carriers[c].names.test(t));
  return found.length === 1 ? (found[0] as Carrier) : null;
}

/** The tracking number as carriers print it in URLs: no spaces or dashes, upper case. */
export function compactTrackingNumber(number: string): string {
  return number.replace(/[\s-]+/g, '').toUpperCase();
}

/** Every carrier whose number shape fits (12 digits fit both FedEx and Purolator). */
export function carriersForNumber(number: string): Carrier[] {
  const n = compactTrackingNumber(number);
  return carrierList.filter((c) => carriers[c].numbers.some((re) => re.test(n)));
}

export interface TrackingLink {
  /** As the brand wrote it. */
  readonly number: string;
  readonly carrier: Carrier | null;
  readonly carrierName: string | null;
  /** The carrier's public tracking page for this number; null when the carrier is unknown. */
  readonly url: string | null;
  /** True when the carrier came from the number's shape, not from what the brand wrote. */
  readonly guessed: boolean;
  /** Carriers whose number shape fits, whatever the brand wrote: shown when no carrier is known. */
  readonly candidates: readonly Carrier[];
}

/**
 * The link for one tracking number. A carrier the brand named wins (even if the number looks like another's:
 * brands know their carrier better than a pattern does); a blank carrier is guessed from the number when one
 * shape alone fits; an unrecognised name gives no link rather than a wrong one.
 */
export function trackingLink(carrierText: string | null | undefined, number: string): TrackingLink {
  const named = normaliseCarrier(carrierText);
  const candidates = carriersForNumber(number);
  const blank = (carrierText ?? '').trim() === '';
  const carrier = named ?? (blank && candidates.length === 1 ? (candidates[0] as Carrier) : null);
  const compact = compactTrackingNumber(number);
  return {
    number,
    carrier,
    carrierName: carrier === null ? null : carriers[carrier].name,
    url: carrier === null || compact === '' ? null : carriers[carrier].trackingUrl(encodeURIComponent(compact)),
    guessed: carrier !== null && named === null,
    candidates,
  };
}
