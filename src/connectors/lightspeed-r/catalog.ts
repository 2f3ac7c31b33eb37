import { AppError } from '../../core/errors.ts';
import { gtinForms } from '../../core/gtin.ts';
import { canonicalGtins, type PosCatalogEntry } from '../../core/pos-catalog.ts';
import type { CatalogPage, CatalogRecheck, PointOfSale } from '../../core/ports/pos.ts';
import { chunk, IN_MAX, inList, PAGE_MAX, type RPosContext } from './pos-context.ts';
import { itemPage, type RItem } from './schemas.ts';

/**
 * The catalog reads of the R-Series PointOfSale: the change feed behind the catalog mirror
 * (`Item.json?sort=timeStamp&timeStamp=>=,{cursor}` with archived items; see `SETTLE_MS` for when the tied items
 * need no re-read, `>`), rechecks by id and live lookups by barcode.
 */

/** R-Series accepts an 11-digit upc: a UPC-A whose leading zero was dropped. */
function barcodeForms(code: string): string {
  return /^\d{11}$/.test(code) ? `0${code}` : code;
}

export function toCatalogEntry(item: RItem): PosCatalogEntry {
  const numericSku = /^\d+$/.test(item.customSku) ? item.customSku : null;
  return {
    posItemId: item.itemID,
    parentId: item.itemMatrixID === '0' ? null : item.itemMatrixID,
    gtins: canonicalGtins([barcodeForms(item.upc), barcodeForms(item.ean), numericSku]),
    sku: item.customSku !== '' ? item.customSku : item.systemSku !== '' ? item.systemSku : null,
    name: item.description,
    archived: item.archived,
    version: item.timeStamp,
    ...defaultPrice(item),
  };
}

/** The Default price level (useTypeID 1), which the till sells at; Prices come with every Item (§2.1). */
function defaultPrice(item: RItem): { retail?: string } {
  const prices = (item as { Prices?: unknown }).Prices;
  const list = prices && typeof prices === 'object' ? (prices as { ItemPrice?: unknown }).ItemPrice : undefined;
  const levels = Array.isArray(list) ? list : list && typeof list === 'object' ? [list] : [];
  const level = levels.find(
    (p): p is { amount: unknown } =>
      typeof p === 'object' && p !== null && String((p as { useTypeID?: unknown }).useTypeID) === '1',
  );
  const amount = level?.amount;
  return typeof amount === 'string' || typeof amount === 'number' ? { retail: String(amount) } : {};
}

/** Every written form of a GTIN-14 an R-Series code field may hold (14, 13, 12, 11 and 8 digits). */
function searchForms(gtin14: string): string[] {
  const f = gtinForms(gtin14);
  const forms = [f.gtin14, f.ean13, f.upcA, f.upcA?.startsWith('0') ? f.upcA.slice(1) : undefined, f.gtin8];
  return [...new Set(forms.filter((x): x is string => x !== undefined))];
}

interface Cursor {
  /** Items with a timeStamp at or after this are (re)read. Null: the start of time. */
  ts: string | null;
  /**
   * Every item stamped `ts` or earlier has been read: the read that ended at `ts` happened, by the
   * server's clock, `SETTLE_MS` or more after that second. The next poll asks for later stamps only.
   */
  settled?: true;
  /** Mid-pass: the `@attributes.next` URL to follow as-is. */
  next?: string;
}

/**
 * R-Series timeStamps have one-second resolution, so a poll must re-read the items tied with its cursor:
 * one written later in that same second carries the same stamp. That re-read costs a page per hundred
 * ties (an export creates hundreds of items a second). Once the server's clock (its `Date` header) is
 * this far past the cursor's second, no write can still receive that stamp, and the ties need no re-read.
 */
const SETTLE_MS = 2_000;

