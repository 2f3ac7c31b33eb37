import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * The HTTP client's default way to send a request: node:http(s), answering the part of a fetch Response the client
 * reads. Not the global fetch: undici keeps each fetch's request and reply state reachable through weak references
 * that only a full GC clears, so every call of a burst (a bulk export makes thousands) was promoted to the old
 * generation, and a 10,000-line export's worker grew by some 150 MB of them. Here a call is garbage when it ends.
 *
 * As fetch does for us: no redirect is followed (the client asks for `redirect: 'manual'`), a string body is sent
 * with its Content-Length, a compressed reply is decoded, the text is read as UTF-8 without a BOM, the signal
 * aborts the call until the body is read, and a network failure is a TypeError whose cause carries the code.
 */

export interface TransportInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** What an injected fetch is asked for; node:http never follows a redirect. */
  redirect?: 'manual';
}

export interface TransportReply {
  status: number;
  headers: Headers;
  text(): Promise<string>;
}

export type Transport = (url: URL, init: TransportInit) => Promise<TransportReply>;

/** Methods fetch sends Content-Length: 0 for when there is no body (Node would otherwise send a chunked one). */
const EMPTY_BODY_LENGTH = new Set(['POST', 'PUT', 'PATCH']);

export const nodeTransport: Transport = (url, init) =>
  new Promise<TransportReply>((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    const headers: Record<string, string> = { ...init.headers };
    if (body !== undefined) headers['content-length'] = String(body.length);
    else if (EMPTY_BODY_LENGTH.has(init.method)) headers['content-length'] = '0';
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const fail = (error: unknown) => reject(new TypeError('fetch failed', { cause: error }));
    const req = send(url, { method: init.method, headers, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      // Cut off mid-body (the signal, the peer): no 'end' comes.
      res.on('close', () => {
        if (!res.complete) fail(new Error('the reply was cut off'));
      });
      res.on('end', () => {
        try {
          resolve(reply(res, decoded(res, Buffer.concat(chunks))));
        } catch (error) {
          fail(error);
        }
      });
    });
    req.on('error', fail);
    req.end(body);
  });

function reply(res: IncomingMessage, body: Buffer): TransportReply {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const text = new TextDecoder().decode(body);
  return { status: res.statusCode ?? 0, headers, text: () => Promise.resolve(text) };
}

function decoded(res: IncomingMessage, body: Buffer): Buffer {
  if (body.length === 0) return body;
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  return body;
}
