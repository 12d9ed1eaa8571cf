import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileVisibilityQuery,
  MAX_NESTING_DEPTH,
  MAX_QUERY_LENGTH,
  VisibilityQueryError,
} from '../../engine/visibility';
import { tokenize } from '../../engine/visibility/lexer';
import { parseVisibilityQuery } from '../../engine/visibility/parser';

const attributeTypes = new Map<string, number>([
  ['Agency', 2],
  ['Priority', 3],
  ['Score', 4],
  ['Urgent', 5],
  ['Due', 6],
  ['Subject', 1],
  ['Tags', 7],
  ['Broken', 42],
]);

/** The error a query fails with, for asserting on its message and field. */
function failure(query: string): VisibilityQueryError {
  try {
    compileVisibilityQuery(query, attributeTypes);
  } catch (error) {
    expect(error).toBeInstanceOf(VisibilityQueryError);
    return error as VisibilityQueryError;
  }
  throw new Error(`query was accepted: ${query}`);
}

const attr = (name: string, position: number) => ({ name, position });

describe('visibility query lexer', () => {
  it('decodes quoted strings, escapes and backtick names', () => {
    const tokens = tokenize("`Odd ``x`` name` = 'a\\'b''c\\n\\q' \"d\\\"e\"");
    expect(tokens.map((token) => [token.type, token.value])).toEqual([
      ['identifier', 'Odd `x` name'],
      ['operator', '='],
      ['string', "a'b'c\nq"],
      ['string', 'd"e'],
      ['end', ''],
    ]);
  });

  it('reads keywords in any case, <> as != and numbers with fractions and exponents', () => {
    const tokens = tokenize('a <> .5 AnD b >= 1.5e-3 starts_with In');
    expect(tokens.map((token) => `${token.type}:${token.value}`)).toEqual([
      'identifier:a', 'operator:!=', 'number:.5', 'keyword:AND', 'identifier:b', 'operator:>=', 'number:1.5e-3',
      'keyword:STARTS_WITH', 'keyword:IN', 'end:',
    ]);
  });

  it('names the position of an unterminated string or a stray character', () => {
    expect(() => tokenize("a = 'abc")).toThrow("malformed query: unterminated string starting at position 5");
    expect(() => tokenize('a = 1 ; DROP')).toThrow("malformed query: unexpected character ';' at position 7");
    expect(() => tokenize('a = 12abc')).toThrow(/position 5 near '12a'/);
  });
});

