import { createHash } from 'node:crypto';

/** A deterministic, version-5-shaped UUID derived from a key (X-Series ids are UUIDs). */
export function uuidFrom(key: string): string {
  const digest = createHash('sha1').update(key).digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  // Written byte by byte into one buffer so the result is a flat string (sliced/concatenated strings cost
  // several times more memory, which matters with 600,000 seeded ids).
  const out = Buffer.allocUnsafe(36);
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out[at++] = 45;
    const byte = digest[i] as number;
    out[at++] = hexCodes[byte >> 4] as number;
    out[at++] = hexCodes[byte & 15] as number;
  }
  return out.toString('latin1');
}

const hexCodes = Buffer.from('0123456789abcdef', 'latin1');

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
