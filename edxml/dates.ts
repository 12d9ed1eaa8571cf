/**
 * Dates and timestamps as edXML writes them: 'YYYY/MM/DD' and 'YYYY/MM/DD HH:mm:ss', local (Vietnam) time
 * without a zone (edxml.md §7). Read leniently (ISO dashes, day-first as Bkav writes), always written as above.
 */

const CANONICAL_DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const CANONICAL_TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const YEAR_FIRST = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/;
const DAY_FIRST = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/;
const TIME = /^(\d{1,2}):(\d{2}):(\d{2})$/;

const pad = (value: string) => value.padStart(2, '0');

/** Lenient reading of a date; text that is not recognisably a date is returned unchanged for validation to report. */
export function normalizeDate(raw: string): string {
  const text = raw.trim();
  const yearFirst = YEAR_FIRST.exec(text);
  if (yearFirst) return `${yearFirst[1]}/${pad(yearFirst[2])}/${pad(yearFirst[3])}`;
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) return `${dayFirst[3]}/${pad(dayFirst[2])}/${pad(dayFirst[1])}`;
  return raw;
}

/** Lenient reading of a timestamp ('T' or space between date and time). */
export function normalizeTimestamp(raw: string): string {
  const text = raw.trim();
  const split = /^(\S+)[ T](\S+)$/.exec(text);
  if (!split) return raw;
  const date = normalizeDate(split[1]);
  const time = TIME.exec(split[2]);
  if (!time || !CANONICAL_DATE.test(date)) return raw;
  return `${date} ${pad(time[1])}:${time[2]}:${time[3]}`;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** True for 'YYYY/MM/DD' naming a real calendar day (2014/02/30 is not). */
export function isValidDate(value: string): boolean {
  const m = CANONICAL_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isValidTimestamp(value: string): boolean {
  const m = CANONICAL_TIMESTAMP.exec(value);
  return (
    m !== null &&
    isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) &&
    Number(m[4]) < 24 &&
    Number(m[5]) < 60 &&
    Number(m[6]) < 60
  );
}

/** Today's date in Vietnam (UTC+7, no daylight saving) as 'YYYY/MM/DD'. */
export function vietnamToday(now: Date): string {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);
  const y = local.getUTCFullYear();
  return `${y}/${String(local.getUTCMonth() + 1).padStart(2, '0')}/${String(local.getUTCDate()).padStart(2, '0')}`;
}

/** Formats an instant as an edXML timestamp in Vietnam time. */
export function formatTimestamp(instant: Date): string {
  const local = new Date(instant.getTime() + 7 * 3600 * 1000).toISOString();
  return `${local.slice(0, 10).replace(/-/g, '/')} ${local.slice(11, 19)}`;
}
