import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { csvField, toCsv } from './csv.ts';

/** A strict RFC 4180 reader, for the round trip: records end in CRLF, quoted fields double their quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else if (i >= text.length) throw new Error('unterminated quote');
        else field += text[i++];
      }
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (text[i] === '"' || text[i] === '\r' || text[i] === '\n')
      throw new Error(`bare ${JSON.stringify(text[i])}`);
    else field += text[i++];
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}

/** Text rich in what CSV must escape: commas, quotes, CR, LF, formula starts, non-ASCII. */
const cell = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', '"', '\r', '\n', '=', '+', '-', '@', '\t', 'é', ' '),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});

describe('csv', () => {
  it('quotes what needs quoting, doubles quotes, ends every record in CRLF', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          ['plain', 'with, comma'],
          ['say "hi"', 'two\nlines'],
          [null, 3],
        ],
        { guardFormulas: false },
      ),
      'a,b\r\nplain,"with, comma"\r\n"say ""hi""","two\nlines"\r\n,3\r\n',
    );
  });

  it('guards text a spreadsheet would run as a formula, not numbers', () => {
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField('+1 555'), "'+1 555");
    assert.equal(csvField('@sum'), "'@sum");
    assert.equal(csvField('-3'), '-3');
    assert.equal(csvField(-3), '-3');
    assert.equal(csvField('-3.50'), '-3.50');
  });

  it('property: any table round-trips through an RFC 4180 reader (formula guard off)', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 5 }).chain((header) =>
          fc.tuple(
            fc.constant(header),
            fc.array(fc.array(cell, { minLength: header.length, maxLength: header.length }), {
              maxLength: 6,
            }),
          ),
        ),
        ([header, rows]) => {
          const parsed = parseCsv(toCsv(header, rows, { guardFormulas: false }));
          assert.deepEqual(parsed, [header, ...rows]);
        },
      ),
    );
  });

  it('property: with the guard on, no parsed cell starts a formula unless it is a plain number', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 5 }), (cells) => {
        const [, row] = parseCsv(
          toCsv(
            cells.map((_, i) => `c${i}`),
            [cells],
          ),
        );
        return (row ?? []).every((c) => !/^[=+\-@\t\r]/.test(c) || /^-?\d+(\.\d+)?$/.test(c));
      }),
    );
  });
});
