/**
 * What a GTIN is, from its GS1 prefix and indicator digit, and whether a plan may match it across the
 * catalog. A valid check digit says a code was typed right, not that it names one product everywhere:
 * restricted-circulation codes are reused per country or per store for weighed and in-store items,
 * coupon codes name offers, and a GS1 demo code names nothing. Matching those links unrelated stock.
 *
 * Ranges: GS1 General Specifications, figure "GS1 Prefixes" (§1.4.2) and §2.1.11–2.1.12 for restricted
 * circulation numbers (RCN), as listed in jodal/biip's prefix table; 984 from later releases of the list.
 */
import { packagingOf, readGtin } from './gtin.ts';
import type { GtinProblem, GtinSymbology } from './gtin.ts';

export type GtinClass =
  /** An ordinary trade item: one product wherever it is sold. */
  | 'trade_item'
  /** 020–029 and 200–299 (UPC-A number system 2): variable-measure and in-store codes, set per country. */
  | 'restricted_regional'
  /** 040–049 (number system 4), and GTIN-8s starting with 0 or 2: numbers a company uses internally. */
  | 'restricted_company'
  /** 050–059 (number system 5, formerly coupons, reserved), 981–984 and 99: coupons. */
  | 'coupon'
  /** 980: refund receipts. */
  | 'refund_receipt'
  /** 978, and 979 except 979-0: a book (ISBN). */
  | 'isbn'
  /** 979-0: printed music (ISMN). */
  | 'ismn'
  /** 977: a periodical (ISSN); its two variant digits often carry the issue, so one code spans issues. */
  | 'issn'
  /** 952: GS1's range for demonstrations and examples; it names no real product. */
  | 'demo'
  /** GTIN-14 indicator 9: a variable-measure trade item. */
  | 'variable_measure';

export interface GtinClassification {
  readonly class: GtinClass;
  /** The digits that decided it: a GS1 prefix ("21", "977", "9790"), "GTIN-8 0", or "indicator 9". */
  readonly prefix: string;
  /** Plain words for the review and the forecast CSV. */
  readonly description: string;
  /** Set for indicator 1–8: the code is a pack of `unitGtin14`, and `class` is the unit's class. */
  readonly pack?: { readonly indicator: number; readonly unitGtin14: string };
}

const DESCRIPTIONS: Record<GtinClass, string> = {
  trade_item: 'a trade item code',
  restricted_regional:
    'a restricted-circulation code: countries and stores reuse these for weighed or in-store items, so it names no single product',
  restricted_company: 'a company-internal code: it means something only inside the company that made it',
  coupon: 'a coupon code, not a product',
  refund_receipt: 'a refund-receipt code, not a product',
  isbn: 'a book number (ISBN)',
  ismn: 'a printed-music number (ISMN)',
  issn: 'a periodical number (ISSN): the same code can cover several issues',
  demo: 'a GS1 demonstration code (prefix 952): it names no real product',
  variable_measure: 'a variable-measure item (indicator 9): the same code covers many weights or lengths',
};

const classified = (cls: GtinClass, prefix: string): GtinClassification => ({
  class: cls,
  prefix,
  description: DESCRIPTIONS[cls],
});

/**
 * Classifies a canonical GTIN-14. Total and deterministic: every 14-digit string gets exactly one class.
 * Six leading zeros mean a GTIN-8 (GS1 keeps GTIN-12/13 out of that range so the two never collide), which
 * is classified by its own, GS1-8, prefix.
 */
export function classifyGtin(gtin14: string): GtinClassification {
  const packaging = packagingOf(gtin14);
  if (packaging.kind === 'variable_measure') return classified('variable_measure', 'indicator 9');
  if (packaging.kind === 'pack') {
    const unit = classifyGtin(packaging.unitGtin14);
    return {
      ...unit,
      description: `a pack (indicator ${packaging.indicator}) of ${unit.description}`,
      pack: { indicator: packaging.indicator, unitGtin14: packaging.unitGtin14 },
    };
  }
  if (gtin14.startsWith('000000')) {
    const first = gtin14[6] ?? '';
    return first === '0' || first === '2'
      ? classified('restricted_company', `GTIN-8 ${first}`)
      : classified('trade_item', gtin14.slice(6, 9));
  }
  const gtin13 = gtin14.slice(1);
  const p2 = Number(gtin13.slice(0, 2));
  const p3 = Number(gtin13.slice(0, 3));
  if ((p3 >= 20 && p3 <= 29) || (p3 >= 200 && p3 <= 299)) return classified('restricted_regional', gtin13.slice(0, 3));
  if (p3 >= 40 && p3 <= 49) return classified('restricted_company', gtin13.slice(0, 3));
  if ((p3 >= 50 && p3 <= 59) || (p3 >= 981 && p3 <= 984) || p2 === 99) {
    return classified('coupon', p2 === 99 ? '99' : gtin13.slice(0, 3));
  }
  if (p3 === 980) return classified('refund_receipt', '980');
  if (p3 === 977) return classified('issn', '977');
  if (gtin13.startsWith('9790')) return classified('ismn', '9790');
  if (p3 === 978 || p3 === 979) return classified('isbn', gtin13.slice(0, 3));
  if (p3 === 952) return classified('demo', '952');
  return classified('trade_item', gtin13.slice(0, 3));
}

/** Classes a plan may match across the catalog. Books and music are real products, so they stay matchable. */
const MATCHABLE: ReadonlySet<GtinClass> = new Set(['trade_item', 'isbn', 'ismn']);

export type MatchRefusal = GtinProblem | Exclude<GtinClass, 'trade_item' | 'isbn' | 'ismn'>;

export type Matchability =
  | {
      matchable: true;
      gtin14: string;
      symbology: GtinSymbology;
      classification: GtinClassification;
      /**
       * Every GTIN-14 the plan must look up: `gtin14` first, then the matchable other readings of an
       * ambiguous 8-digit code. A match is sure only when exactly one live POS item turns up across all.
       */
      lookupGtins: readonly string[];
    }
  | {
      matchable: false;
      reason: MatchRefusal;
      /** Plain words, naming the code: shown on the plan line and in the forecast. */
      message: string;
      /** Null when the code could not be read at all. */
      gtin14: string | null;
      classification?: GtinClassification;
    };

/**
 * The one question the plan asks of a line's barcode: may it match a POS item by this code, and if not,
 * why (in words for the buyer). A code that cannot be read (missing, malformed, wrong check digit) is
 * refused with the reading's own problem; a readable code is refused when its class is not a trade item.
 */
export function matchability(raw: string | null | undefined): Matchability {
  const read = readGtin(raw);
  if (!read.ok) return { matchable: false, reason: read.problem, message: read.message, gtin14: null };
  const classification = classifyGtin(read.gtin14);
  if (!MATCHABLE.has(classification.class)) {
    return {
      matchable: false,
      reason: classification.class as MatchRefusal,
      message: `${read.digits} is ${classification.description}; it is never matched across the catalog`,
      gtin14: read.gtin14,
      classification,
    };
  }
  const others = read.alternatives.filter((a) => MATCHABLE.has(classifyGtin(a.gtin14).class)).map((a) => a.gtin14);
  return {
    matchable: true,
    gtin14: read.gtin14,
    symbology: read.symbology,
    classification,
    lookupGtins: [read.gtin14, ...others],
  };
}
