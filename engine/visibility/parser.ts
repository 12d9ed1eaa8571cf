import type { AttributeRef, ComparisonOperator, Expr, Literal, OrderTerm, QueryAst } from './ast';
import { VisibilityQueryError, syntaxError } from './errors';
import { tokenize, type Token } from './lexer';

/** Longest query accepted: the language needs no more, and it bounds the work one request can cause. */
export const MAX_QUERY_LENGTH = 4096;
/** Deepest nesting of parentheses and NOT accepted: keeps recursion (here and in PostgreSQL) shallow. */
export const MAX_NESTING_DEPTH = 32;

const COMPARISON_OPERATORS = new Set<string>(['=', '!=', '<', '>', '<=', '>=']);
const NEAR_MAX = 40;

/**
 * Parses a list filter such as `WorkflowType = 'x' AND (StartTime > '2024-01-01T00:00:00Z' OR
 * ExecutionStatus = 'Running') ORDER BY StartTime DESC` into a syntax tree. Precedence, lowest
 * first: OR, AND, NOT, predicates; BETWEEN's AND belongs to BETWEEN.
 */
export function parseVisibilityQuery(query: string): QueryAst {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new VisibilityQueryError(
      `invalid query: longer than ${MAX_QUERY_LENGTH} characters (${query.length})`,
    );
  }
  return new Parser(tokenize(query)).parseQuery();
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): QueryAst {
    const where = this.isKeyword('ORDER') || this.peek().type === 'end' ? null : this.parseOr();
    const orderBy = this.isKeyword('ORDER') ? this.parseOrderBy() : [];
    if (this.peek().type !== 'end') throw this.unexpected('AND, OR, ORDER BY or the end of the query');
    return { where, orderBy };
  }

  private parseOrderBy(): OrderTerm[] {
    this.next();
    this.expectKeyword('BY');
    const terms: OrderTerm[] = [];
    do {
      const attribute = this.parseAttribute();
      let direction: 'ASC' | 'DESC' = 'ASC';
      if (this.isKeyword('ASC') || this.isKeyword('DESC')) direction = this.next().value as 'ASC' | 'DESC';
      terms.push({ attribute, direction });
    } while (this.acceptPunctuation(','));
    return terms;
  }

  private parseOr(): Expr {
    const operands = [this.parseAnd()];
    while (this.acceptKeyword('OR')) operands.push(this.parseAnd());
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): Expr {
    const operands = [this.parseNot()];
    while (this.acceptKeyword('AND')) operands.push(this.parseNot());
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parseNot(): Expr {
    if (this.isKeyword('NOT')) {
      const token = this.next();
      return this.nested(token, () => ({ kind: 'not', operand: this.parseNot() }));
    }
    if (this.isPunctuation('(')) {
      const token = this.next();
      return this.nested(token, () => {
        const inner = this.parseOr();
        this.expectPunctuation(')');
        return inner;
      });
    }
    return this.parsePredicate();
  }

  private nested(token: Token, parse: () => Expr): Expr {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw new VisibilityQueryError(
        `invalid query: nested deeper than ${MAX_NESTING_DEPTH} levels at position ${token.position}`,
      );
    }
    const expr = parse();
    this.depth--;
    return expr;
  }

  private parsePredicate(): Expr {
    const attribute = this.parseAttribute();
    const token = this.peek();
    if (token.type === 'operator' && COMPARISON_OPERATORS.has(token.value)) {
      this.next();
      return { kind: 'compare', attribute, operator: token.value as ComparisonOperator, value: this.parseLiteral() };
    }
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      this.expectKeyword('NULL');
      return { kind: 'isNull', attribute, negated };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('STARTS_WITH')) return { kind: 'startsWith', attribute, negated, prefix: this.parseLiteral() };
    if (this.acceptKeyword('IN')) return { kind: 'in', attribute, negated, values: this.parseList() };
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.parseLiteral();
      this.expectKeyword('AND');
      return { kind: 'between', attribute, negated, low, high: this.parseLiteral() };
    }
    if (this.isKeyword('LIKE')) {
      throw new VisibilityQueryError(
        `operation is not supported: LIKE at position ${this.peek().position} (use STARTS_WITH for a prefix)`,
        attribute.name,
      );
    }
    throw this.unexpected(negated ? 'STARTS_WITH, IN or BETWEEN after NOT' : 'a comparison operator, STARTS_WITH, IN, BETWEEN or IS');
  }

  private parseList(): Literal[] {
    this.expectPunctuation('(');
    const values = [this.parseLiteral()];
    while (this.acceptPunctuation(',')) values.push(this.parseLiteral());
    this.expectPunctuation(')');
    return values;
  }

  private parseAttribute(): AttributeRef {
    const token = this.peek();
    if (token.type !== 'identifier') throw this.unexpected('a search attribute name');
    this.next();
    return { name: token.value, position: token.position };
  }

  private parseLiteral(): Literal {
    const token = this.peek();
    const position = token.position;
    if (token.type === 'string' || token.type === 'number') {
      this.next();
      return { kind: token.type, value: token.value, position };
    }
    if (token.type === 'operator' && token.value === '-' && this.tokens[this.index + 1].type === 'number') {
      this.next();
      return { kind: 'number', value: '-' + this.next().value, position };
    }
    if (token.type === 'keyword' && (token.value === 'TRUE' || token.value === 'FALSE')) {
      this.next();
      return { kind: 'boolean', value: token.value === 'TRUE', position };
    }
    if (token.type === 'identifier') {
      throw new VisibilityQueryError(
        `invalid expression: column name on the right side of a comparison at position ${position} ` +
          `(did you forget to quote '${truncate(token.raw)}'?)`,
      );
    }
    throw this.unexpected('a value (a quoted string, a number, TRUE or FALSE)');
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'end') this.index++;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === 'keyword' && token.value === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected(word);
  }

  private isPunctuation(ch: string): boolean {
    const token = this.peek();
    return token.type === 'punctuation' && token.value === ch;
  }

  private acceptPunctuation(ch: string): boolean {
    if (!this.isPunctuation(ch)) return false;
    this.next();
    return true;
  }

  private expectPunctuation(ch: string): void {
    if (!this.acceptPunctuation(ch)) throw this.unexpected(`'${ch}'`);
  }

  /** The error for the current token; unsupported clauses get Temporal's "not supported" wording. */
  private unexpected(expected: string): VisibilityQueryError {
    const token = this.peek();
    if (token.type === 'keyword' && (token.value === 'GROUP' || token.value === 'LIMIT')) {
      const clause = token.value === 'GROUP' ? 'GROUP BY' : 'LIMIT';
      return new VisibilityQueryError(`operation is not supported: '${clause}' clause at position ${token.position}`);
    }
    return syntaxError(token.position, truncate(token.raw), expected);
  }
}

function truncate(text: string): string {
  return text.length > NEAR_MAX ? text.slice(0, NEAR_MAX) + '…' : text;
}
