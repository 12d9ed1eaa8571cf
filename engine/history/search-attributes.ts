import type { Run } from './run';
import { PayloadType, toBase64, type Msg } from '../proto';

export const INDEXED_VALUE_TYPES: Record<string, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

/** Names in `fields` that the namespace has not registered, as a real server rejects them. */
export function unknownAttributes(fields: Record<string, Msg> | undefined, types: Map<string, number>): string[] {
  return Object.keys(fields ?? {}).filter((name) => !types.has(name));
}

/**
 * Decodes one search attribute payload into the JSON value the visibility table indexes. The SDK sends
 * single values (typed API) or one-element arrays (legacy API); an empty array or null removes it.
 */
export function decodeAttributeValue(payload: Msg, type: number): unknown {
  const data = payload?.data;
  if (!data || data.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return null;
  }
  if (type === 7) {
    if (value == null) return null;
    const list = Array.isArray(value) ? value : [value];
    return list.length === 0 ? null : list.map(String);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    value = value[0];
  }
  if (value == null) return null;
  switch (type) {
    case 3:
    case 4:
      return typeof value === 'number' ? value : Number(value);
    case 5:
      return Boolean(value);
    case 6: {
      const time = new Date(String(value));
      return Number.isNaN(time.getTime()) ? String(value) : time.toISOString();
    }
    default:
      return String(value);
  }
}

/** Merges upserted attributes into the run: the decoded column and the original payloads (for describe). */
export function applySearchAttributes(run: Run, fields: Record<string, Msg> | undefined, types: Map<string, number>): void {
  const column = { ...run.row.search_attributes };
  for (const [name, payload] of Object.entries(fields ?? {})) {
    const value = decodeAttributeValue(payload, types.get(name) ?? 2);
    if (value === null) {
      delete column[name];
      delete run.state.searchAttributes[name];
    } else {
      column[name] = value;
      run.state.searchAttributes[name] = toBase64(PayloadType, payload);
    }
  }
  run.row.search_attributes = column;
  run.touch();
}
