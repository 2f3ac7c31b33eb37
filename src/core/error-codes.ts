/**
 * The error catalogue: every code the product answers, its HTTP status, whether another attempt may succeed
 * (where that is a property of the code, not of one failure), and what it means for the person who sees it.
 * Throw sites name a code (`new AppError('PLAN_DRIFTED', …)`), never a status: the HTTP answer, the OpenAPI
 * document and the CLI's exit code all read it from here, so they cannot disagree.
 *
 * The rule for a status: a person's mistake or a state they must change is 4xx (never 500); a remote system's
 * failure is 502 (it answered wrongly) or 503 (it did not answer, or asks us to wait); 500 is our own fault.
 * One code has one meaning: when the same words cover a user's mistake and a remote failure, they are two codes.
 *
 * Adding a code: add a line here (in its area), then throw it. `ErrorCode` is the union of these keys, so an
 * unknown code does not compile; src/core/error-codes.test.ts checks that every code in src/ is listed.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503;

export interface ErrorCodeEntry {
  readonly status: ErrorStatus;
  /** Set where every occurrence of the code is (or is not) worth another try; absent where each site decides. */
  readonly retryable?: boolean;
  /** What it means for the user, in one line. */
  readonly description: string;
}

export const errorCatalogue = {
  // Every request (the router, the one error handler, the middleware).
  INVALID_INPUT: { status: 400, description: 'A value in the request is missing or wrong; the details name it.' },
  INVALID_JSON: { status: 400, description: 'The request body is not JSON.' },
  HTTP_ERROR: { status: 400, description: 'The request was refused before it reached Tradeloop (malformed HTTP).' },
  AUTH_REQUIRED: { status: 401, description: 'Sign in, or send an API token.' },
  CSRF_TOKEN_INVALID: { status: 403, description: 'A change needs the CSRF token from /api/auth/me.' },
  NOT_FOUND: { status: 404, description: 'Nothing with that id exists in this organization.' },
  BODY_TOO_LARGE: { status: 413, description: 'The request body is larger than the endpoint accepts.' },
  INTERNAL: { status: 500, description: 'Something went wrong on our side; it was logged with the request id.' },
  STORE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description: 'The database cannot be reached or refuses writes; nothing changed, try again shortly.',
  },

  // Sign-in, users, the metrics endpoint.
  LOGIN_FAILED: { status: 401, description: 'The email or the password is wrong.' },
  CROSS_SITE_REQUEST: { status: 403, description: 'Sign-in from another site is refused.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'Sign in with a JSON body.' },
  LOGIN_THROTTLED: { status: 429, retryable: true, description: 'Too many failed sign-ins; wait before trying again.' },
  EMAIL_INVALID: { status: 400, description: 'That is not an email address.' },
  PASSWORD_TOO_SHORT: { status: 400, description: 'The password is too short.' },
  PASSWORD_TOO_LONG: { status: 400, description: 'The password is too long.' },
  PASSWORD_TOO_COMMON: { status: 400, description: 'The password is too common or too close to the email.' },
  USER_EXISTS: { status: 409, description: 'A user with that email already exists.' },
  METRICS_TOKEN_REQUIRED: { status: 401, description: 'Send the metrics token to read /metrics.' },
  METRICS_FORBIDDEN: { status: 403, description: 'Metrics answer loopback clients only unless a token is set.' },

  // Remote systems (core/ports/errors.ts): what a call to NuORDER, Lightspeed or NetSuite may end with.
  REMOTE_REJECTED: { status: 502, retryable: false, description: 'The remote system refused the request.' },
  REMOTE_CONTRACT_BROKEN: {
    status: 502,
    retryable: false,
    description: 'The remote system answered in a shape we do not understand.',
  },
  REMOTE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description: 'The remote system did not answer; nothing was duplicated, try again later.',
  },
  POS_RATE_LIMITED: { status: 503, retryable: true, description: "The POS's rate budget is spent; the work waits." },
  REMOTE_RATE_LIMITED: {
    status: 503,
    retryable: true,
    description: "The remote system's rate budget is spent; the work waits.",
  },
  CONNECTION_NEEDS_RELINK: {
    status: 409,
    retryable: false,
    description: 'The remote system no longer accepts the connection: link the account again.',
  },

  // Linking accounts.
  PROVIDER_NOT_CONFIGURED: { status: 400, description: "This server has no OAuth client for that system's linking." },
  CONNECTION_INVALID: { status: 400, description: 'The connection named is not one Tradeloop can link.' },
  LINK_STATE_UNKNOWN: { status: 400, description: 'This linking attempt is unknown or used up; start again.' },
  LINK_STATE_EXPIRED: { status: 400, description: 'This linking attempt expired; start again.' },
  LINK_DECLINED: { status: 400, description: 'Access was not granted in the remote system.' },
  LINK_FAILED: { status: 400, description: 'The remote system refused the credentials given.' },
  LINK_REPLY_INCOMPLETE: {
    status: 502,
    description: 'The remote system granted access but did not say which account or store it is.',
  },
  RELINK_WRONG_ACCOUNT: {
    status: 409,
    description: 'The authorization is for a different account than this connection.',
  },
  NUORDER_NOT_APPROVED_YET: { status: 409, description: 'Approve Tradeloop in NuORDER first.' },
  NUORDER_RETAILER_LOCKED: { status: 409, description: 'This brand portal already imports another store.' },
  NUORDER_RETAILER_NOT_CHOSEN: {
    status: 409,
    description: 'Choose which store this NuORDER portal imports orders for.',
  },
  NETSUITE_LINK_FAILED: { status: 400, description: 'NetSuite did not accept the credentials given.' },
  CONNECTION_NOT_FOUND: { status: 404, description: 'No connection has that id or name.' },
  NOTHING_TO_CHECK: { status: 400, description: 'No linked connection to check: link an account first.' },

  // Plans and exports.
  LOCATION_UNKNOWN: { status: 400, description: 'The location is not one of this POS connection.' },
  LOCATION_ARCHIVED: { status: 400, description: 'The location is archived in the POS.' },
  ORDER_ALREADY_EXPORTED: { status: 409, description: 'An order of this plan was already exported to this POS.' },
  ORDER_CANCELLED: { status: 409, description: 'The order was cancelled in NuORDER and is not exported.' },
  AMENDMENT_DECIDED: { status: 409, description: 'The amendment was already accepted or dismissed.' },
  AMENDMENT_DRIFTED: {
    status: 409,
    description: 'The PO or the POS catalog changed since the amendment plan was shown; look at the new plan.',
  },
  AMENDMENT_NEEDS_REVIEW: { status: 409, description: 'Lines the amendment adds need a person before it is applied.' },
  AMENDMENT_NOT_APPLICABLE: { status: 409, description: 'The order has no exported purchase order to amend.' },
  AMENDMENT_REFUSED: {
    status: 409,
    description:
      'The purchase order can no longer take the change (received, closed); the message says what to do by hand.',
  },
  PLAN_NOT_DRAFT: { status: 409, description: 'Only a draft plan can be changed or exported.' },
  PLAN_DRIFTED: { status: 409, description: 'The POS catalog changed since the plan was made; review it again.' },
  PLAN_NEEDS_REVIEW: { status: 409, description: 'The plan has blockers to resolve before export.' },
  PLAN_ALREADY_APPLYING: { status: 409, description: 'The plan is being exported already.' },
  PLAN_ALREADY_APPLIED: { status: 409, description: 'The plan was exported already; each order is exported once.' },
  PLAN_SUPERSEDED: { status: 409, description: 'A fresher plan replaced this one; review the new plan.' },
  PLAN_ORDER_MISSING: { status: 409, description: 'An order of the plan no longer exists.' },
  EXPORT_NOT_FAILED: { status: 409, description: 'Only a failed export can be retried.' },
  SUPPLIER_AMBIGUOUS: { status: 409, description: "Several POS suppliers carry the brand's name; keep one." },
  POS_CURSOR_INVALID: { status: 500, description: 'A stored catalog position is unreadable (our fault).' },

  // The item-link ledger, merges, reorders (issue 15).
  NOTHING_TO_UNDO: { status: 409, description: 'The link has no change left to undo.' },
  REORDER_UNAVAILABLE: { status: 409, description: "The brand's connection cannot send new orders to NuORDER." },

  // Money and pricing.
  MONEY_INVALID: { status: 400, description: 'An amount, currency code or quantity is not valid.' },
  MONEY_OVERFLOW: { status: 400, description: 'An amount is too large to handle.' },
  MONEY_CURRENCY_MISMATCH: {
    status: 409,
    description: 'Amounts in two currencies meet (the order is not in the currency of the store).',
  },
  PRICING_POLICY_CONFLICT: {
    status: 409,
    description: 'Someone saved the pricing policy at the same time; try again.',
  },

  // Forecast.
  FORECAST_UNAVAILABLE: { status: 409, description: "The brand's connection cannot list its catalog." },
  NO_POS_CONNECTION: { status: 409, description: 'Link a point of sale first.' },

  // Sales sync (NetSuite ↔ X-Series).
  SALES_RULES_INVALID: { status: 400, description: 'The rule set given does not validate; the details list why.' },
  SALES_RULES_OUTDATED: {
    status: 409,
    description: 'The saved rule set no longer fits (it does not validate, or misses a status); save it again.',
  },
  SALES_NOT_CONNECTED: { status: 409, description: 'Link both NetSuite and X-Series first.' },
  SALES_ALREADY_DONE: { status: 409, description: 'This one is completed; there is nothing to retry.' },
  SALES_NO_CUSTOMER: { status: 409, description: 'Choose the NetSuite customer POS sales are recorded against.' },
  SALES_ITEM_UNMAPPED: { status: 409, description: 'A product on the sale has no counterpart in the other system.' },
  SALES_OUTLET_UNMAPPED: { status: 409, description: 'The sale is from an outlet with no mapping.' },
  SALES_NOTHING_TO_IMPORT: { status: 409, description: 'The sale has no lines to import.' },
  SALES_FULFIL_NO_LOCATION: { status: 409, description: 'A line has no location to fulfil from.' },
  SALES_ORDER_BLOCKED: { status: 409, description: 'The order cannot be sent yet; the message says what to fix.' },
  SALES_ORDER_MISSING: { status: 409, description: 'The NetSuite sales order no longer exists.' },
  SALES_SALE_MISSING: { status: 502, description: 'X-Series does not return a sale it recorded.' },
  SALES_STATUS_MISMATCH: { status: 502, description: 'X-Series recorded the sale with another status than asked.' },
  SALES_STEP_UNKNOWN: { status: 500, description: 'A synced order names a step we do not know (our fault).' },

  // Command line, backups, the vault, the server's own setup.
  CANCELLED: { status: 400, description: 'Cancelled at the prompt; nothing was done.' },
  CONFIRMATION_NEEDED: { status: 400, description: 'Not a terminal: confirm with --yes.' },
  PASSWORD_MISMATCH: { status: 400, description: 'The two passwords typed differ.' },
  PASSWORD_MISSING: { status: 400, description: 'No password was given.' },
  PASSWORD_ON_COMMAND_LINE: { status: 400, description: 'Passwords are not taken as a command-line argument.' },
  ORG_AMBIGUOUS: { status: 400, description: 'Several organizations exist: choose one.' },
  ORG_NOT_FOUND: { status: 404, description: 'No organization has that id or name.' },
  USER_NOT_FOUND: { status: 404, description: 'No user has that email.' },
  JOB_NOT_FOUND: { status: 404, description: 'No job with that id can be retried or cancelled.' },
  PROFILE_INVALID: { status: 400, description: 'The CLI profile file is unreadable.' },
  USE_PG_TOOLS: { status: 400, description: "On PostgreSQL, back up and restore with PostgreSQL's own tools." },
  NO_DATABASE: { status: 404, description: 'There is no database file to back up.' },
  DATABASE_EXISTS: { status: 409, description: 'A database is already there; add --replace to restore over it.' },
  BACKUP_EXISTS: { status: 409, description: 'A file with the backup name exists already.' },
  BACKUP_NOT_FOUND: { status: 404, description: 'There is no backup file at that path.' },
  BACKUP_TOO_NEW: { status: 409, description: 'The backup comes from a newer Tradeloop; upgrade first.' },
  NOT_A_BACKUP: { status: 400, description: 'The file is not a Tradeloop backup.' },
  VAULT_KEY_INVALID: { status: 500, description: "The server's secret key is malformed (its setup)." },
  VAULT_KEY_MISSING: { status: 500, description: 'A credential was sealed with a key the server no longer has.' },
  VAULT_CORRUPT: { status: 500, description: 'A stored credential is damaged.' },
  WEB_NOT_BUILT: { status: 500, description: 'The web app is not built on this server.' },
} as const satisfies Record<string, ErrorCodeEntry>;

/** Every code the product answers: a code outside the catalogue is a compile error at the throw site. */
export type ErrorCode = keyof typeof errorCatalogue;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorCatalogue, code);

/** The typed path for a code that arrives as text (from a table, a config): unknown text is refused loudly. */
export function errorCode(code: string): ErrorCode {
  if (!isErrorCode(code)) throw new Error(`${code} is not in the error catalogue (src/core/error-codes.ts)`);
  return code;
}

export const errorStatus = (code: ErrorCode): ErrorStatus => errorCatalogue[code].status;

/** The code's own retryability, or undefined where each throw site decides. */
export const codeRetryable = (code: ErrorCode): boolean | undefined =>
  (errorCatalogue[code] as ErrorCodeEntry).retryable;
