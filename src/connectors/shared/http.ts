import type { z } from 'zod';
import {
  RemoteAuthLost,
  RemoteContractBroken,
  RemoteRateLimited,
  RemoteRejected,
  RemoteUnavailable,
  formatFieldPath,
  type RemoteKind,
} from './errors.ts';
import { parseRetryAfter, systemClock, type Clock, type RateGovernor } from './rate-governor.ts';
import { describeRemoteErrorBody } from './pagination.ts';
import { nodeTransport, type Transport } from './node-transport.ts';
import { currentLogContext } from '../../observability/context.ts';

/**
 * The one HTTP transport every connector uses.
 *
 * - Sent over node:http(s) (node-transport.ts: a call is garbage as soon as it ends), not the global fetch.
 * - Timeouts through AbortSignal.
 * - Retries only where the remote state is known: idempotent requests (GET by default) retry on 5xx,
 *   timeouts and connection errors with capped exponential backoff and jitter. A write that times out or
 *   gets a 5xx is NOT retried here: it throws `RemoteUnavailable` (state unknown) so the caller looks its
 *   correlation key up first.
 * - 429: the governor (or `Retry-After`) says when; waits and retries inside a small in-call budget,
 *   else throws `RemoteRateLimited` with `retryAt`. A 429 never uses up a retry attempt.
 * - 401: refresh through `onUnauthorized` and try again; a 401 right after a refresh gets one more fresh
 *   refresh (a token can be refused for a moment after it is issued, or rotated by another process
 *   meanwhile), then `RemoteAuthLost`.
 * - Replies are validated with the request's zod schema: `RemoteContractBroken` names the field path.
 * - Logs method, host, path (no query), status and milliseconds, with the correlation id of the work it is part of
 *   (sent along as `X-Correlation-Id`). Never headers, tokens or bodies.
 */

export interface HttpLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface OutgoingRequest {
  method: string;
  /** The full URL, query included. */
  url: URL;
  /** Form parameters of an `application/x-www-form-urlencoded` body (OAuth 1.0a signs them). */
  form?: ReadonlyArray<readonly [string, string]>;
  body?: string;
}

export type Authorize = (request: OutgoingRequest) => Promise<Record<string, string>> | Record<string, string>;

export interface RetryPolicy {
  /** Total tries for an idempotent request (1 = no retry). */
  attempts: number;
  baseMs: number;
  capMs: number;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Vendor name used in errors and logs, e.g. `nuorder`. */
  name: string;
  kind?: RemoteKind;
  timeoutMs: number;
  authorize?: Authorize;
  /**
   * Called on a 401 (at most twice per request): refresh the credentials and resolve `true` to try again, or
   * `false` to give up. Anything it throws is passed on (a RemoteAuthLost from a refresh, say).
   */
  onUnauthorized?: (sent: { headers: Readonly<Record<string, string>> }) => Promise<boolean>;
  governor?: RateGovernor;
  retry: RetryPolicy;
  /** How long one call may wait in total for rate limits before it throws RemoteRateLimited. Default 10 s. */
  rateLimitWaitMs?: number;
  logger?: HttpLogger;
  /** Sends a request instead of node:http (tests, R-Series' observing wrapper); fetch fits. */
  fetch?: typeof fetch;
  clock?: Clock;
  random?: () => number;
  /** Sent on every request (after authorization headers are computed they are merged on top). */
  headers?: Record<string, string>;
}

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;

