import type { AttributeRef, Expr, Literal, OrderTerm, QueryAst } from './ast';
import { IndexedValueType, resolveAttribute, typeName, type ResolvedAttribute } from './attributes';
import { VisibilityQueryError } from './errors';
import { likePrefix, sharesAWord, sqlCast, valueExpression } from './sql-terms';
import { toSqlValue } from './values';

export interface CompiledQuery {
  /** Boolean SQL expression; 'TRUE' when the query has no filter. */
  readonly where: string;
  /** Values for the $n placeholders of `where`, in order from `firstParam`. */
  readonly params: unknown[];
  /** ORDER BY list without the keywords; has no placeholders, so `params` serve list and count alike. */
  readonly orderBy: string;
}

type Operation = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'NOT IN' | 'STARTS_WITH' | 'NOT STARTS_WITH' | 'BETWEEN' | 'NOT BETWEEN';

const ORDERED: Operation[] = ['=', '!=', '<', '>', '<=', '>=', 'IN', 'NOT IN', 'BETWEEN', 'NOT BETWEEN'];
const EQUALITY: Operation[] = ['=', '!=', 'IN', 'NOT IN'];

/** What each kind of attribute supports, after Temporal's query converter (STARTS_WITH for Keyword only). */
function supportedOperations(attribute: ResolvedAttribute): readonly Operation[] {
  if (attribute.source === 'column' && attribute.isStatus) return EQUALITY;
  switch (attribute.type) {
    case IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD:
      return [...ORDERED, 'STARTS_WITH', 'NOT STARTS_WITH'];
    case IndexedValueType.INDEXED_VALUE_TYPE_TEXT:
      return ['=', '!='];
    case IndexedValueType.INDEXED_VALUE_TYPE_BOOL:
    case IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST:
      return EQUALITY;
    default:
      return ORDERED;
  }
}

const DEFAULT_ORDER = ['close_time DESC NULLS FIRST', 'start_time DESC', 'run_id'];
const SAFE_ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function compileAst(
  ast: QueryAst,
  attributeTypes: ReadonlyMap<string, number>,
  options: { tableAlias?: string; firstParam?: number } = {},
): CompiledQuery {
  const { tableAlias, firstParam = 1 } = options;
  if (tableAlias !== undefined && !SAFE_ALIAS.test(tableAlias)) throw new RangeError(`unsafe table alias: ${tableAlias}`);
  if (!Number.isInteger(firstParam) || firstParam < 1) throw new RangeError(`firstParam must be a positive integer: ${firstParam}`);
  const compiler = new Compiler(attributeTypes, tableAlias ? `${tableAlias}.` : '', firstParam);
  return {
    where: ast.where ? compiler.expr(ast.where) : 'TRUE',
    params: compiler.params,
    orderBy: compiler.orderBy(ast.orderBy),
  };
}

class Compiler {
  readonly params: unknown[] = [];
  private readonly nameParams = new Map<string, string>();

  constructor(
    private readonly attributeTypes: ReadonlyMap<string, number>,
    private readonly prefix: string,
    private readonly firstParam: number,
  ) {}

