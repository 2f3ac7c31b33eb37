import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { errorStatus } from '../core/error-codes.ts';
import type { Logger } from '../logger.ts';
import { isConnectionLost, isStorageUnwritable } from '../store/db.ts';
import { BadJsonError } from './api-router.ts';
import type { HttpEnv } from './env.ts';

/**
 * The one place errors become HTTP answers. A user's mistake gets a 4xx naming what is wrong; anything
 * unexpected is logged with the request id and answered with a generic 500 — never a stack trace. Every
 * status comes from the error catalogue (core/error-codes.ts) by the answer's code.
 */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context<HttpEnv>): Response => {
    const requestId = c.get('requestId');
    if (error instanceof z.ZodError) {
      return c.json(
        {
          error: {
            code: 'INVALID_INPUT',
            message: `Invalid request: ${error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
            details: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
            requestId,
          },
        },
        errorStatus('INVALID_INPUT'),
      );
    }
    if (error instanceof BadJsonError) {
      return c.json(
        { error: { code: 'INVALID_JSON', message: error.message, requestId } },
        errorStatus('INVALID_JSON'),
      );
    }
    if (error instanceof AppError) {
      const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') c.header('retry-after', String(retryAfter));
      const answer = errorStatus(error.code);
      if (answer >= 500) logger.error({ err: error, requestId, code: error.code }, 'request failed');
      return c.json(
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details }),
            requestId,
          },
        },
        answer,
      );
    }
    // The database, not the request, is the problem: say so, and when to try again.
    if (isConnectionLost(error) || isStorageUnwritable(error)) {
      logger.error({ err: error, requestId, method: c.req.method, path: c.req.path }, 'store unavailable');
      c.header('retry-after', '5');
      const message = isStorageUnwritable(error)
        ? 'The server cannot save data right now (its storage refuses writes). Nothing was changed; try again later.'
        : 'The database is unreachable right now. Try again in a few seconds.';
      return c.json({ error: { code: 'STORE_UNAVAILABLE', message, requestId } }, errorStatus('STORE_UNAVAILABLE'));
    }
    // Hono's own refusals (none of our middleware throws them today): one code, one status; a 5xx is ours.
    if (error instanceof HTTPException && error.status < 500) {
      return c.json({ error: { code: 'HTTP_ERROR', message: error.message, requestId } }, errorStatus('HTTP_ERROR'));
    }
    logger.error({ err: error, requestId, method: c.req.method, path: c.req.path }, 'unexpected error');
    return c.json(
      { error: { code: 'INTERNAL', message: 'Something went wrong on our side. The error was logged.', requestId } },
      errorStatus('INTERNAL'),
    );
  };
}

export function notFoundHandler(c: Context<HttpEnv>): Response {
  return c.json(
    {
      error: {
        code: 'NOT_FOUND',
        message: `No route for ${c.req.method} ${c.req.path}`,
        requestId: c.get('requestId'),
      },
    },
    errorStatus('NOT_FOUND'),
  );
}
