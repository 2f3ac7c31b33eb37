/**
 * NetSuite's REST error body (reference/netsuite.md §3, a recorded 400):
 * `{"type": "...rfc2616-sec10.html#sec10.4.1", "title": "Bad Request", "status": 400,
 *   "o:errorDetails": [{"detail": "...", "o:errorPath": "entity", "o:errorCode": "FIELD_PARAM_REQD"}]}`.
 * Only the 400 shape is recorded; the other statuses use the same shape with their RFC 2616 section [I].
 */

const statusInfo: Record<number, { section: string; title: string }> = {
  400: { section: 'sec10.4.1', title: 'Bad Request' },
  401: { section: 'sec10.4.2', title: 'Unauthorized' },
  403: { section: 'sec10.4.4', title: 'Forbidden' },
  404: { section: 'sec10.4.5', title: 'Not Found' },
  405: { section: 'sec10.4.6', title: 'Method Not Allowed' },
  415: { section: 'sec10.4.16', title: 'Unsupported Media Type' },
  429: { section: 'sec10.4', title: 'Too Many Requests' },
  500: { section: 'sec10.5.1', title: 'Internal Server Error' },
  502: { section: 'sec10.5.3', title: 'Bad Gateway' },
  503: { section: 'sec10.5.4', title: 'Service Unavailable' },
  504: { section: 'sec10.5.5', title: 'Gateway Timeout' },
};

export interface NsErrorDetail {
  detail: string;
  'o:errorCode': string;
  'o:errorPath'?: string;
}

export function nsErrorBody(status: number, details: NsErrorDetail[]): Record<string, unknown> {
  const info = statusInfo[status] ?? { section: status >= 500 ? 'sec10.5' : 'sec10.4', title: 'Error' };
  return {
    type: `https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#${info.section}`,
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
  constructor(status: number, code: string, detail: string, path?: string) {
    super(detail);
    this.name = 'NsError';
    this.status = status;
    this.code = code;
    this.path = path;
  }

  body(): Record<string, unknown> {
    return nsErrorBody(this.status, [
      { detail: this.message, 'o:errorCode': this.code, ...(this.path ? { 'o:errorPath': this.path } : {}) },
    ]);
  }
}

export const invalidLoginDetail =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

export const notFound = (): NsError =>
  new NsError(404, 'NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.');

export const badRef = (field: string, path = field): NsError =>
  new NsError(
    400,
    'INVALID_KEY_OR_REF',
    `Invalid value for the resource or sub-resource field '${field}'. Provide a valid value.`,
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
