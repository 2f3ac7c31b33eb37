/**
 * The fake POS's back office: an in-memory store of suppliers, product families, items and purchase orders. What a
 * test asserts on; the connector (pos.ts) reads and writes it only through the PointOfSale port's calls.
 */
import type { Money } from '../../../src/core/money.ts';

export interface FakeSupplier {
  id: string;
  name: string;
  sourceBrandId: string;
}

export interface FakeFamily {
  id: string;
  correlationKey: string;
  name: string;
  color: string;
  supplierId: string;
}

export interface FakeItem {
  id: string;
  familyId: string | null;
  correlationKey: string | null;
  name: string;
  sku: string | null;
  gtins: string[];
  cost: Money | null;
  retail: Money | null;
  archived: boolean;
  /** Bumped on every write: the change feed's cursor. */
  version: number;
}

export interface FakePurchaseOrder {
  id: string;
  number: string;
  correlationKey: string;
  orderNumber: string;
  supplierId: string;
  locationId: string;
  currency: string;
  status: 'open' | 'ordered';
  lines: Array<{ itemId: string; quantity: number; unitCost: Money }>;
}

export class FakePosStore {
  readonly currency: string;
  readonly locations = [{ id: 'shop-1', name: 'Main shop', currency: null as string | null, archived: false }];
  readonly suppliers = new Map<string, FakeSupplier>();
  readonly families = new Map<string, FakeFamily>();
  readonly items = new Map<string, FakeItem>();
  readonly purchaseOrders = new Map<string, FakePurchaseOrder>();
  private sequence = 0;

  constructor(currency = 'USD') {
    this.currency = currency;
    this.locations[0]!.currency = currency;
  }

  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }

  nextVersion(): number {
    this.sequence += 1;
    return this.sequence;
  }
}
