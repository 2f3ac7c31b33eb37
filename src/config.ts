import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The one configuration, read from environment variables (and optionally a JSON file named by
 * TRADELOOP_CONFIG_FILE, whose keys are the same variable names; the environment wins), parsed once.
 * A wrong value stops start-up with a message naming the variable and what is allowed.
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TRADELOOP_DATA_DIR: z.string().min(1).default('data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.string().url('must be a full URL such as http://localhost:3000').optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  TRADELOOP_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  TRADELOOP_PREVIOUS_SECRET_KEYS: z.string().optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  EXPORTS_PER_WORKER: z.coerce.number().int().min(1).max(64).default(2),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 90)
    .default(30),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0'], 'must be true or false').default('false'),
  REQUEST_BODY_LIMIT_KB: z.coerce
    .number()
    .int()
    .min(16)
    .max(1024 * 1024)
    .default(1024),
  SIMULATOR_BASE_PORT: z.coerce.number().int().min(1024).max(65000).default(4100),
  ORDER_POLL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  NUORDER_BASE_URL: z.string().url().default('https://next.nuorder.com'),
  LIGHTSPEED_X_BASE_URL: z.string().url().optional(),
  LIGHTSPEED_X_CLIENT_ID: z.string().min(1).optional(),
  LIGHTSPEED_X_CLIENT_SECRET: z.string().min(1).optional(),
  LIGHTSPEED_R_BASE_URL: z.string().url().optional(),
  LIGHTSPEED_R_CLIENT_ID: z.string().min(1).optional(),
  LIGHTSPEED_R_CLIENT_SECRET: z.string().min(1).optional(),
  NETSUITE_BASE_URL: z.string().url().optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type EnvConfig = z.output<typeof envSchema>;

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  sqliteFile: string;
  port: number;
  host: string;
  publicUrl: string;
  logLevel: (typeof logLevels)[number];
  secretKey: string | undefined;
  previousSecretKeys: string[];
  workerConcurrency: number;
  /** Exports one worker process runs at once, within workerConcurrency (a bulk export holds its plan in memory). */
  exportsPerWorker: number;
  sessionTtlMs: number;
  /** A session unused for this long is signed out (besides its absolute sessionTtlMs). */
  sessionIdleMs: number;
  /** Behind a reverse proxy: take the client address from the last X-Forwarded-For entry. */
  trustProxy: boolean;
  /** Largest request body accepted by default (login has its own, smaller limit). */
  bodyLimitBytes: number;
  simulatorBasePort: number;
  orderPollMs: number;
  /** Bearer token for GET /metrics from other machines; unset = loopback only. */
  metricsToken: string | undefined;
  providers: Providers;
}

/**
 * Where the external systems are. Unset base URLs mean the real services; `--demo` points them all at
 * the bundled simulators.
 */
