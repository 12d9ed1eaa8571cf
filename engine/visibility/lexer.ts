import { VisibilityQueryError, syntaxError } from './errors';

/**
 * Tokens of Temporal's list filter language. Keywords are matched case-insensitively, as the
 * MySQL-flavoured parser the Temporal server uses does; an attribute whose name is a keyword
 * must be written in backticks.
 */
export type TokenType = 'identifier' | 'keyword' | 'string' | 'number' | 'operator' | 'punctuation' | 'end';

export interface Token {
  readonly type: TokenType;
  /** Keywords in upper case; identifiers and strings decoded (quotes and escapes removed). */
  readonly value: string;
  /** The token as written, for error messages. */
  readonly raw: string;
  /** 1-based character position in the query. */
  readonly position: number;
}

export const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'IS', 'NULL', 'STARTS_WITH', 'ORDER', 'BY', 'ASC', 'DESC', 'TRUE', 'FALSE',
  // Not supported, but reserved so that their use gets a clear message rather than "unknown attribute".
  'GROUP', 'LIMIT', 'LIKE', 'WHERE',
]);

const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>', '-'];
const PUNCTUATION = ['(', ')', ','];

/** MySQL string escapes, as Temporal's parser decodes them; any other escaped character stands for itself. */
const STRING_ESCAPES: Record<string, string> = {
  '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', "'": "'", '"': '"',
};

const IDENTIFIER_START = /[\p{L}_]/u;
const IDENTIFIER_PART = /[\p{L}\p{N}_]/u;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const position = i + 1;
    if (ch === "'" || ch === '"') {
      const end = readQuoted(query, i, ch, true);
      tokens.push({ type: 'string', value: end.value, raw: query.slice(i, end.next), position });
      i = end.next;
    } else if (ch === '`') {
      const end = readQuoted(query, i, '`', false);
      if (end.value === '') throw syntaxError(position, '``', 'an attribute name inside the backticks');
      tokens.push({ type: 'identifier', value: end.value, raw: query.slice(i, end.next), position });
      i = end.next;
    } else if (IDENTIFIER_START.test(ch)) {
      let j = i + 1;
      while (j < query.length && IDENTIFIER_PART.test(query[j])) j++;
      const word = query.slice(i, j);
      const upper = word.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ type: 'keyword', value: upper, raw: word, position });
      else tokens.push({ type: 'identifier', value: word, raw: word, position });
      i = j;
    } else if (/[\d.]/.test(ch)) {
      const match = NUMBER.exec(query.slice(i));
      if (!match) throw syntaxError(position, ch, 'a number');
      const after = query[i + match[0].length];
      if (after !== undefined && IDENTIFIER_PART.test(after)) {
        throw syntaxError(position, query.slice(i, i + match[0].length + 1), 'a number');
      }
      tokens.push({ type: 'number', value: match[0], raw: match[0], position });
      i += match[0].length;
    } else {
      const operator = OPERATORS.find((op) => query.startsWith(op, i));
      if (operator) {
        tokens.push({ type: 'operator', value: operator === '<>' ? '!=' : operator, raw: operator, position });
        i += operator.length;
      } else if (PUNCTUATION.includes(ch)) {
        tokens.push({ type: 'punctuation', value: ch, raw: ch, position });
        i++;
      } else {
        throw new VisibilityQueryError(`malformed query: unexpected character '${ch}' at position ${position}`);
      }
    }
  }
  tokens.push({ type: 'end', value: '', raw: '', position: query.length + 1 });
  return tokens;
}

/** Reads a quoted string or identifier starting at `start`; a doubled quote stands for one quote. */
function readQuoted(query: string, start: number, quote: string, escapes: boolean): { value: string; next: number } {
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const ch = query[i];
    if (ch === quote) {
      if (query[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, next: i + 1 };
    }
    if (escapes && ch === '\\' && i + 1 < query.length) {
      const escaped = query[i + 1];
      value += STRING_ESCAPES[escaped] ?? escaped;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  throw new VisibilityQueryError(
    `malformed query: unterminated ${quote === '`' ? 'attribute name' : 'string'} starting at position ${start + 1}`,
  );
}
