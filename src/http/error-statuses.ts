/**
 * The HTTP status of each error code a route may declare (api-router.ts `errors`), for the OpenAPI document.
 * The answers themselves take their status from the error that was thrown; the contract test
 * (test/http/contract.test.ts) checks that both agree for every reply it sees.
 */
const statuses: Readonly<Record<string, number>> = {
  // Every route of a kind (api-router.ts routeErrors) and the one error handler (errors.ts).
  INVALID_INPUT: 400,
  INVALID_JSON: 400,
  AUTH_REQUIRED: 401,
  CSRF_TOKEN_INVALID: 403,
  NOT_FOUND: 404,
  BODY_TOO_LARGE: 413,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  // Sign-in (security.ts, login-throttle.ts, auth.ts).
  LOGIN_FAILED: 401,
  CROSS_SITE_REQUEST: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LOGIN_THROTTLED: 429,
  // Remote systems (core/ports/errors.ts): what a route that calls one live may answer.
  REMOTE_REJECTED: 502,
  REMOTE_CONTRACT_BROKEN: 502,
  REMOTE_UNAVAILABLE: 503,
  POS_RATE_LIMITED: 503,
  REMOTE_RATE_LIMITED: 503,
  CONNECTION_NEEDS_RELINK: 409,
  // Linking.
  PROVIDER_NOT_CONFIGURED: 400,
  LINK_STATE_UNKNOWN: 400,
  LINK_STATE_EXPIRED: 400,
  LINK_DECLINED: 400,
  LINK_FAILED: 400,
  RELINK_WRONG_ACCOUNT: 409,
  NUORDER_NOT_APPROVED_YET: 409,
  NUORDER_RETAILER_LOCKED: 409,
  NETSUITE_LINK_FAILED: 400,
  // Plans and exports.
  LOCATION_UNKNOWN: 400,
  LOCATION_ARCHIVED: 400,
  ORDER_ALREADY_EXPORTED: 409,
  ORDER_CANCELLED: 409,
  PLAN_NOT_DRAFT: 409,
  PLAN_DRIFTED: 409,
  PLAN_NEEDS_REVIEW: 409,
  PLAN_ALREADY_APPLYING: 409,
  PLAN_ALREADY_APPLIED: 409,
  PLAN_SUPERSEDED: 409,
  EXPORT_NOT_FAILED: 409,
  // Merchant settings, forecast.
  PRICING_POLICY_CONFLICT: 409,
  FORECAST_UNAVAILABLE: 409,
  NO_POS_CONNECTION: 409,
  // Users and tokens.
  USER_EXISTS: 409,
  // Sales sync.
  SALES_RULES_INVALID: 400,
  SALES_ALREADY_DONE: 409,
  SALES_NOT_CONNECTED: 409,
};

/**
 * What a route that calls a remote system while the request waits may answer besides its own codes (a route
 * that calls it through a linked connection also declares CONNECTION_NEEDS_RELINK).
 */
export const remoteErrors = [
  'REMOTE_REJECTED',
  'REMOTE_CONTRACT_BROKEN',
  'REMOTE_UNAVAILABLE',
  'POS_RATE_LIMITED',
  'REMOTE_RATE_LIMITED',
] as const;

export function errorStatus(code: string): number {
  const status = statuses[code];
  if (status === undefined) throw new Error(`Error code ${code} has no HTTP status (src/http/error-statuses.ts)`);
  return status;
}