function decodeCursor(cursor: string | null): Cursor {
  if (cursor === null || cursor === '') return { ts: null };
  try {
    const parsed = JSON.parse(cursor) as unknown;
    if (parsed && typeof parsed === 'object') {
      const c = parsed as Record<string, unknown>;
      const ts = typeof c.ts === 'string' ? c.ts : null;
      const next = typeof c.next === 'string' && c.next !== '' ? c.next : undefined;
      return {
        ts,
        ...(c.settled === true && ts !== null ? { settled: true as const } : {}),
        ...(next === undefined ? {} : { next }),
      };
    }
  } catch {
    // fall through
  }
  throw new AppError('POS_CURSOR_INVALID', `not an R-Series catalog cursor: ${cursor.slice(0, 80)}`);
}

type CatalogReads = Pick<PointOfSale, 'catalogChanges' | 'getCatalogEntries' | 'findCatalogEntriesByGtin'>;

export function catalogReads(ctx: RPosContext): CatalogReads {
  const { client, itemsWhere } = ctx;
  return {
    async catalogChanges(cursor, pageSize): Promise<CatalogPage> {
      const position = decodeCursor(cursor);
      const limit = Math.max(1, Math.min(PAGE_MAX, Math.trunc(pageSize) || PAGE_MAX));
      const reply =
        position.next !== undefined
          ? await client.send({ path: position.next, schema: itemPage })
          : await client.send({
              path: 'Item.json',
              query: {
                archived: 'true',
                sort: 'timeStamp',
                limit,
                // `>=` re-reads items tied with an unsettled cursor: none is skipped (the mirror upserts).
                ...(position.ts !== null ? { timeStamp: `${position.settled ? '>' : '>='},${position.ts}` } : {}),
              },
              schema: itemPage,
            });
      const page = reply.data;
      const entries = page.items.map(toCatalogEntry);
      const last = page.items[page.items.length - 1]?.timeStamp ?? position.ts;
      if (page.next !== '' && page.items.length > 0) {
        return { entries, removedIds: [], nextCursor: JSON.stringify({ ts: last, next: page.next }), done: false };
      }
      const serverNow = Date.parse(reply.headers.get('date') ?? '');
      const lastMs = last === null ? Number.NaN : Date.parse(last);
      const settled =
        (position.settled === true && last === position.ts) ||
        (Number.isFinite(serverNow) && Number.isFinite(lastMs) && serverNow - lastMs >= SETTLE_MS);
      return {
        entries,
        removedIds: [],
        nextCursor: JSON.stringify(settled ? { ts: last, settled: true } : { ts: last }),
        done: true,
      };
    },

    async getCatalogEntries(ids): Promise<CatalogRecheck> {
      const wanted = [...new Set(ids)];
      const numeric = wanted.filter((id) => /^\d+$/.test(id));
      const found = new Map<string, PosCatalogEntry>();
      for (const part of chunk(numeric, IN_MAX)) {
        for (const item of await itemsWhere({ itemID: inList(part), archived: 'true' }))
          found.set(item.itemID, toCatalogEntry(item));
      }
      return {
        entries: wanted.flatMap((id) => found.get(id) ?? []),
        missingIds: wanted.filter((id) => !found.has(id)),
      };
    },

    async findCatalogEntriesByGtin(gtin14s): Promise<Record<string, PosCatalogEntry[]>> {
      const result: Record<string, PosCatalogEntry[]> = {};
      const wanted = [...new Set(gtin14s)];
      for (const g of wanted) result[g] = [];
      // Pack the written forms of as many GTINs as fit in one IN list (≤ 100 values).
      const batches: string[][] = [];
      let current: string[] = [];
      for (const g of wanted) {
        const forms = searchForms(g);
        if (current.length + forms.length > IN_MAX) {
          batches.push(current);
          current = [];
        }
        current.push(...forms);
      }
      if (current.length > 0) batches.push(current);
      const byId = new Map<string, PosCatalogEntry>();
      for (const forms of batches) {
        for (const field of ['upc', 'ean', 'customSku']) {
          for (const item of await itemsWhere({ [field]: inList(forms), archived: 'true' }))
            byId.set(item.itemID, toCatalogEntry(item));
        }
      }
      for (const entry of [...byId.values()].sort((a, b) => Number(a.posItemId) - Number(b.posItemId))) {
        for (const g of entry.gtins) result[g]?.push(entry);
      }
      return result;
    },
  };
}