export interface Providers {
  nuorder: { baseUrl: string };
  lightspeedX: { baseUrl: string | null; clientId: string | null; clientSecret: string | null };
  lightspeedR: { baseUrl: string | null; clientId: string | null; clientSecret: string | null };
  netsuite: { baseUrl: string | null };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const fromFile = readConfigFile(env.TRADELOOP_CONFIG_FILE);
  const merged = { ...fromFile, ...stripEmpty(env) };
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(config)';
      const given = name in merged ? ` (got ${JSON.stringify(redactIfSecret(name, merged[name]))})` : '';
      return `  ${name}: ${issue.message}${given}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.TRADELOOP_DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir,
    sqliteFile: resolve(dataDir, 'tradeloop.db'),
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    secretKey: e.TRADELOOP_SECRET_KEY,
    previousSecretKeys: (e.TRADELOOP_PREVIOUS_SECRET_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    workerConcurrency: e.WORKER_CONCURRENCY,
    exportsPerWorker: e.EXPORTS_PER_WORKER,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    bodyLimitBytes: e.REQUEST_BODY_LIMIT_KB * 1024,
    simulatorBasePort: e.SIMULATOR_BASE_PORT,
    orderPollMs: e.ORDER_POLL_SECONDS * 1000,
    metricsToken: e.METRICS_TOKEN,
    providers: {
      nuorder: { baseUrl: e.NUORDER_BASE_URL },
      lightspeedX: {
        baseUrl: e.LIGHTSPEED_X_BASE_URL ?? null,
        clientId: e.LIGHTSPEED_X_CLIENT_ID ?? null,
        clientSecret: e.LIGHTSPEED_X_CLIENT_SECRET ?? null,
      },
      lightspeedR: {
        baseUrl: e.LIGHTSPEED_R_BASE_URL ?? null,
        clientId: e.LIGHTSPEED_R_CLIENT_ID ?? null,
        clientSecret: e.LIGHTSPEED_R_CLIENT_SECRET ?? null,
      },
      netsuite: { baseUrl: e.NETSUITE_BASE_URL ?? null },
    },
    ...overrides,
  };
}

function readConfigFile(file: string | undefined): Record<string, string> {
  if (!file) return {};
  if (!existsSync(file)) throw new ConfigError(`TRADELOOP_CONFIG_FILE: no file at ${file}`);
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch (error) {
    throw new ConfigError(
      `TRADELOOP_CONFIG_FILE: ${file} is not a JSON object of settings (${(error as Error).message})`,
    );
  }
}

/** An empty variable means "not set", as shells and .env files usually intend. */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

function redactIfSecret(name: string, value: unknown): unknown {
  return /KEY|SECRET|PASSWORD|TOKEN|URL/.test(name) ? '[redacted]' : value;
}

/** The README's configuration table; test/docs/readme.test.ts checks that the two agree. */
export const configDocs: Array<{ variable: string; default: string; meaning: string }> = [
  {
    variable: 'DATABASE_URL',
    default: '(unset: SQLite)',
    meaning: 'PostgreSQL URL; unset = embedded SQLite file `data/tradeloop.db`',
  },
  {
    variable: 'TRADELOOP_DATA_DIR',
    default: 'data',
    meaning: 'where the SQLite file, the generated secret key and simulator snapshots live',
  },
  { variable: 'PORT', default: '3000', meaning: 'HTTP port of the API and web app' },
  { variable: 'HOST', default: '127.0.0.1', meaning: 'interface to listen on (0.0.0.0 to expose)' },
  {
    variable: 'PUBLIC_URL',
    default: 'http://HOST:PORT',
    meaning: 'the URL people reach Tradeloop at (OAuth callbacks, links)',
  },
  { variable: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent' },
  {
    variable: 'TRADELOOP_SECRET_KEY',
    default: '(generated)',
    meaning:
      '32 bytes base64 that encrypt stored credentials; unset = generated on first start into `data/secret.key` (mode 0600)',
  },
  {
    variable: 'TRADELOOP_PREVIOUS_SECRET_KEYS',
    default: '(none)',
    meaning: 'comma-separated older keys, still accepted for decryption while credentials are re-encrypted',
  },
  { variable: 'WORKER_CONCURRENCY', default: '4', meaning: 'jobs one worker process runs at once' },
  {
    variable: 'EXPORTS_PER_WORKER',
    default: '2',
    meaning:
      'purchase-order exports one worker process runs at once (of WORKER_CONCURRENCY; a 10,000-line export holds ~250 MB); more workers run more',
  },
  { variable: 'SESSION_TTL_HOURS', default: '168', meaning: 'how long a web session lasts at most' },
  {
    variable: 'SESSION_IDLE_MINUTES',
    default: '30',
    meaning: 'a web session unused for this long is signed out',
  },
  {
    variable: 'TRUST_PROXY',
    default: 'false',
    meaning: 'true behind a reverse proxy: the client address (sign-in throttling) is the last `X-Forwarded-For` entry',
  },
  {
    variable: 'REQUEST_BODY_LIMIT_KB',
    default: '1024',
    meaning: 'largest request body accepted (sign-in accepts 16 KB); larger ones get 413',
  },
  {
    variable: 'SIMULATOR_BASE_PORT',
    default: '4100',
    meaning: 'with `--demo`, the simulators listen on this port and the next three',
  },
  {
    variable: 'ORDER_POLL_SECONDS',
    default: '300',
    meaning: 'how often approved orders are pulled from each NuORDER connection',
  },
  {
    variable: 'NUORDER_BASE_URL',
    default: 'https://next.nuorder.com',
    meaning: 'NuORDER API host (the sandbox is https://wholesale.sandbox1.nuorder.com)',
  },
  {
    variable: 'LIGHTSPEED_X_CLIENT_ID',
    default: '(none)',
    meaning: "your X-Series app's OAuth client id (needed to link X-Series stores)",
  },
  { variable: 'LIGHTSPEED_X_CLIENT_SECRET', default: '(none)', meaning: 'its client secret' },
  {
    variable: 'LIGHTSPEED_X_BASE_URL',
    default: '(real hosts)',
    meaning: 'send every X-Series call to this origin instead (a simulator)',
  },
  {
    variable: 'LIGHTSPEED_R_CLIENT_ID',
    default: '(none)',
    meaning: "your R-Series app's OAuth client id (needed to link R-Series accounts)",
  },
  { variable: 'LIGHTSPEED_R_CLIENT_SECRET', default: '(none)', meaning: 'its client secret' },
  {
    variable: 'LIGHTSPEED_R_BASE_URL',
    default: '(real hosts)',
    meaning: 'send every R-Series call to this origin instead (a simulator)',
  },
  {
    variable: 'NETSUITE_BASE_URL',
    default: '(real hosts)',
    meaning: 'send every NetSuite call to this origin instead (a simulator)',
  },
  {
    variable: 'TRADELOOP_CONFIG_FILE',
    default: '(none)',
    meaning: 'optional JSON file with any of these settings; the environment wins',
  },
];
