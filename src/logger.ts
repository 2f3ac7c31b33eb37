import { pino, type Logger } from 'pino';
import { currentLogContext } from './observability/context.ts';

export type { Logger };

/** Paths that may carry a secret anywhere in a log record; pino replaces them before anything is written. */
export const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'tokenSecret',
  '*.tokenSecret',
  'consumerSecret',
  '*.consumerSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'cookie',
  '*.cookie',
];

/**
 * Every line written inside a log context (observability/context.ts: an HTTP request, a job) carries its
 * correlation id, tenant and job, so one request can be followed through its job to the outside calls.
 */
function contextFields(): object {
  const context = currentLogContext();
  if (!context) return {};
  const fields: Record<string, string> = { correlationId: context.correlationId };
  if (context.tenantId !== undefined) fields['tenantId'] = context.tenantId;
  if (context.jobId !== undefined) fields['jobId'] = context.jobId;
  if (context.task !== undefined) fields['task'] = context.task;
  return fields;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { app: 'tradeloop' },
    mixin: contextFields,
  };
  return destination ? pino(options, destination as unknown as pino.DestinationStream) : pino(options);
}
