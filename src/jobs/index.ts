export * from './queue.ts';
export * from './runner.ts';
export * from './errors.ts';
export * from './backoff.ts';
export * from './task.ts';
