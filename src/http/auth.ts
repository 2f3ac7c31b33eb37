import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { hashToken, newSecretToken, verifyPassword, hashPassword } from '../auth/passwords.ts';
import { passwordProblem } from '../auth/password-policy.ts';
import { AppError, notFound } from '../core/errors.ts';
import { apiTokens, organizations, sessions, users } from '../store/repos/index.ts';
import type { ApiRouter } from './api-router.ts';
import { isoTime, pageFields, pageQuery, timestamp } from './schemas/common.ts';
import type { Caller, HttpEnv } from './env.ts';
import { beginAttempt, succeeded } from './login-throttle.ts';
import { clientAddress } from './security.ts';

export const sessionCookie = 'tl_session';
export const csrfHeader = 'x-csrf-token';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every route except the public ones needs a session cookie or an API token (`Authorization: Bearer`).
 * A state-changing request made with a session must also carry the session's CSRF token in a header,
 * which a cross-site form cannot set.
 */
export function requireCaller(ctx: AppContext, router: ApiRouter): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (router.isPublic(c.req.method, c.req.path)) return next();
    const caller = await identify(ctx, c);
    if (!caller) throw new AppError('AUTH_REQUIRED', 'Sign in or send an API token (Authorization: Bearer …)');
    if (caller.via === 'session' && unsafeMethods.has(c.req.method) && c.req.header(csrfHeader) !== caller.csrfToken) {
      throw new AppError(
        'CSRF_TOKEN_INVALID',
        `State-changing requests need the ${csrfHeader} header from /api/auth/me`,
      );
    }
    c.set('caller', caller);
    return next();
  };
}

async function identify(ctx: AppContext, c: Context<HttpEnv>): Promise<Caller | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (bearer) {
    const token = await apiTokens.findByHash(ctx.store.db, hashToken(bearer));
    if (!token) return undefined;
    await apiTokens.touch(ctx.store.db, token.tenantId, token.id, ctx.now());
    return { tenantId: token.tenantId, userId: token.userId, via: 'token' };
  }
  const cookie = getCookie(c, sessionCookie);
  if (!cookie) return undefined;
  const session = await sessions.findValid(ctx.store.db, hashToken(cookie), ctx.now(), ctx.config.sessionIdleMs);
  if (!session) return undefined;
  await sessions.touch(ctx.store.db, session.id, ctx.now());
  return {
    tenantId: session.tenantId,
    userId: session.userId,
    via: 'session',
    sessionId: session.id,
    csrfToken: session.csrfToken,
  };
}

const userView = z.object({ id: z.string(), email: z.string(), name: z.string() });
export const meView = z.object({
  user: userView,
  organization: z.object({ id: z.string(), name: z.string() }),
  csrfToken: z.string().nullable(),
});

