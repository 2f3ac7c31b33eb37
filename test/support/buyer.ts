import assert from 'node:assert/strict';
import type { ExportPlan } from '../../src/core/plan.ts';
import type { EngineHarness } from './engine.ts';

/** The buyer's REST calls over the app (the tenant's API token), for flow tests. */
export function buyer(e: EngineHarness) {
  const call = async (method: string, path: string, body?: unknown) =>
    e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const response = await call(method, path, body);
    assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  return {
    call,
    ok,
    async orders(): Promise<Array<{ id: string; orderNumber: string; brand: string; sync: any[] }>> {
      return (await ok('GET', '/api/orders?limit=100')).orders;
    },
    async locations(): Promise<Array<{ id: string; name: string }>> {
      return (await ok('GET', `/api/connections/${e.posConnection.id}/locations`)).locations;
    },
    async plan(
      orderIds: string[],
      locationId: string,
      overrides: unknown[] = [],
    ): Promise<ExportPlan & { id: string }> {
      const body = { connectionId: e.posConnection.id, locationId, orderIds, overrides };
      return ok('POST', '/api/plans', body, 201);
    },
    async exportAndWait(planId: string): Promise<any[]> {
      await ok('POST', `/api/plans/${planId}/apply`, undefined, 202);
      await e.drain();
      return (await ok('GET', `/api/plans/${planId}/progress`)).exports;
    },
    /** An order made at the NuORDER simulator as a buyer would, approved by the brand, then pulled with "Sync now". */
    async newOrder(
      brand: string,
      lines: Array<{ productId: string; size: string; quantity: number }>,
    ): Promise<string> {
      const created = await e.nuorder.control('POST', '/_sim/orders', { brand, lines, status: 'approved' });
      await ok('POST', '/api/orders/sync', undefined, 202);
      await e.drain();
      const found = (await this.orders()).find((o) => o.orderNumber === created.order.order_number);
      assert.ok(found, `order ${created.order.order_number} was ingested`);
      return found.id;
    },
  };
}

/** The brand's products posted to the NuORDER simulator in NuORDER's own shape (docs/simulators/nuorder.md). */
export async function seedProducts(e: EngineHarness, products: unknown[]): Promise<void> {
  await e.nuorder.control('POST', '/_sim/seed', { data: { products } });
}

/** The NuORDER product id of a style/color, read back from the simulator. */
export async function productId(e: EngineHarness, styleNumber: string): Promise<string> {
  const state = await e.nuorder.control('GET', '/_sim/state');
  const found = (state.products as any[]).find((p) => p.json.style_number === styleNumber);
  assert.ok(found, `product ${styleNumber} seeded`);
  return found.json._id;
}
