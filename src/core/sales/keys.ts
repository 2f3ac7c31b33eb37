/**
 * The sales sync's correlation keys: what each record it creates carries, so a retry finds it instead of making
 * another. They never change for the same source record.
 */
import { createHash } from 'node:crypto';

/** `source.type` of the POS sales Tradeloop creates (with `source.id`, the external id). */
export const SALE_SOURCE_TYPE = 'TRADELOOP_NETSUITE';

/** A version-5-shaped UUID derived from a key: the same ERP order always gets the same POS sale id. */
export function saleIdFor(key: string): string {
  const digest = createHash('sha1').update(`tradeloop:sale:${key}`).digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The ERP record a POS sale becomes (cash sale or sales order). */
export const posSaleExternalId = (saleId: string): string => `XS-${saleId}`;
/** The fulfilment of an ERP sales order. */
export const fulfilmentExternalId = (orderId: string): string => `TL-IF-${orderId}`;
/** The bill (invoice or cash sale) of an ERP sales order. */
export const billExternalId = (orderId: string): string => `TL-BILL-${orderId}`;
