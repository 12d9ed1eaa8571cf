import proto from '@temporalio/proto';
import type { Literal } from './ast';
import { IndexedValueType, typeName, type ResolvedAttribute } from './attributes';
import { VisibilityQueryError } from './errors';

/** A literal checked against its attribute's type, in the form bound as a PostgreSQL parameter. */
export type SqlValue = string | number | boolean;

const STATUS_PREFIX = 'WORKFLOW_EXECUTION_STATUS_';

/**
 * ExecutionStatus names Temporal accepts, exactly as written: the proto name
 * (WORKFLOW_EXECUTION_STATUS_TIMED_OUT) or its PascalCase shorthand (TimedOut).
 */
const STATUS_BY_NAME: ReadonlyMap<string, number> = new Map(
  Object.entries(proto.temporal.api.enums.v1.WorkflowExecutionStatus).flatMap(([name, code]) => {
    const shorthand = name
      .slice(STATUS_PREFIX.length)
      .split('_')
      .map((word) => word[0] + word.slice(1).toLowerCase())
      .join('');
    return [[name, code], [shorthand, code]] as [string, number][];
  }),
);
const STATUS_CODES = new Set(STATUS_BY_NAME.values());

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const INTEGER = /^-?\d+$/;

/** Converts a literal to the value compared with `attribute`, or says why it does not fit. */
export function toSqlValue(attribute: ResolvedAttribute, literal: Literal): SqlValue {
  if (attribute.source === 'column' && attribute.isStatus) return statusCode(attribute, literal);
  switch (attribute.type) {
    case IndexedValueType.INDEXED_VALUE_TYPE_INT:
    case IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE:
      // Kept as the decimal text written and compared as numeric, so int64 values stay exact.
      if (literal.kind === 'number' && Number.isFinite(Number(literal.value))) return literal.value;
      break;
    case IndexedValueType.INDEXED_VALUE_TYPE_BOOL:
      if (literal.kind === 'boolean') return literal.value;
      break;
    case IndexedValueType.INDEXED_VALUE_TYPE_DATETIME:
      return datetime(attribute, literal);
    default:
      if (literal.kind === 'string') return literal.value;
  }
  throw new VisibilityQueryError(
    `invalid expression: invalid value type for search attribute ${attribute.name} of type ${typeName(attribute.type)}: ` +
      `${describe(literal)} (position ${literal.position})`,
    attribute.name,
  );
}

function statusCode(attribute: ResolvedAttribute, literal: Literal): number {
  if (literal.kind === 'string') {
    const code = STATUS_BY_NAME.get(literal.value);
    if (code !== undefined) return code;
  } else if (literal.kind === 'number' && INTEGER.test(literal.value) && STATUS_CODES.has(Number(literal.value))) {
    return Number(literal.value);
  }
  throw new VisibilityQueryError(
    `invalid expression: invalid ${attribute.name} value ${describe(literal)} (position ${literal.position}); ` +
      `expected one of ${[...STATUS_BY_NAME.keys()].filter((name) => !name.startsWith(STATUS_PREFIX)).join(', ')}`,
    attribute.name,
  );
}

/**
 * Datetime values are RFC 3339 strings with any number of fractional digits, or integers counting
 * nanoseconds since the Unix epoch, as Temporal accepts. PostgreSQL keeps microseconds, so extra
 * digits are cut off (Temporal's SQL stores do the same). The result is an ISO string for a
 * `::timestamptz` cast.
 */
function datetime(attribute: ResolvedAttribute, literal: Literal): string {
  if (literal.kind === 'number' && INTEGER.test(literal.value)) {
    const value = fromEpochNanos(BigInt(literal.value));
    if (value !== undefined) return value;
  }
  if (literal.kind === 'string') {
    const value = fromRfc3339(literal.value);
    if (value !== undefined) return value;
  }
  throw new VisibilityQueryError(
    `invalid expression: unable to parse datetime ${describe(literal)} for search attribute ${attribute.name} ` +
      `(position ${literal.position}); expected RFC 3339, such as '2024-05-01T08:30:00Z'`,
    attribute.name,
  );
}

function fromRfc3339(text: string): string | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zulu, sign, offsetHour, offsetMinute] = match;
  const y = Number(year);
  const m = Number(month);
  if (y < 1 || m < 1 || m > 12) return undefined;
  const daysInMonth = new Date(Date.UTC(2000, m, 0)).getUTCDate() - (m === 2 && !isLeapYear(y) ? 1 : 0);
  if (Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (!zulu && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) return undefined;
  const micros = fraction.slice(0, 6).padEnd(6, '0');
  const zone = zulu ? 'Z' : `${sign}${offsetHour}:${offsetMinute}`;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.${micros}${zone}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Nanoseconds since the epoch, truncated towards the past to microseconds. */
function fromEpochNanos(nanos: bigint): string | undefined {
  let micros = nanos / 1000n;
  if (nanos < 0n && nanos % 1000n !== 0n) micros -= 1n;
  let millis = micros / 1000n;
  let microRemainder = micros % 1000n;
  if (microRemainder < 0n) {
    millis -= 1n;
    microRemainder += 1000n;
  }
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) return undefined;
  return date.toISOString().replace('Z', `${String(microRemainder).padStart(3, '0')}Z`);
}

function describe(literal: Literal): string {
  if (literal.kind === 'string') return `'${literal.value.length > 40 ? literal.value.slice(0, 40) + '…' : literal.value}'`;
  return `${literal.value} (a ${literal.kind})`;
}
