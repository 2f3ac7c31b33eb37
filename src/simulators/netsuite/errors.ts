/**
 * NetSuite's REST error body (reference/netsuite.md §3, a recorded 400; Oracle's "Error Handling in REST Web
 * Services", section_156570709583, for 400 and 401):
 * `{"type": "...rfc2616-sec10.html#sec10.4.1", "title": "Bad Request", "status": 400,
 *   "o:errorDetails": [{"detail": "...", "o:errorPath": "entity", "o:errorCode": "FIELD_PARAM_REQD"}]}`.
 * Oracle's 401 example has no `#section` in `type`; the 429 is "Bad Request" with no section either ([2nd]: a
 * third-party note, `{"title":"Bad Request","status":429,…CONCURRENCY_LIMIT_EXCEEDED}`). The other statuses use the
 * same shape with their RFC 2616 section [I]. Newer accounts were seen sending an RFC 9110 `type` URL instead
 * ([2nd]); clients must not depend on `type`.
 */

const statusInfo: Record<number, { section: string; title: string }> = {
  400: { section: 'sec10.4.1', title: 'Bad Request' },
  401: { section: '', title: 'Unauthorized' },
  403: { section: 'sec10.4.4', title: 'Forbidden' },
  404: { section: 'sec10.4.5', title: 'Not Found' },
  405: { section: 'sec10.4.6', title: 'Method Not Allowed' },
  415: { section: 'sec10.4.16', title: 'Unsupported Media Type' },
  429: { section: '', title: 'Bad Request' },
  500: { section: 'sec10.5.1', title: 'Internal Server Error' },
  502: { section: 'sec10.5.3', title: 'Bad Gateway' },
  503: { section: 'sec10.5.4', title: 'Service Unavailable' },
  504: { section: 'sec10.5.5', title: 'Gateway Timeout' },
};

export interface NsErrorDetail {
  detail: string;
  'o:errorCode': string;
  'o:errorPath'?: string;
  'o:errorQueryParam'?: string;
  'o:errorHeader'?: string;
}

export function nsErrorBody(status: number, details: NsErrorDetail[]): Record<string, unknown> {
  const info = statusInfo[status] ?? { section: status >= 500 ? 'sec10.5' : 'sec10.4', title: 'Error' };
  return {
    type: `https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html${info.section ? `#${info.section}` : ''}`,
    title: info.title,
    status,
    'o:errorDetails': details,
  };
}

/** A refusal to answer with NetSuite's error body; thrown from domain code, turned into a response by the routes. */
export class NsError extends Error {
  readonly status: number;
  readonly code: string;
  readonly path: string | undefined;
  /** Where else the error points: `o:errorQueryParam`, `o:errorHeader` (section_156570709583). */
  readonly extra: Partial<Pick<NsErrorDetail, 'o:errorQueryParam' | 'o:errorHeader'>>;
  constructor(
    status: number,
    code: string,
    detail: string,
    path?: string,
    extra: Partial<Pick<NsErrorDetail, 'o:errorQueryParam' | 'o:errorHeader'>> = {},
  ) {
    super(detail);
    this.name = 'NsError';
    this.status = status;
    this.code = code;
    this.path = path;
    this.extra = extra;
  }

  body(): Record<string, unknown> {
    return nsErrorBody(this.status, [
      {
        detail: this.message,
        ...(this.path ? { 'o:errorPath': this.path } : {}),
        ...this.extra,
        'o:errorCode': this.code,
      },
    ]);
  }
}

export const invalidLoginDetail =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

export const notFound = (): NsError =>
  new NsError(404, 'NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.');

/**
 * A reference to a record the account does not have (an unknown id, external id or refName): Oracle's documented
 * answer to `"item": {"id": 9999}` (section_156570709583): 400 INVALID_CONTENT "Error while accessing resource: You
 * have entered an Invalid Field Value 9999 for the following field: item" with `o:errorPath`. The same answer to a
 * refName-only or external-id reference is [I].
 */
export const badRef = (field: string, path: string, shown: string): NsError =>
  new NsError(
    400,
    'INVALID_CONTENT',
    `Error while accessing resource: You have entered an Invalid Field Value ${shown} for the following field: ${field}`,
    path,
  );

export const required = (field: string, path = field): NsError =>
  new NsError(400, 'FIELD_PARAM_REQD', `Please enter a value for [${field}]`, path);

/** NetSuite's answer to a value a field does not take; `shown` is the value as NetSuite prints it. */
export const invalidValue = (shown: string | number, field: string, path = field): NsError =>
  new NsError(
    400,
    'INVALID_FLD_VALUE',
    `You have entered an Invalid Field Value ${shown} for the following field: ${field}`,
    path,
  );

export const userError = (detail: string, path?: string): NsError => new NsError(400, 'USER_ERROR', detail, path);