export function registerAuthRoutes(ctx: AppContext, router: ApiRouter): void {
  router.route({
    method: 'post',
    path: '/api/auth/login',
    operationId: 'signIn',
    errors: ['LOGIN_FAILED', 'LOGIN_THROTTLED', 'CROSS_SITE_REQUEST', 'UNSUPPORTED_MEDIA_TYPE'],
    summary: 'Sign in with email and password; sets the session cookie',
    tag: 'auth',
    access: 'public',
    body: z.object({ email: z.string().email().max(320), password: z.string().min(1).max(1024) }),
    response: meView,
    handler: async ({ c, body }) => {
      const attempt = await beginAttempt(ctx, body.email, clientAddress(c, ctx.config.trustProxy));
      const user = await users.findByEmail(ctx.store.db, body.email);
      // The same answer, after the same work, for an unknown email and a wrong password: an unknown
      // email is checked against a dummy hash, so neither the reply nor its timing tells which emails exist.
      const valid = await verifyPassword(body.password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !valid) throw new AppError('LOGIN_FAILED', 'Email or password is wrong');
      await succeeded(ctx, attempt);
      const token = newSecretToken('tls');
      const csrfToken = randomBytes(18).toString('base64url');
      await sessions.create(ctx.store.db, user.tenantId, {
        tokenHash: hashToken(token),
        userId: user.id,
        csrfToken,
        expiresAt: ctx.now() + ctx.config.sessionTtlMs,
        now: ctx.now(),
      });
      setCookie(c, sessionCookie, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: ctx.config.publicUrl.startsWith('https://'),
        path: '/',
        maxAge: Math.floor(ctx.config.sessionTtlMs / 1000),
      });
      const organization = await organizations.get(ctx.store.db, user.tenantId);
      return {
        user: { id: user.id, email: user.email, name: user.name },
        organization: { id: user.tenantId, name: organization?.name ?? '' },
        csrfToken,
      };
    },
  });

  router.route({
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'signOut',
    summary: 'End the current session',
    tag: 'auth',
    response: z.object({ ok: z.boolean() }),
    handler: async ({ c }) => {
      const caller = c.get('caller');
      if (caller.sessionId) await sessions.remove(ctx.store.db, caller.tenantId, caller.sessionId);
      deleteCookie(c, sessionCookie, { path: '/' });
      return { ok: true };
    },
  });

  router.route({
    method: 'get',
    path: '/api/auth/me',
    operationId: 'getMe',
    summary: 'Who is signed in, their organization, and the CSRF token for state-changing requests',
    tag: 'auth',
    response: meView,
    handler: async ({ c }) => {
      const caller = c.get('caller');
      const user = await users.getById(ctx.store.db, caller.tenantId, caller.userId);
      if (!user) throw notFound('User');
      const organization = await organizations.get(ctx.store.db, caller.tenantId);
      return {
        user: { id: user.id, email: user.email, name: user.name },
        organization: { id: caller.tenantId, name: organization?.name ?? '' },
        csrfToken: caller.csrfToken ?? null,
      };
    },
  });

  const tokenView = z.object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
  });
  router.route({
    method: 'get',
    path: '/api/tokens',
    operationId: 'listTokens',
    summary: 'List API tokens (never their values)',
    tag: 'auth',
    query: z.object(pageQuery(100, 500)),
    response: z.object({ tokens: z.array(tokenView), ...pageFields }),
    handler: async ({ c, query }) => {
      // An organization has a few tokens: one read, paged here.
      const live = (await apiTokens.list(ctx.store.db, c.get('caller').tenantId)).filter((t) => t.revokedAt === null);
      return {
        tokens: live.slice(query.offset, query.offset + query.limit).map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          createdAt: isoTime(t.createdAt),
          lastUsedAt: isoTime(t.lastUsedAt),
        })),
        total: live.length,
        limit: query.limit,
        offset: query.offset,
      };
    },
  });
  router.route({
    method: 'post',
    path: '/api/tokens',
    operationId: 'createToken',
    summary: 'Create an API token; its value is shown once',
    tag: 'auth',
    status: 201,
    body: z.object({ name: z.string().trim().min(1).max(100) }),
    response: z.object({ id: z.string(), name: z.string(), token: z.string() }),
    handler: async ({ c, body }) => {
      const caller = c.get('caller');
      return createApiToken(ctx, caller.tenantId, caller.userId, body.name);
    },
  });
  router.route({
    method: 'delete',
    path: '/api/tokens/:id',
    operationId: 'revokeToken',
    summary: 'Revoke an API token',
    tag: 'auth',
    params: z.object({ id: z.string().min(1).max(100) }),
    response: z.object({ ok: z.boolean() }),
    handler: async ({ c, params }) => {
      const revoked = await apiTokens.revoke(ctx.store.db, c.get('caller').tenantId, params.id, ctx.now());
      if (!revoked) throw notFound('API token', params.id);
      return { ok: true };
    },
  });
}

export async function createApiToken(
  ctx: AppContext,
  tenantId: string,
  userId: string,
  name: string,
): Promise<{ id: string; name: string; token: string }> {
  const token = newSecretToken('tlt');
  const created = await apiTokens.create(ctx.store.db, tenantId, {
    userId,
    name,
    tokenHash: hashToken(token),
    prefix: token.slice(0, 8),
    now: ctx.now(),
  });
  return { id: created.id, name: created.name, token };
}

/** Creates an organization and its first user (CLI `users create`, demo seeding, tests). */
export async function createOrganizationWithUser(
  ctx: AppContext,
  input: { organization: string; email: string; name: string; password: string },
): Promise<{ tenantId: string; userId: string }> {
  await refuseUnusableCredentials(ctx, input.email, input.password);
  const passwordHash = await hashPassword(input.password);
  return ctx.store.db.transaction().execute(async (trx) => {
    const organization = await organizations.create(trx, { name: input.organization, now: ctx.now() });
    const user = await users.create(trx, organization.id, {
      email: input.email,
      name: input.name,
      passwordHash,
      now: ctx.now(),
    });
    return { tenantId: organization.id, userId: user.id };
  });
}

/** Adds a user to an existing organization. */
export async function addUser(
  ctx: AppContext,
  tenantId: string,
  input: { email: string; name: string; password: string },
): Promise<string> {
  await refuseUnusableCredentials(ctx, input.email, input.password);
  const user = await users.create(ctx.store.db, tenantId, {
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    now: ctx.now(),
  });
  return user.id;
}

const emailSchema = z.string().trim().email().max(320);

/** A new user's email must be an address and free; the password must pass the policy (src/auth/password-policy.ts). */
async function refuseUnusableCredentials(ctx: AppContext, email: string, password: string): Promise<void> {
  if (!emailSchema.safeParse(email).success) throw new AppError('EMAIL_INVALID', `"${email}" is not an email address`);
  const problem = passwordProblem(password, email);
  if (problem) throw new AppError(problem.code, problem.message);
  if (await users.findByEmail(ctx.store.db, email)) {
    throw new AppError('USER_EXISTS', `A user with email ${email} already exists`);
  }
}

let dummyHash: Promise<string> | undefined;

/** A hash of a random password, made once: what an unknown email's sign-in is checked against. */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(newSecretToken('dummy'));
  return dummyHash;
}

/**
 * Who a pending OAuth link belongs to: the session that started it (or, for an API token, its user).
 * Only the same session may finish it, so a link started by one person cannot be completed in another's.
 */
export function callerBinding(caller: Caller): string {
  return caller.sessionId ? `session:${caller.sessionId}` : `user:${caller.userId}`;
}
