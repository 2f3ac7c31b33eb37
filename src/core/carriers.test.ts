import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { carrierList, carriersForNumber, normaliseCarrier, trackingLink } from './carriers.ts';

describe('carrier names', () => {
  it('reads the ways brands write them, and refuses what it does not know', () => {
    const cases: Array<[string | null, string | null]> = [
      ['UPS', 'ups'],
      ['ups ground', 'ups'],
      ['United Parcel Service', 'ups'],
      ['FedEx', 'fedex'],
      ['Fed Ex Ground', 'fedex'],
      ['Federal Express', 'fedex'],
      ['USPS Priority', 'usps'],
      ['United States Postal Service', 'usps'],
      ['DHL Express', 'dhl'],
      ['Canada Post', 'canada_post'],
      ['Postes Canada', 'canada_post'],
      ['Purolator', 'purolator'],
      ['Acme Freight', null],
      ['', null],
      [null, null],
    ];
    for (const [text, carrier] of cases) assert.equal(normaliseCarrier(text), carrier, String(text));
  });
});

describe('tracking links', () => {
  it('links a named carrier to its tracking page, the number compacted and encoded', () => {
    const ups = trackingLink('UPS', '1Z 999 AA1 0123456784');
    assert.equal(ups.url, 'https://www.ups.com/track?tracknum=1Z999AA10123456784');
    assert.equal(ups.guessed, false);
    assert.equal(ups.carrierName, 'UPS');
    assert.equal(trackingLink('Canada Post', '1234567890123456').url?.startsWith('https://www.canadapost'), true);
  });

  it('guesses a blank carrier from the number only when one shape fits', () => {
    assert.deepEqual(
      [
        '1Z999AA10123456784',
        '9400111899223197428490',
        'EC123456789US',
        '1234567890',
        '1234567890123456',
        'RR123456789CA',
      ].map((n) => trackingLink('', n).carrier),
      ['ups', 'usps', 'usps', 'dhl', 'canada_post', 'canada_post'],
    );
    const twelve = trackingLink(null, '123456789012');
    assert.equal(twelve.carrier, null, '12 digits fit FedEx and Purolator: no guess');
    assert.deepEqual([...twelve.candidates].sort(), ['fedex', 'purolator']);
    assert.equal(twelve.url, null);
    assert.equal(trackingLink('', '1Z999AA10123456784').guessed, true);
  });

  it('a named carrier wins over the number; an unknown name gives no link rather than a guess', () => {
    assert.equal(trackingLink('FedEx', '1Z999AA10123456784').carrier, 'fedex');
    const freight = trackingLink('Acme Freight', '1Z999AA10123456784');
    assert.equal(freight.carrier, null);
    assert.equal(freight.url, null);
    assert.deepEqual(freight.candidates, ['ups']);
  });

  it('property: a known carrier always yields a URL that carries the number, encoded; no URL without a carrier', () => {
    fc.assert(
      fc.property(fc.constantFrom(...carrierList, null), fc.string({ maxLength: 30 }), (carrier, number) => {
        const link = trackingLink(carrier === null ? '' : carrier.replace('_', ' '), number);
        if (link.url === null) return link.carrier === null || number.replace(/[\s-]+/g, '') === '';
        const compact = number.replace(/[\s-]+/g, '').toUpperCase();
        return link.url.endsWith(encodeURIComponent(compact)) && !/[\s<>"]/.test(link.url);
      }),
    );
  });

  it('property: every candidate of a number fits it, and a guess is made exactly when there is one candidate', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^(1Z[0-9A-Z]{16}|\d{10}|\d{12}|\d{15}|\d{16}|9[1-6]\d{20}|[A-Z]{2}\d{9}(US|CA))$/),
        (n) => {
          const candidates = carriersForNumber(n);
          const link = trackingLink('', n);
          return (
            candidates.length > 0 && (candidates.length === 1 ? link.carrier === candidates[0] : link.carrier === null)
          );
        },
      ),
    );
  });
});