describe('visibility query parser', () => {
  it('gives an empty or blank query no filter', () => {
    expect(parseVisibilityQuery('')).toEqual({ where: null, orderBy: [] });
    expect(parseVisibilityQuery('  \n ')).toEqual({ where: null, orderBy: [] });
    expect(compileVisibilityQuery(' ', attributeTypes).where).toBe('TRUE');
  });

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    const { where } = parseVisibilityQuery("a = 1 OR NOT b = 'x' AND c = 2");
    expect(where).toEqual({
      kind: 'or',
      operands: [
        { kind: 'compare', attribute: attr('a', 1), operator: '=', value: { kind: 'number', value: '1', position: 5 } },
        {
          kind: 'and',
          operands: [
            {
              kind: 'not',
              operand: { kind: 'compare', attribute: attr('b', 14), operator: '=', value: { kind: 'string', value: 'x', position: 18 } },
            },
            { kind: 'compare', attribute: attr('c', 26), operator: '=', value: { kind: 'number', value: '2', position: 30 } },
          ],
        },
      ],
    });
  });

  it('lets parentheses group, and keeps the AND of BETWEEN inside BETWEEN', () => {
    const { where } = parseVisibilityQuery('(a = 1 OR b = 2) AND c BETWEEN -1 AND 5 AND d NOT IN (1, 2)');
    expect(where).toMatchObject({
      kind: 'and',
      operands: [
        { kind: 'or', operands: [{ attribute: { name: 'a' } }, { attribute: { name: 'b' } }] },
        { kind: 'between', negated: false, low: { value: '-1' }, high: { value: '5' } },
        { kind: 'in', negated: true, values: [{ value: '1' }, { value: '2' }] },
      ],
    });
  });

  it('reads IS NULL, IS NOT NULL, STARTS_WITH, NOT STARTS_WITH, TRUE and FALSE', () => {
    const { where } = parseVisibilityQuery("a IS NULL AND b is not null AND c STARTS_WITH 'p' AND d NOT STARTS_WITH 'q' AND e = TRUE AND f != false");
    expect(where).toMatchObject({
      kind: 'and',
      operands: [
        { kind: 'isNull', negated: false },
        { kind: 'isNull', negated: true },
        { kind: 'startsWith', negated: false, prefix: { value: 'p' } },
        { kind: 'startsWith', negated: true, prefix: { value: 'q' } },
        { kind: 'compare', value: { kind: 'boolean', value: true } },
        { kind: 'compare', operator: '!=', value: { kind: 'boolean', value: false } },
      ],
    });
  });

  it('reads ORDER BY terms with or without a filter', () => {
    expect(parseVisibilityQuery('order by StartTime desc, `Order` ASC, WorkflowId')).toEqual({
      where: null,
      orderBy: [
        { attribute: attr('StartTime', 10), direction: 'DESC' },
        { attribute: attr('Order', 26), direction: 'ASC' },
        { attribute: attr('WorkflowId', 39), direction: 'ASC' },
      ],
    });
    expect(parseVisibilityQuery("a = 'x' ORDER BY b").orderBy).toEqual([{ attribute: attr('b', 18), direction: 'ASC' }]);
  });

  it('reports syntax errors with the position and the token', () => {
    expect(() => parseVisibilityQuery("WorkflowId = ")).toThrow(
      'malformed query: syntax error at the end of the query: expected a value (a quoted string, a number, TRUE or FALSE)',
    );
    expect(() => parseVisibilityQuery("(a = 1")).toThrow("syntax error at the end of the query: expected ')'");
    expect(() => parseVisibilityQuery("a = 1 b = 2")).toThrow("syntax error at position 7 near 'b': expected AND, OR, ORDER BY or the end of the query");
    expect(() => parseVisibilityQuery("a = = 1")).toThrow("syntax error at position 5 near '='");
    expect(() => parseVisibilityQuery("a IN ()")).toThrow("syntax error at position 7 near ')'");
    expect(() => parseVisibilityQuery("()")).toThrow("syntax error at position 2 near ')': expected a search attribute name");
    expect(() => parseVisibilityQuery("a NOT = 1")).toThrow("expected STARTS_WITH, IN or BETWEEN after NOT");
    expect(() => parseVisibilityQuery("a IS TRUE")).toThrow("near 'TRUE': expected NULL");
    expect(() => parseVisibilityQuery("a BETWEEN 1 OR 2")).toThrow("near 'OR': expected AND");
    expect(() => parseVisibilityQuery("ORDER StartTime")).toThrow("near 'StartTime': expected BY");
    expect(() => parseVisibilityQuery("WHERE a = 1")).toThrow("near 'WHERE': expected a search attribute name");
  });

  it("says what is unsupported, as Temporal's messages do", () => {
    expect(() => parseVisibilityQuery('GROUP BY ExecutionStatus')).toThrow("operation is not supported: 'GROUP BY' clause at position 1");
    expect(() => parseVisibilityQuery("a = 1 LIMIT 5")).toThrow("operation is not supported: 'LIMIT' clause at position 7");
    expect(() => parseVisibilityQuery("a LIKE 'x%'")).toThrow('operation is not supported: LIKE at position 3 (use STARTS_WITH for a prefix)');
    expect(() => parseVisibilityQuery('WorkflowType = MyWorkflow')).toThrow(
      "invalid expression: column name on the right side of a comparison at position 16 (did you forget to quote 'MyWorkflow'?)",
    );
  });

  it('bounds the query length and the nesting depth', () => {
    const long = "WorkflowId = '" + 'x'.repeat(MAX_QUERY_LENGTH) + "'";
    expect(() => parseVisibilityQuery(long)).toThrow(`invalid query: longer than ${MAX_QUERY_LENGTH} characters (${long.length})`);
    const nested = (depth: number) => '('.repeat(depth) + 'a = 1' + ')'.repeat(depth);
    expect(() => parseVisibilityQuery(nested(MAX_NESTING_DEPTH))).not.toThrow();
    expect(() => parseVisibilityQuery(nested(MAX_NESTING_DEPTH + 1))).toThrow(
      `invalid query: nested deeper than ${MAX_NESTING_DEPTH} levels at position ${MAX_NESTING_DEPTH + 1}`,
    );
    expect(() => parseVisibilityQuery('NOT '.repeat(MAX_NESTING_DEPTH + 1) + 'a = 1')).toThrow(/nested deeper/);
    // A long flat chain is fine: it is a list, not a nesting.
    const chain = Array.from({ length: 300 }, (_, i) => `a = ${i}`).join(' OR ');
    expect(parseVisibilityQuery(chain).where).toMatchObject({ kind: 'or' });
  });
});