export interface RequestOptions<S extends z.ZodType> {
  method: string;
  /** A path under `baseUrl`, or an absolute URL on the same vendor (R-Series `@attributes.next`). */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  /** Form body instead of JSON (OAuth token endpoints). */
  form?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
  schema: S;
  /** Safe to send twice? Defaults to true for GET/HEAD/OPTIONS, false otherwise. */
  idempotent?: boolean;
  /** Budget cost; defaults to the governor's cost for the method and path. */
  cost?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export interface HttpClient {
  readonly name: string;
  readonly baseUrl: string;
  request<S extends z.ZodType>(options: RequestOptions<S>): Promise<z.output<S>>;
  /** Like `request`, with the status and headers too. */
  send<S extends z.ZodType>(options: RequestOptions<S>): Promise<HttpResponse<z.output<S>>>;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A refresh, and after a 401 with the refreshed token one more, before the credentials count as lost. */
const MAX_REFRESHES_PER_REQUEST = 2;

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): URL {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(path);
  } else {
    const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
    url = new URL(base + (path.startsWith('/') ? path : `/${path}`));
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
    else url.searchParams.set(name, String(value));
  }
  return url;
}

function backoffMs(policy: RetryPolicy, retryIndex: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retryIndex);
  // Equal jitter: at least half the ceiling, so retries never hammer the server back to back.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function parseBody(text: string): { json: true; value: unknown } | { json: false } {
  if (text.trim() === '') return { json: true, value: undefined };
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false };
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch: Transport = options.fetch ?? nodeTransport;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const rateBudgetMs = options.rateLimitWaitMs ?? 10_000;
  const vendor = options.name;

  async function send<S extends z.ZodType>(req: RequestOptions<S>): Promise<HttpResponse<z.output<S>>> {
    const method = req.method.toUpperCase();
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const url = buildUrl(options.baseUrl, req.path, req.query);
    const path = url.pathname;
    const info = { vendor, method, path };
    // The log line names the host and path only: a query can carry a secret (an OAuth code, a signature).
    const host = url.host;
    // An absolute URL from a reply (R-Series `@attributes.next`) is followed on the configured host only:
    // the client's credentials never go to a host a reply chose.
    if (url.origin !== new URL(options.baseUrl).origin)
      throw new RemoteContractBroken({
        ...info,
        fieldPath: '(url)',
        problem: `a link to another host (${url.host}) than the configured one was not followed`,
      });
    const cost = req.cost ?? options.governor?.costOf(method, path) ?? 1;
    const timeoutMs = req.timeoutMs ?? options.timeoutMs;
    const formPairs: Array<readonly [string, string]> | undefined =
      req.form === undefined ? undefined : Array.isArray(req.form) ? [...req.form] : Object.entries(req.form);
    const body =
      formPairs !== undefined
        ? new URLSearchParams(formPairs.map(([k, v]) => [k, v])).toString()
        : req.body === undefined
          ? undefined
          : JSON.stringify(req.body);

    let failures = 0;
    let refreshes = 0;
    const callStarted = clock.now();

    for (;;) {
      if (options.governor) {
        const spent = clock.now() - callStarted;
        await options.governor.beforeRequest(cost, {
          maxWaitMs: Math.max(0, rateBudgetMs - spent),
          signal: req.signal,
        });
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...options.headers,
        ...(formPairs !== undefined
          ? { 'content-type': 'application/x-www-form-urlencoded' }
          : body !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
        ...req.headers,
      };
      // The work this call is part of (observability/context.ts), so the remote's logs can be matched to ours.
      const correlationId = currentLogContext()?.correlationId;
      if (correlationId !== undefined) headers['x-correlation-id'] = correlationId;
      if (options.authorize) {
        Object.assign(headers, await options.authorize({ method, url, form: formPairs, body }));
      }

      // A timer cleared when the call ends, not AbortSignal.timeout: a timeout signal keeps its abort listeners (and
      // the call's state they hold) until it fires, long after the call; a bulk export makes thousands of calls.
      const timeout = new AbortController();
      const timer = setTimeout(
        () => timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
        timeoutMs,
      ).unref();
      const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
      const started = clock.now();
      let status = 0;
      let responseHeaders = new Headers();
      let text: string;
      try {
        const response = await doFetch(url, { method, headers, body, signal, redirect: 'manual' });
        status = response.status;
        responseHeaders = response.headers;
        text = await response.text();
      } catch (error) {
        await options.governor?.afterResponse({ status: 0, headers: new Headers(), cost });
        if (req.signal?.aborted) throw req.signal.reason ?? error;
        const timedOut = timeout.signal.aborted;
        const ms = clock.now() - started;
        options.logger?.warn(
          { event: 'http.call', vendor, method, host, path, status: timedOut ? 'timeout' : 'network', ms },
          `${vendor} ${method} ${path} ${timedOut ? 'timed out' : 'failed'}`,
        );
        const failure = new RemoteUnavailable({
          ...info,
          reason: timedOut ? 'timeout' : 'network',
          detail: timedOut ? undefined : networkDetail(error),
          cause: timedOut ? undefined : error,
        });
        if (idempotent && failures + 1 < options.retry.attempts) {
          await clock.sleep(backoffMs(options.retry, failures, random), req.signal);
          failures += 1;
          continue;
        }
        throw failure;
      } finally {
        clearTimeout(timer);
      }
      const ms = clock.now() - started;
      const retryAt = await options.governor?.afterResponse({ status, headers: responseHeaders, cost });
      (status >= 400 ? options.logger?.warn : options.logger?.info)?.call(
        options.logger,
        { event: 'http.call', vendor, method, host, path, status, ms },
        `${vendor} ${method} ${path} ${status}`,
      );

      if (status === 429) {
        const now = clock.now();
        const at = retryAt ?? parseRetryAfter(responseHeaders.get('retry-after'), now) ?? now + 1000;
        if (at - callStarted <= rateBudgetMs) {
          await clock.sleep(Math.max(0, at - now), req.signal);
          continue;
        }
        throw new RemoteRateLimited({ ...info, kind: options.kind, retryAt: at });
      }

      const parsed = parseBody(text);
      if (status === 401) {
        if (options.onUnauthorized && refreshes < MAX_REFRESHES_PER_REQUEST) {
          refreshes += 1;
          if (await options.onUnauthorized({ headers })) continue;
        }
        const described = parsed.json ? describeRemoteErrorBody(parsed.value) : { message: undefined };
        throw new RemoteAuthLost({ ...info, detail: described.message });
      }
      if (status >= 500) {
        const failure = new RemoteUnavailable({
          ...info,
          status,
          reason: 'server_error',
          detail: parsed.json ? describeRemoteErrorBody(parsed.value).message : snippet(text),
        });
        if (idempotent && failures + 1 < options.retry.attempts) {
          await clock.sleep(backoffMs(options.retry, failures, random), req.signal);
          failures += 1;
          continue;
        }
        throw failure;
      }
      if (status >= 400 || (status >= 300 && status !== 304)) {
        const described = parsed.json ? describeRemoteErrorBody(parsed.value) : { message: undefined, code: undefined };
        throw new RemoteRejected({
          ...info,
          status,
          vendorMessage: described.message ?? (snippet(text) || `HTTP ${status}`),
          vendorCode: described.code,
          body: parsed.json ? parsed.value : undefined,
        });
      }
      if (!parsed.json) {
        throw new RemoteContractBroken({ ...info, fieldPath: '(body)', problem: `not JSON: ${snippet(text)}` });
      }
      const result = req.schema.safeParse(parsed.value);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new RemoteContractBroken({
          ...info,
          fieldPath: formatFieldPath(issue?.path ?? []),
          problem: issue?.message ?? 'invalid',
          issues: result.error.issues.map((i) => ({ fieldPath: formatFieldPath(i.path), problem: i.message })),
          cause: result.error,
        });
      }
      return { status, headers: responseHeaders, data: result.data };
    }
  }

  return {
    name: vendor,
    baseUrl: options.baseUrl,
    send,
    request: async (req) => (await send(req)).data,
  };
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function networkDetail(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = error.cause;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return error.message;
}
