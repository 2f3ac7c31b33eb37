// The naive R-Series client the issue compares against: one lookup and one write per line, against the same
// simulator and the same plan. Per line: GET Item.json?upc= (1 drip); when nothing answers, POST a standalone
// Item with everything it needs (description, codes, cost, the three price levels, the vendor number: 1 + 4 × 0.5
// drips); then POST its OrderLine (1). Plus the vendor look-up and the Order. It counts drips as the simulator
// charges them (GET /_sim/charges), so its pacing does not matter: it runs on a roomy bucket.
import { toDecimalString } from '../../src/core/money.ts';
import type { PlanLine } from '../../src/core/plan-types.ts';
import type { Sim } from './sims.ts';

export interface NaiveFigures {
  requests: number;
  drips: number;
  created: number;
}

export async function naiveRSeriesExport(pos: Sim, lines: readonly PlanLine[], brand: string): Promise<NaiveFigures> {
  const minted = await pos.control('POST', '/_sim/tokens', { expiresInSeconds: 86_400 });
  const base = `${pos.url}/API/V3/Account/${minted.account_id}`;
  const call = async (method: string, path: string, body?: unknown): Promise<any> => {
    const r = await fetch(`${base}/${path}`, {
      method,
      headers: { authorization: `Bearer ${minted.access_token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!r.ok) throw new Error(`naive ${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const one = (x: unknown): any => (Array.isArray(x) ? x[0] : x);
  await pos.control('DELETE', '/_sim/charges');

  const shop = one((await call('GET', 'Shop.json')).Shop);
  const vendor = one((await call('GET', `Vendor.json?name=${encodeURIComponent(brand)}`)).Vendor);
  const vendorID = vendor?.vendorID ?? (await call('POST', 'Vendor.json', { name: brand })).Vendor.vendorID;
  const order = (await call('POST', 'Order.json', { shopID: shop.shopID, vendorID, refNum: 'naive' })).Order;
  let created = 0;
  for (const line of lines) {
    if (line.quantity === 0) continue;
    const typed = (line.rawUpc ?? '').replace(/[\s-]+/g, '');
    const upc = /^\d{11,14}$/.test(typed) ? typed : (line.gtin14 ?? '');
    let itemID = upc ? one((await call('GET', `Item.json?upc=${upc}`)).Item)?.itemID : undefined;
    if (itemID === undefined) {
      const cost = toDecimalString(line.unitCost);
      const retail = line.retailPrice ? toDecimalString(line.retailPrice) : cost;
      const item = await call('POST', 'Item.json', {
        description: `${line.name} ${line.color} ${line.size}`,
        upc,
        manufacturerSku: line.styleNumber,
        defaultCost: cost,
        defaultVendorID: vendorID,
        Prices: {
          ItemPrice: [
            { amount: retail, useTypeID: '1', useType: 'Default' },
            { amount: retail, useTypeID: '2', useType: 'MSRP' },
            { amount: retail, useTypeID: '3', useType: 'Online' },
          ],
        },
        ItemVendorNums: { ItemVendorNum: [{ vendorID, value: line.styleNumber, cost }] },
      });
      itemID = item.Item.itemID;
      created++;
    }
    await call('POST', 'OrderLine.json', {
      orderID: order.orderID,
      itemID,
      quantity: line.quantity,
      price: toDecimalString(line.unitCost),
    });
  }
  const charges = await pos.control('GET', '/_sim/charges');
  return { requests: charges.requests, drips: charges.drips, created };
}
