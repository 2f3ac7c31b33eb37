/**
 * NetSuite SuiteTalk REST over the shared transport, every request signed with Token-Based Authentication
 * (OAuth 1.0a, HMAC-SHA256, `realm` = the account id; reference netsuite.md §2.1). Reads (GET, SuiteQL) retry on
 * 5xx and timeouts; writes never do here: a write whose reply was lost throws `RemoteUnavailable` and the caller
 * looks its external id up before trying again.
 */
import { z } from 'zod';
import { RemoteContractBroken, RemoteRejected } from '../shared/errors.ts';
import { createHttpClient, type HttpClient, type HttpLogger, type RetryPolicy } from '../shared/http.ts';
import { oauth1Authorizer } from '../shared/oauth1.ts';
import type { Clock } from '../shared/rate-governor.ts';
import { recordMetadata } from './schemas.ts';

export const NETSUITE_VENDOR = 'netsuite';

export interface NetsuiteCredentials {
  /** As the realm shows it, e.g. `1234567_SB1`. */
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface NetsuiteClientOptions {
  /** Origin of the account's REST host; defaults to `https://<account>.suitetalk.api.netsuite.com`. */
  baseUrl?: string;
  credentials: NetsuiteCredentials;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** How long one call may wait for a 429 to clear before it throws RemoteRateLimited. */
  rateLimitWaitMs?: number;
  logger?: HttpLogger;
  fetch?: typeof fetch;
  clock?: Clock;
}

/** `1234567_SB1` → `https://1234567-sb1.suitetalk.api.netsuite.com` (§1). */
export function netsuiteOrigin(accountId: string): string {
  return `https://${accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;
}

/** `1234567-sb1` or `1234567_sb1` → the realm `1234567_SB1` (§1). */
export function netsuiteRealm(accountId: string): string {
  return accountId.toUpperCase().replace(/-/g, '_');
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseMs: 200, capMs: 2_000 };
const RECORD = '/services/rest/record/v1';
const SUITEQL = '/services/rest/query/v1/suiteql';

const anyRecord = z.record(z.string(), z.unknown());
const noBody = z.unknown();
const suiteqlPage = <R extends z.ZodType>(row: R) =>
  z.looseObject({
    items: z.array(row),
    hasMore: z.boolean(),
    totalResults: z.number().optional(),
    count: z.number().optional(),
    offset: z.number().optional(),
  });

export type NsRecord = Record<string, unknown>;
type AnyRecordSchema = typeof anyRecord;

export interface ReadOptions<S extends z.ZodType> {
  expand?: boolean;
  /** The record's shape (default: any JSON object). */
  schema?: S;
}

export interface NetsuiteClient {
  readonly http: HttpClient;
  readonly accountId: string;
  /** One page of a SuiteQL query, each row checked against `row`. */
  suiteql<R extends z.ZodType = AnyRecordSchema>(
    query: string,
    page?: { limit?: number; offset?: number },
    row?: R,
  ): Promise<{ items: Array<z.output<R>>; hasMore: boolean; totalResults: number }>;
  /** Every row of a query, page by page (at most `maxRows`). */
  suiteqlAll<R extends z.ZodType = AnyRecordSchema>(
    query: string,
    maxRows?: number,
    row?: R,
  ): Promise<Array<z.output<R>>>;
  get<S extends z.ZodType = AnyRecordSchema>(type: string, id: string, options?: ReadOptions<S>): Promise<z.output<S>>;
  /** By internal id or `eid:<externalId>`; undefined on 404. */
  find<S extends z.ZodType = AnyRecordSchema>(
    type: string,
    id: string,
    options?: ReadOptions<S>,
  ): Promise<z.output<S> | undefined>;
  /**
   * The custom fields the account defines on a record type (lower-case script ids), from the metadata catalog
   * (`GET …/metadata-catalog/{type}`, `Accept: application/schema+json`; Oracle section_1545129726).
   */
  customFields(type: string): Promise<Set<string>>;
  /** POST a new record; resolves with its internal id (from `Location`). */
  create(type: string, body: NsRecord): Promise<string>;
  patch(type: string, id: string, body: NsRecord): Promise<void>;
  /** `POST …/{type}/{id}/!transform/{target}`; resolves with the new record's internal id. */
  transform(type: string, id: string, target: string, body?: NsRecord): Promise<string>;
}

export function createNetsuiteClient(options: NetsuiteClientOptions): NetsuiteClient {
  const realm = netsuiteRealm(options.credentials.accountId);
  const clock = options.clock;
  const http = createHttpClient({
    baseUrl: (options.baseUrl ?? netsuiteOrigin(options.credentials.accountId)).replace(/\/+$/, ''),
    name: NETSUITE_VENDOR,
    kind: 'erp',
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: options.retry ?? DEFAULT_RETRY,
    rateLimitWaitMs: options.rateLimitWaitMs ?? 10_000,
    logger: options.logger,
    fetch: options.fetch,
    clock,
    authorize: oauth1Authorizer({
      credentials: {
        consumerKey: options.credentials.consumerKey,
        consumerSecret: options.credentials.consumerSecret,
        token: options.credentials.tokenId,
        tokenSecret: options.credentials.tokenSecret,
      },
      signatureMethod: 'HMAC-SHA256',
      realm,
      now: clock ? () => clock.now() : undefined,
    }),
  });

  const idFromLocation = (headers: Headers, method: string, path: string): string => {
    const location = headers.get('location') ?? '';
    const id = location.split('?')[0]?.split('/').pop() ?? '';
    if (!/^\d+$/.test(id)) {
      throw new RemoteContractBroken({
        vendor: NETSUITE_VENDOR,
        method,
        path,
        fieldPath: 'Location',
        problem: `no record id in "${location}"`,
      });
    }
    return id;
  };

  const suiteql = async <R extends z.ZodType = AnyRecordSchema>(
    query: string,
    page: { limit?: number; offset?: number } = {},
    row?: R,
  ): Promise<{ items: Array<z.output<R>>; hasMore: boolean; totalResults: number }> => {
    const data = await http.request({
      method: 'POST',
      path: SUITEQL,
      query: { limit: page.limit ?? 1000, offset: page.offset ?? 0 },
      headers: { prefer: 'transient' },
      body: { q: query },
      schema: suiteqlPage((row ?? anyRecord) as R),
      idempotent: true,
    });
    const items = data.items as Array<z.output<R>>;
    return { items, hasMore: data.hasMore, totalResults: data.totalResults ?? items.length };
  };

  const find = async <S extends z.ZodType = AnyRecordSchema>(
    type: string,
    id: string,
    opts: ReadOptions<S> = {},
  ): Promise<z.output<S> | undefined> => {
    try {
      return await http.request({
        method: 'GET',
        path: `${RECORD}/${type}/${encodeURIComponent(id).replace(/%3A/gi, ':')}`,
        query: opts.expand ? { expandSubResources: 'true' } : {},
        schema: (opts.schema ?? anyRecord) as S,
      });
    } catch (error) {
      if (error instanceof RemoteRejected && error.status === 404) return undefined;
      throw error;
    }
  };

  return {
    http,
    accountId: realm,
    suiteql,
    async suiteqlAll<R extends z.ZodType = AnyRecordSchema>(query: string, maxRows = 10_000, row?: R) {
      const rows: Array<z.output<R>> = [];
      for (let offset = 0; rows.length < maxRows;) {
        const page = await suiteql(query, { limit: Math.min(1000, maxRows - rows.length), offset }, row);
        rows.push(...page.items);
        if (!page.hasMore || page.items.length === 0) break;
        offset += page.items.length;
      }
      return rows;
    },
    async get<S extends z.ZodType = AnyRecordSchema>(type: string, id: string, opts: ReadOptions<S> = {}) {
      const found = await find(type, id, opts);
      if (!found) {
        throw new RemoteRejected({
          vendor: NETSUITE_VENDOR,
          method: 'GET',
          path: `${RECORD}/${type}/${id}`,
          status: 404,
          vendorMessage: `${type} ${id} does not exist`,
        });
      }
      return found;
    },
    find,
    async customFields(type) {
      const schema = await http.request({
        method: 'GET',
        path: `${RECORD}/metadata-catalog/${type.toLowerCase()}`,
        headers: { accept: 'application/schema+json' },
        schema: recordMetadata,
      });
      return new Set(
        Object.entries(schema.properties)
          .filter(([, p]) => p['x-ns-custom-field'] === true)
          .map(([name]) => name.toLowerCase()),
      );
    },
    async create(type, body) {
      const path = `${RECORD}/${type}`;
      const response = await http.send({ method: 'POST', path, body, schema: noBody });
      return idFromLocation(response.headers, 'POST', path);
    },
    async patch(type, id, body) {
      await http.send({ method: 'PATCH', path: `${RECORD}/${type}/${id}`, body, schema: noBody });
    },
    async transform(type, id, target, body = {}) {
      const path = `${RECORD}/${type}/${id}/!transform/${target}`;
      const response = await http.send({ method: 'POST', path, body, schema: noBody });
      return idFromLocation(response.headers, 'POST', path);
    },
  };
}

/** NetSuite's own error code (`o:errorDetails[0].o:errorCode`, e.g. `DUP_RCRD`) on a rejected call. */
export function netsuiteErrorCode(error: unknown): string | undefined {
  if (!(error instanceof RemoteRejected)) return undefined;
  const details = (error.body as { 'o:errorDetails'?: Array<{ 'o:errorCode'?: unknown }> } | undefined)?.[
    'o:errorDetails'
  ];
  const code = details?.[0]?.['o:errorCode'];
  return typeof code === 'string' ? code : undefined;
}

/** NetSuite's own message on a rejected call (`o:errorDetails[0].detail`). */
export function netsuiteErrorDetail(error: unknown): string | undefined {
  if (!(error instanceof RemoteRejected)) return undefined;
  const details = (error.body as { 'o:errorDetails'?: Array<{ detail?: unknown }> } | undefined)?.['o:errorDetails'];
  const detail = details?.[0]?.detail;
  return typeof detail === 'string' ? detail : undefined;
}

/** A SuiteQL string literal. */
export function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
