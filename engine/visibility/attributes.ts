import proto, { type temporal } from '@temporalio/proto';
import type { AttributeRef } from './ast';
import { VisibilityQueryError } from './errors';

export const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
export type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** Type names as Temporal prints them in its query errors. */
const TYPE_NAMES = new Map<number, string>([
  [IndexedValueType.INDEXED_VALUE_TYPE_TEXT, 'Text'],
  [IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, 'Keyword'],
  [IndexedValueType.INDEXED_VALUE_TYPE_INT, 'Int'],
  [IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE, 'Double'],
  [IndexedValueType.INDEXED_VALUE_TYPE_BOOL, 'Bool'],
  [IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, 'Datetime'],
  [IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST, 'KeywordList'],
]);

export function typeName(type: IndexedValueType): string {
  return TYPE_NAMES.get(type) ?? `unknown type ${type}`;
}

/**
 * A search attribute the query names, resolved: either a column of the visibility table
 * (predefined attributes) or a key of its `search_attributes` jsonb (custom attributes).
 */
export type ResolvedAttribute =
  | { readonly source: 'column'; readonly name: string; readonly type: IndexedValueType; readonly column: string; readonly isStatus: boolean }
  | { readonly source: 'custom'; readonly name: string; readonly type: IndexedValueType };

const PREDEFINED: ReadonlyMap<string, { column: string; type: IndexedValueType }> = new Map([
  ['WorkflowId', { column: 'workflow_id', type: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }],
  ['RunId', { column: 'run_id', type: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }],
  ['WorkflowType', { column: 'workflow_type', type: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }],
  ['TaskQueue', { column: 'task_queue', type: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }],
  ['ExecutionStatus', { column: 'status', type: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }],
  ['StartTime', { column: 'start_time', type: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME }],
  ['ExecutionTime', { column: 'execution_time', type: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME }],
  ['CloseTime', { column: 'close_time', type: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME }],
]);

/**
 * Resolves a name as Temporal does: case-sensitively, predefined attributes first (Temporal
 * refuses to register a custom attribute under a predefined name).
 */
export function resolveAttribute(ref: AttributeRef, customTypes: ReadonlyMap<string, number>): ResolvedAttribute {
  const predefined = PREDEFINED.get(ref.name);
  if (predefined) {
    return { source: 'column', name: ref.name, ...predefined, isStatus: ref.name === 'ExecutionStatus' };
  }
  const type = customTypes.get(ref.name);
  if (type === undefined) {
    throw new VisibilityQueryError(
      `invalid expression: column name '${ref.name}' is not a valid search attribute (position ${ref.position})`,
      ref.name,
    );
  }
  if (!TYPE_NAMES.has(type)) {
    throw new VisibilityQueryError(
      `invalid expression: unknown search attribute type ${type} for ${ref.name}`,
      ref.name,
    );
  }
  return { source: 'custom', name: ref.name, type };
}
