/** Calendar dates, lenient date reading, Vietnam-time formatting and DocumentId (identifiers.md §2). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTimestamp,
  isValidDate,
  isValidTimestamp,
  normalizeDate,
  normalizeTimestamp,
  parseDocumentId,
  vietnamToday,
} from '../../edxml/index';

const pad = (n: number) => String(n).padStart(2, '0');

describe('dates', () => {
  it('accepts exactly the real calendar days, leap years included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const probe = new Date(Date.UTC(y, m - 1, d));
        const real = m >= 1 && m <= 12 && d >= 1 && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
        expect(isValidDate(`${y}/${pad(m)}/${pad(d)}`)).toBe(real);
      }),
      { numRuns: 500 },
    );
    expect(isValidDate('2024/02/29')).toBe(true);
    expect(isValidDate('2023/02/29')).toBe(false);
    expect(isValidDate('1900/02/29')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(false); // the canonical form only; reading normalises first
  });

  it('reads day-first and ISO forms as the same day, and leaves anything else untouched', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }), (instant) => {
        const [y, m, d] = [instant.getUTCFullYear(), instant.getUTCMonth() + 1, instant.getUTCDate()];
        const canonical = `${y}/${pad(m)}/${pad(d)}`;
        for (const written of [canonical, `${pad(d)}/${pad(m)}/${y}`, `${d}/${m}/${y}`, `${y}-${pad(m)}-${pad(d)}`, ` ${canonical} `]) {
          expect(normalizeDate(written)).toBe(canonical);
        }
        expect(normalizeTimestamp(`${y}-${pad(m)}-${pad(d)}T08:05:09`)).toBe(`${canonical} 08:05:09`);
        expect(normalizeTimestamp(`${pad(d)}/${pad(m)}/${y} 8:05:09`)).toBe(`${canonical} 08:05:09`);
      }),
      { numRuns: 200 },
    );
    for (const text of ['hôm nay', '2024/12', '16.12.2024', '20241216', '']) expect(normalizeDate(text)).toBe(text);
    expect(normalizeTimestamp('2024/12/16')).toBe('2024/12/16');
  });

  it('checks timestamps field by field', () => {
    expect(isValidTimestamp('2024/12/16 23:59:59')).toBe(true);
    expect(isValidTimestamp('2024/12/16 24:00:00')).toBe(false);
    expect(isValidTimestamp('2024/12/16 10:60:00')).toBe(false);
    expect(isValidTimestamp('2024/02/30 10:00:00')).toBe(false);
  });

  it('writes instants and "today" in Vietnam time (UTC+7)', () => {
    expect(formatTimestamp(new Date('2024-12-16T17:30:05Z'))).toBe('2024/12/17 00:30:05');
    expect(vietnamToday(new Date('2024-12-31T16:59:59Z'))).toBe('2024/12/31');
    expect(vietnamToday(new Date('2024-12-31T17:00:00Z'))).toBe('2025/01/01');
  });
});

describe('parseDocumentId', () => {
  it.each([
    ['000.00.00.G22,2015/09/30,7816/VPCP-TTĐT', { organId: '000.00.00.G22', date: '2015/09/30', codeNumber: '7816', codeNotation: 'VPCP-TTĐT' }],
    ['000.00.01.H01,2018,10', { organId: '000.00.01.H01', date: '2018', codeNumber: '10' }],
    ['G09.01,2024/01/05,05/QĐ-BNV', { organId: 'G09.01', date: '2024/01/05', codeNumber: '05', codeNotation: 'QĐ-BNV' }],
    ['000.00.00.H49,2020,30/2020/NĐ-CP', { organId: '000.00.00.H49', date: '2020', codeNumber: '30', codeNotation: '2020/NĐ-CP' }],
  ])('reads %s', (text, expected) => {
    expect(parseDocumentId(text)).toEqual(expected);
  });

  it.each([
    '9fbfbad2-f1f8-4256-a2eb-50fb1061cddb',
    '000.00.00.G22,2014/02/30,7806/VPCP-TTĐT',
    '000.00.00.g22,2015/09/30,7816/VPCP',
    '000.00.00.G22, 2015/09/30,7816/VPCP',
    '000.00.00.G22,15/09/30,7816/VPCP',
    '000.00.00.G22,2015/09/30,/VPCP',
    '000.00.00.G22,2015/09/30,7816/VPCP TTĐT',
    '000.00.00.G22,2015/09/30,7816/',
    '000.00.00.G22,2015/09/30',
    '',
  ])('refuses %j', (text) => {
    expect(parseDocumentId(text)).toBeUndefined();
  });
});