  expr(expr: Expr): string {
    switch (expr.kind) {
      case 'and':
      case 'or':
        return `(${expr.operands.map((operand) => this.expr(operand)).join(` ${expr.kind.toUpperCase()} `)})`;
      case 'not':
        return `(NOT ${this.expr(expr.operand)})`;
      case 'isNull': {
        const attribute = resolveAttribute(expr.attribute, this.attributeTypes);
        return `(${this.value(attribute)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
      }
      case 'compare': {
        const attribute = this.resolve(expr.attribute, expr.operator);
        return this.comparison(attribute, expr.operator, expr.value);
      }
      case 'startsWith': {
        const attribute = this.resolve(expr.attribute, expr.negated ? 'NOT STARTS_WITH' : 'STARTS_WITH');
        const column = this.value(attribute);
        const prefix = likePrefix(toSqlValue(attribute, expr.prefix) as string);
        return `(${column} ${expr.negated ? 'NOT ' : ''}LIKE ${this.bind(prefix)}::text ESCAPE '!')`;
      }
      case 'in': {
        const attribute = this.resolve(expr.attribute, expr.negated ? 'NOT IN' : 'IN');
        const column = this.value(attribute);
        const values = this.bind(expr.values.map((value) => toSqlValue(attribute, value)));
        // A KeywordList matches when it holds any of the values.
        const test =
          attribute.type === IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST
            ? `${column} ?| ${values}::text[]`
            : `${column} = ANY(${values}::${sqlCast(attribute)}[])`;
        return expr.negated ? `(NOT (${test}))` : `(${test})`;
      }
      case 'between': {
        const attribute = this.resolve(expr.attribute, expr.negated ? 'NOT BETWEEN' : 'BETWEEN');
        const column = this.value(attribute);
        const cast = sqlCast(attribute);
        const low = `${this.bind(toSqlValue(attribute, expr.low))}::${cast}`;
        const high = `${this.bind(toSqlValue(attribute, expr.high))}::${cast}`;
        return `(${column} ${expr.negated ? 'NOT ' : ''}BETWEEN ${low} AND ${high})`;
      }
    }
  }

  orderBy(terms: readonly OrderTerm[]): string {
    if (terms.length === 0) return DEFAULT_ORDER.map((term) => this.prefix + term).join(', ');
    const sql = terms.map((term) => {
      const attribute = resolveAttribute(term.attribute, this.attributeTypes);
      if (
        attribute.type === IndexedValueType.INDEXED_VALUE_TYPE_TEXT ||
        attribute.type === IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST
      ) {
        throw new VisibilityQueryError(
          `operation is not supported: unable to sort by search attribute ${attribute.name} of type ${typeName(attribute.type)}`,
          attribute.name,
        );
      }
      // Missing values sort last either way, as on Temporal's Elasticsearch store.
      return `${valueExpression(attribute, this.prefix, quoteLiteral(attribute.name))} ${term.direction} NULLS LAST`;
    });
    // run_id makes the order total, so pages never repeat or skip rows that tie.
    if (!terms.some((term) => term.attribute.name === 'RunId')) sql.push(`${this.prefix}run_id`);
    return sql.join(', ');
  }

  private comparison(attribute: ResolvedAttribute, operator: Operation, literal: Literal): string {
    const column = this.value(attribute);
    const value = toSqlValue(attribute, literal);
    const negate = (test: string) => (operator === '!=' ? `(NOT (${test}))` : `(${test})`);
    if (attribute.type === IndexedValueType.INDEXED_VALUE_TYPE_TEXT) {
      if (!/[\p{L}\p{N}]/u.test(value as string)) {
        throw new VisibilityQueryError(
          `invalid expression: value for Text search attribute ${attribute.name} has no words (position ${literal.position})`,
          attribute.name,
        );
      }
      return negate(sharesAWord(column, `${this.bind(value)}::text`));
    }
    if (attribute.type === IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST) {
      return negate(`${column} @> jsonb_build_array(${this.bind(value)}::text)`);
    }
    const sqlOperator = operator === '!=' ? '<>' : operator;
    return `(${column} ${sqlOperator} ${this.bind(value)}::${sqlCast(attribute)})`;
  }

  private resolve(ref: AttributeRef, operation: Operation): ResolvedAttribute {
    const attribute = resolveAttribute(ref, this.attributeTypes);
    if (!supportedOperations(attribute).includes(operation)) {
      const type = attribute.source === 'column' && attribute.isStatus ? 'ExecutionStatus' : typeName(attribute.type);
      throw new VisibilityQueryError(
        `operation is not supported: operator '${operation}' not supported for ${type} type search attribute '${attribute.name}'`,
        attribute.name,
      );
    }
    return attribute;
  }

  private value(attribute: ResolvedAttribute): string {
    if (attribute.source === 'column') return valueExpression(attribute, this.prefix, '');
    let nameSql = this.nameParams.get(attribute.name);
    if (!nameSql) {
      nameSql = `${this.bind(attribute.name)}::text`;
      this.nameParams.set(attribute.name, nameSql);
    }
    return valueExpression(attribute, this.prefix, nameSql);
  }

  private bind(value: unknown): string {
    this.params.push(value);
    return `$${this.firstParam + this.params.length - 1}`;
  }
}

/**
 * A registered attribute name as an SQL literal, for ORDER BY only (see CompiledQuery.orderBy). An
 * E'' literal reads backslashes the same whatever standard_conforming_strings says.
 */
function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new VisibilityQueryError(`invalid expression: attribute name contains a NUL character`, text);
  return `E'${text.replace(/[\\']/g, (ch) => '\\' + ch)}'`;
}
