/**
 * Record creation, validation and updates for the writable resources, shared by the API, the seeder, the
 * back office and the control routes, one file per group of resources.
 */
export * from './record-input.ts';
export * from './item-records.ts';
export * from './matrix-records.ts';
export * from './reference-records.ts';
export * from './order-records.ts';
export * from './receipt-records.ts';
