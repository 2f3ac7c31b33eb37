import type { ErrorCode } from '../core/error-codes.ts';

/**
 * The HTTP side of the error catalogue (core/error-codes.ts), which alone maps a code to its status: the OpenAPI
 * document (api-router.ts `errors`) and the answers (errors.ts) both read it, so they cannot disagree.
 */
export { errorStatus } from '../core/error-codes.ts';

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
] as const satisfies readonly ErrorCode[];
