// The byte-level CSV column reader (io/csv-columns.ts) against csv-parse on the same text: every
// cell means the same (its text for a categorical feature, its number or missing for a numeric
// one), whatever mix of canonical numbers, other spellings of numbers, NA tokens and quoted text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { asNumber, asText } from '../src/io/cell.ts';
import { canonicalNumber, regularCsvColumns } from '../src/io/csv-columns.ts';

const cellText = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double({ noNaN: true }).map(String),
  fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((v) => v.toFixed(3)), // trailing zeros
  fc.constantFrom('0', '-0', '00', '007', '1.', '.5', '+3', '1e5', '1E-7', ' 42 ', '0.0000001', '0.000001'),
  fc.constantFrom('', 'NA', 'N/A', 'null', 'nan', 'inf', '-Infinity', 'NaN'),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('a,b', 'say "hi"', 'two\nlines', 'zip 10001', 'é'),
);

const quoteIfNeeded = (text: string) =>
  /[",\n\r]/.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text;

test('every cell of the column reader means what csv-parse text means, as a category and as a number', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(cellText, cellText), { minLength: 1, maxLength: 30 }), fc.boolean(), (rows, crlf) => {
      const eol = crlf ? '\r\n' : '\n';
      const csv = ['a,b', ...rows.map((row) => row.map(quoteIfNeeded).join(','))].join(eol) + eol;
      const bytes = Buffer.from(csv);
      const table = regularCsvColumns(bytes, `a,b${eol}`.length, ['a', 'b']);
      assert.ok(table, 'a regular file is read by the column reader');
      const expected = parse(csv, { columns: false, from_line: 2, skip_empty_lines: true }) as string[][];
      assert.equal(table.rowCount, expected.length);
      ['a', 'b'].forEach((name, c) => {
        const cells = table.columns.get(name)!;
        expected.forEach((row, r) => {
          assert.equal(asText(cells[r]), asText(row[c]), `${name} row ${r}: text`);
          assert.ok(Object.is(asNumber(cells[r]), asNumber(row[c])), `${name} row ${r}: number of ${row[c]}`);
        });
      });
    }),
    { numRuns: 300 },
  );
});

test('canonical numbers become numbers; other spellings keep their text', () => {
  const read = (text: string) => canonicalNumber(Buffer.from(text), 0, text.length);
  assert.equal(read('2176'), 2176);
  assert.equal(read('-0.25'), -0.25);
  assert.equal(read('0.000001'), 0.000001);
  for (const text of ['10001.0', '01', '-0', '+1', '1e3', '.5', '1.', '0.0000001', ' 1', '1234567890123456']) {
    assert.ok(Number.isNaN(read(text)), text);
  }
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
      const text = String(value);
      const number = read(text);
      if (!Number.isNaN(number)) assert.equal(String(number), text);
    }),
  );
});

test('irregular files are left to csv-parse, which names the bad line', () => {
  const header = ['a', 'b'];
  const irregular = [
    'a,b\n1,2\n3\n',
    'a,b\n1,"2\n',
    'a,b\n1,"2"x\n',
    'a,b\n1,2\r3,4\n',
    'a,b\n1,2\r\n3,4\n',
    'a,b\n1,2,3\n',
  ];
  for (const csv of irregular)
    assert.equal(regularCsvColumns(Buffer.from(csv), 4, header), undefined, JSON.stringify(csv));
});
