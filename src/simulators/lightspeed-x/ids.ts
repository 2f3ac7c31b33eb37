import { createHash } from 'node:crypto';

/** A deterministic, version-5-shaped UUID derived from a key (X-Series ids are UUIDs). */
export function uuidFrom(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 40-character hex token (the length of a real X-Series access token) derived from a key. */
export function tokenFrom(key: string): string {
  return createHash('sha1').update(key).digest('hex');
}

/** X-Series timestamps look like `2020-10-20T21:18:11+00:00`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The 0.9 API writes dates as `2020-10-20 21:18:11`. */
export function legacyDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
