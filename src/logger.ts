import { pino, type Logger } from 'pino';

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

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { app: 'tradeloop' } };
  return destination ? pino(options, destination as unknown as pino.DestinationStream) : pino(options);
}
