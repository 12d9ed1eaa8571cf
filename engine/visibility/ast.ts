/** Syntax tree of a list filter, before attribute names and values are checked against types. */

export interface AttributeRef {
  readonly name: string;
  /** 1-based position in the query, for error messages. */
  readonly position: number;
}

export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly position: number }
  /** Kept as written (sign included) so that large integers lose no precision. */
  | { readonly kind: 'number'; readonly value: string; readonly position: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly position: number };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Expr =
  | { readonly kind: 'and' | 'or'; readonly operands: readonly Expr[] }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'compare'; readonly attribute: AttributeRef; readonly operator: ComparisonOperator; readonly value: Literal }
  | { readonly kind: 'startsWith'; readonly attribute: AttributeRef; readonly negated: boolean; readonly prefix: Literal }
  | { readonly kind: 'in'; readonly attribute: AttributeRef; readonly negated: boolean; readonly values: readonly Literal[] }
  | { readonly kind: 'between'; readonly attribute: AttributeRef; readonly negated: boolean; readonly low: Literal; readonly high: Literal }
  | { readonly kind: 'isNull'; readonly attribute: AttributeRef; readonly negated: boolean };

export interface OrderTerm {
  readonly attribute: AttributeRef;
  readonly direction: 'ASC' | 'DESC';
}

export interface QueryAst {
  /** null when the query has no filter (empty, or only ORDER BY). */
  readonly where: Expr | null;
  readonly orderBy: readonly OrderTerm[];
}
