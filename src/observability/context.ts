import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What ties a log line to the work it belongs to: one correlation id from the HTTP request through the job it
 * queues to every outside call that job makes. The logger (logger.ts) adds these fields to every line written
 * inside `withLogContext`; the queue stores the correlation id on the jobs it enqueues, and the worker runs each
 * job inside a context with that id; the HTTP transport sends it as `X-Correlation-Id`.
 */
export interface LogContext {
  readonly correlationId: string;
  readonly tenantId?: string | undefined;
  readonly jobId?: string | undefined;
  readonly task?: string | undefined;
}

const storage = new AsyncLocalStorage<LogContext>();

/** The context of the work running now, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with `context` as the current one (nested: the inner replaces the outer). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Runs `fn` with the current context plus `fields` (a new correlation id when there is no context yet). */
export function withLogFields<T>(fields: Omit<LogContext, 'correlationId'>, fn: () => T): T {
  const current = storage.getStore();
  return storage.run({ correlationId: current?.correlationId ?? newCorrelationId(), ...current, ...fields }, fn);
}

/** A token a caller may choose (X-Request-Id): short, and only characters that are safe in a header and a log. */
const correlationIdPattern = /^[A-Za-z0-9._:-]{1,100}$/;

export function isCorrelationId(value: string | null | undefined): value is string {
  return typeof value === 'string' && correlationIdPattern.test(value);
}

export function newCorrelationId(): string {
  return randomUUID();
}
