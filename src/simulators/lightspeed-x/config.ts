import { z } from 'zod';

export interface OAuthClient {
  client_id: string;
  client_secret: string;
  /** Registered redirect URIs; empty means any http(s) URI is accepted (convenient for local tests). */
  redirect_uris: string[];
}

export interface XConfig {
  /** Register count used for the rate limit; null: the store's live registers. */
  registers: number | null;
  rateLimit: {
    enabled: boolean;
    perRegister: number;
    base: number;
    windowSeconds: number;
    /** A fixed limit instead of perRegister × registers + base. */
    limit: number | null;
  };
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  /** From 2026-06-01 a scope is required on /connect (§1); the simulator requires it unless turned off. */
  requireScope: boolean;
  clients: OAuthClient[];
  /** Spec 1 answers GET /consignments with a bare array; "data" wraps it like every other 2.0 list. */
  consignmentListEnvelope: 'array' | 'data';
  webhookTimeoutMs: number;
  /** POST /api/2.1/products answers the new product (`{"data": {...}}`), or `{}` as Postman's only example. */
  addVariantReply: 'product' | 'empty';
}

export const defaultClient: OAuthClient = {
  client_id: 'tradeloop-dev',
  client_secret: 'tradeloop-dev-secret',
  redirect_uris: [],
};

export function defaultConfig(): XConfig {
  return {
    registers: null,
    rateLimit: { enabled: true, perRegister: 300, base: 50, windowSeconds: 300, limit: null },
    accessTokenTtlSeconds: 86_400,
    codeTtlSeconds: 600,
    requireScope: true,
    clients: [{ ...defaultClient }],
    consignmentListEnvelope: 'array',
    webhookTimeoutMs: 5000,
    addVariantReply: 'product',
  };
}

export const configPatch = z
  .object({
    registers: z.number().int().min(1).nullable(),
    rateLimit: z
      .object({
        enabled: z.boolean(),
        perRegister: z.number().int().min(0),
        base: z.number().int().min(0),
        windowSeconds: z.number().int().min(1),
        limit: z.number().int().min(1).nullable(),
      })
      .partial(),
    accessTokenTtlSeconds: z.number().int().min(1),
    codeTtlSeconds: z.number().int().min(1),
    requireScope: z.boolean(),
    clients: z
      .array(
        z.object({
          client_id: z.string().min(1),
          client_secret: z.string().min(1),
          redirect_uris: z.array(z.string()).default([]),
        }),
      )
      .min(1),
    consignmentListEnvelope: z.enum(['array', 'data']),
    webhookTimeoutMs: z.number().int().min(1),
    addVariantReply: z.enum(['product', 'empty']),
  })
  .partial()
  .strict();

export function applyConfig(config: XConfig, patch: z.output<typeof configPatch>): XConfig {
  return {
    ...config,
    ...patch,
    rateLimit: { ...config.rateLimit, ...(patch.rateLimit ?? {}) },
    clients: patch.clients ?? config.clients,
  };
}