describe('visibility query compiler', () => {
  it('numbers placeholders from firstParam, qualifies columns and reuses the name placeholder', () => {
    const compiled = compileVisibilityQuery("WorkflowType = 'T' AND Priority > 1 AND Priority < 9", attributeTypes, {
      tableAlias: 'e',
      firstParam: 3,
    });
    expect(compiled.params).toEqual(['T', 'Priority', '1', '9']);
    expect(compiled.where).toContain('e.workflow_type = $3::text');
    expect(compiled.where.match(/search_attributes -> \$4::text/g)?.length).toBe(4);
    expect(compiled.where).toContain('> $5::numeric');
    expect(compiled.where).toContain('< $6::numeric');
    expect(compiled.where).not.toMatch(/\$[127]\b/);
    expect(compiled.orderBy).toBe('e.close_time DESC NULLS FIRST, e.start_time DESC, e.run_id');
  });

  it('keeps ORDER BY free of placeholders so that one params array serves list and count', () => {
    const compiled = compileVisibilityQuery("Agency = 'x' ORDER BY Priority DESC, RunId", attributeTypes);
    expect(compiled.params).toEqual(['Agency', 'x']);
    expect(compiled.orderBy).not.toContain('$');
    expect(compiled.orderBy).toMatch(/^\(CASE .*E'Priority'.* DESC NULLS LAST, run_id ASC NULLS LAST$/);
  });

  it('refuses unsafe options, which are programming errors rather than bad queries', () => {
    expect(() => compileVisibilityQuery('', attributeTypes, { tableAlias: 'v; DROP' })).toThrow(RangeError);
    expect(() => compileVisibilityQuery('', attributeTypes, { firstParam: 0 })).toThrow(RangeError);
  });

  it('names an unknown attribute, case-sensitively', () => {
    const error = failure("Foo = 'x'");
    expect(error.message).toBe("invalid expression: column name 'Foo' is not a valid search attribute (position 1)");
    expect(error.field).toBe('Foo');
    expect(failure("workflowId = 'x'").field).toBe('workflowId');
    expect(failure('ORDER BY Nope').field).toBe('Nope');
    expect(failure('Broken = 1').message).toBe('invalid expression: unknown search attribute type 42 for Broken');
  });

  it('names the attribute and the value when the value has the wrong type', () => {
    const cases: [string, string, string][] = [
      ["Priority = 'abc'", 'Priority', "invalid value type for search attribute Priority of type Int: 'abc' (position 12)"],
      ['Agency = 5', 'Agency', 'invalid value type for search attribute Agency of type Keyword: 5 (a number) (position 10)'],
      ["Urgent = 'true'", 'Urgent', "search attribute Urgent of type Bool: 'true'"],
      ['Score > TRUE', 'Score', 'search attribute Score of type Double: true (a boolean)'],
      ['Tags = 1', 'Tags', 'search attribute Tags of type KeywordList: 1 (a number)'],
      ['Subject = 1', 'Subject', 'search attribute Subject of type Text: 1 (a number)'],
      ['WorkflowId IN (1)', 'WorkflowId', 'search attribute WorkflowId of type Keyword: 1 (a number)'],
      ['Priority = 1e999', 'Priority', 'of type Int: 1e999 (a number)'],
    ];
    for (const [query, field, message] of cases) {
      const error = failure(query);
      expect(error.field).toBe(field);
      expect(error.message).toContain(message);
    }
  });

  it('rejects bad datetimes: impossible dates, missing zones, garbage', () => {
    for (const value of ["'2024-02-30T00:00:00Z'", "'2023-02-29T00:00:00Z'", "'2024-01-01T24:00:00Z'", "'2024-01-01T00:00:00'", "'2024-01-01'", "'yesterday'", "'0000-01-01T00:00:00Z'", '1.5']) {
      const error = failure(`StartTime > ${value}`);
      expect(error.field).toBe('StartTime');
      expect(error.message).toMatch(/^invalid expression: unable to parse datetime .* for search attribute StartTime/);
    }
    expect(() => compileVisibilityQuery("Due > '2024-02-29T23:59:59.999999999-12:00'", attributeTypes)).not.toThrow();
  });

  it('normalises datetimes to microseconds, from RFC 3339 or epoch nanoseconds', () => {
    const { params } = compileVisibilityQuery(
      "StartTime > '2024-05-01t08:30:00.123456789z' AND CloseTime < '2024-05-01T08:30:00+07:00' AND ExecutionTime > -1",
      attributeTypes,
    );
    expect(params).toEqual(['2024-05-01T08:30:00.123456Z', '2024-05-01T08:30:00.000000+07:00', '1969-12-31T23:59:59.999999Z']);
  });

  it('accepts only the execution status names Temporal accepts', () => {
    const error = failure("ExecutionStatus = 'running'");
    expect(error.field).toBe('ExecutionStatus');
    expect(error.message).toContain("invalid ExecutionStatus value 'running' (position 19); expected one of Unspecified, Running, Completed");
    expect(failure('ExecutionStatus = 99').message).toContain('invalid ExecutionStatus value 99 (a number)');
    expect(compileVisibilityQuery("ExecutionStatus IN ('TimedOut', 'WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW', 3)", attributeTypes).params).toEqual([[7, 6, 3]]);
  });

  it("refuses operators the attribute's type does not support", () => {
    const cases: [string, string][] = [
      ["Priority STARTS_WITH '1'", "operator 'STARTS_WITH' not supported for Int type search attribute 'Priority'"],
      ["Subject > 'a'", "operator '>' not supported for Text type search attribute 'Subject'"],
      ["Subject IN ('a')", "operator 'IN' not supported for Text type search attribute 'Subject'"],
      ['Urgent BETWEEN true AND false', "operator 'BETWEEN' not supported for Bool type search attribute 'Urgent'"],
      ["Tags < 'a'", "operator '<' not supported for KeywordList type search attribute 'Tags'"],
      ["ExecutionStatus > 'Running'", "operator '>' not supported for ExecutionStatus type search attribute 'ExecutionStatus'"],
      ["StartTime NOT STARTS_WITH '2024'", "operator 'NOT STARTS_WITH' not supported for Datetime type search attribute 'StartTime'"],
    ];
    for (const [query, message] of cases) expect(failure(query).message).toBe(`operation is not supported: ${message}`);
  });

  it('refuses to sort by Text or KeywordList, and a Text value with no words', () => {
    expect(failure('ORDER BY Subject').message).toBe('operation is not supported: unable to sort by search attribute Subject of type Text');
    expect(failure('ORDER BY Tags DESC').field).toBe('Tags');
    expect(failure("Subject = ' !? '").message).toBe('invalid expression: value for Text search attribute Subject has no words (position 11)');
  });
});

describe('visibility query on arbitrary text', () => {
  const pieces = fc.constantFrom(
    'WorkflowId', 'Priority', 'Tags', 'Due', 'Nope', '`Agency`', '=', '!=', '<>', '<', '>=', '(', ')', ',', '-', 'AND', 'or', 'NOT',
    'IN', 'BETWEEN', 'IS', 'NULL', 'STARTS_WITH', 'ORDER BY', 'DESC', 'TRUE', "'x'", '"y"', "'", '`', '\\', '1', '2.5e3', '.', ';',
  );
  const text = fc.oneof(fc.string({ maxLength: 60 }), fc.array(pieces, { maxLength: 20 }).map((parts) => parts.join(' ')));

  it('either compiles or fails with VisibilityQueryError, never anything else', () => {
    fc.assert(
      fc.property(text, (query) => {
        try {
          const { where, params } = compileVisibilityQuery(query, attributeTypes);
          const placeholders = new Set(where.match(/\$\d+/g));
          expect(placeholders.size).toBe(params.length);
        } catch (error) {
          expect(error).toBeInstanceOf(VisibilityQueryError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
