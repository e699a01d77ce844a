// The arithmetic reading of canonical UTC timestamps gives Date.parse's instant for every date it
// takes, refuses the dates that do not exist, and leaves every other shape to the RFC 3339 path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalUtcMs } from '../src/records/utc-timestamp.ts';
import { parseTimestamp } from '../src/records/validate-record.ts';
import { isLeap, yearFrom } from './helpers/calendar.ts';

// Every date is built from the current year, so nothing here ages: leap and common years, a
// century that is not a leap year and one that is, found from now.
const year = new Date().getUTCFullYear();
const leap = yearFrom(year, isLeap);
const common = yearFrom(year, (y) => !isLeap(y));
const century = yearFrom(year, (y) => y % 100 === 0 && !isLeap(y));
const leapCentury = yearFrom(year, (y) => y % 400 === 0);

test('canonical timestamps from year 0000 to 9999 read as Date.parse reads them, with and without milliseconds', () => {
  const first = Date.parse('0000-01-01T00:00:00.000Z');
  const last = Date.parse('9999-12-31T23:59:59.999Z');
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
  const instants = [first, last, 0, Date.parse(`${leap}-02-29T12:00:00Z`), Date.now()];
  for (let i = 0; i < 20_000; i++) instants.push(Math.floor(first + random() * (last - first)));
  for (const instant of instants) {
    const withMs = new Date(instant).toISOString();
    const withoutMs = `${withMs.slice(0, 19)}Z`;
    assert.equal(canonicalUtcMs(withMs), Date.parse(withMs), withMs);
    assert.equal(canonicalUtcMs(withoutMs), Date.parse(withoutMs), withoutMs);
    assert.equal(parseTimestamp(withMs), instant, withMs);
  }
});

test('dates that do not exist are refused, the leap days that do are read', () => {
  for (const text of [
    `${common}-02-29T00:00:00Z`,
    `${century}-02-29T00:00:00Z`,
    `${leap}-02-30T00:00:00.000Z`,
    `${year}-04-31T00:00:00Z`,
    `${year}-13-01T00:00:00Z`,
    `${year}-00-10T00:00:00Z`,
    `${year}-01-00T00:00:00Z`,
    `${year}-01-01T24:00:00Z`,
    `${year}-01-01T23:60:00Z`,
    `${year}-01-01T23:59:60Z`,
  ]) {
    assert.equal(canonicalUtcMs(text), undefined, text);
    assert.equal(parseTimestamp(text), undefined, text);
  }
  for (const text of [`${leap}-02-29T00:00:00Z`, `${leapCentury}-02-29T23:59:59.999Z`]) {
    assert.equal(canonicalUtcMs(text), Date.parse(text), text);
  }
});

test('other shapes are left to the RFC 3339 path, which still reads the valid ones', () => {
  for (const text of [
    `${year}-01-01t00:00:00Z`,
    `${year}-01-01T00:00:00z`,
    `${year}-01-01 00:00:00Z`,
    `${year}-01-01T00:00:00+02:00`,
    `${year}-01-01T00:00:00.5Z`,
    `${year}-01-01T00:00:00.123456Z`,
  ]) {
    assert.equal(canonicalUtcMs(text), undefined, text);
    assert.equal(parseTimestamp(text), Date.parse(text), text);
  }
  for (const text of [`${year}-0a-01T00:00:00Z`, `${year}-01-01T00:00:00.12xZ`, `${year}-01-01X00:00:00Z`, '']) {
    assert.equal(canonicalUtcMs(text), undefined, text);
    assert.equal(parseTimestamp(text), undefined, text);
  }
});
