/**
 * Temporal's list filter language (the `query` of ListWorkflowExecutions and
 * CountWorkflowExecutions) compiled to PostgreSQL over the engine's visibility table. See
 * README.md beside this file for the supported language and where it differs from Temporal.
 */
import { compileAst } from './compiler';
import { parseVisibilityQuery } from './parser';

export { VisibilityQueryError } from './errors';
export { MAX_NESTING_DEPTH, MAX_QUERY_LENGTH } from './parser';
export type { CompiledQuery } from './compiler';

export interface CompileVisibilityQueryOptions {
  /** Qualifies every column reference (`alias.start_time`); letters, digits and `_` only. */
  tableAlias?: string;
  /** Number of the first placeholder used ($firstParam); default 1. */
  firstParam?: number;
}

/**
 * Compiles a list filter to a WHERE expression with $n placeholders, its parameter values and an
 * ORDER BY list. `attributeTypes` maps each custom search attribute of the namespace to its
 * IndexedValueType number. Throws VisibilityQueryError for any query that cannot be run.
 */
export function compileVisibilityQuery(
  query: string,
  attributeTypes: Map<string, number>,
  options?: CompileVisibilityQueryOptions,
): { where: string; params: unknown[]; orderBy: string } {
  return compileAst(parseVisibilityQuery(query), attributeTypes, options);
}
