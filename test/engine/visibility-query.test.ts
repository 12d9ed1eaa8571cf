import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileVisibilityQuery, VisibilityQueryError } from '../../engine/visibility';
import { createTestDatabase } from '../support/database';

/**
 * Runs compiled list filters on a real PostgreSQL table of the engine's visibility layout and
 * checks which workflows come back. Expected ids are worked out by hand from the rows below.
 */

const TEXT = 1, KEYWORD = 2, INT = 3, DOUBLE = 4, BOOL = 5, DATETIME = 6, KEYWORD_LIST = 7;
const ODD_NAME = "Odd'Name\\";
const attributeTypes = new Map<string, number>([
  ['Agency', KEYWORD],
  ['Priority', INT],
  ['Score', DOUBLE],
  ['Urgent', BOOL],
  ['Due', DATETIME],
  ['Subject', TEXT],
  ['Tags', KEYWORD_LIST],
  [ODD_NAME, KEYWORD],
]);

const RUNNING = 1, COMPLETED = 2, FAILED = 3, CANCELED = 4, TERMINATED = 5, CONTINUED_AS_NEW = 6, TIMED_OUT = 7;

interface Row {
  namespace?: string;
  id: string;
  type: string;
  queue: string;
  status: number;
  start: string;
  execution?: string;
  close: string | null;
  attributes: Record<string, unknown>;
}

const rows: Row[] = [
  {
    id: 'doc-001', type: 'IncomingDocument', queue: 'documents', status: RUNNING, start: '2024-03-01T08:00:00Z', close: null,
    attributes: {
      Agency: 'G01.001', Priority: 3, Score: 4.5, Urgent: true, Subject: 'Báo cáo tài chính quý 1',
      Tags: ['urgent', 'finance'], Due: '2024-03-10T00:00:00Z',
    },
  },
  {
    id: 'doc-002', type: 'IncomingDocument', queue: 'documents', status: COMPLETED, start: '2024-03-02T08:00:00Z',
    close: '2024-03-05T08:00:00Z',
    attributes: {
      Agency: 'G01.002', Priority: 1, Score: 2.25, Urgent: false, Subject: 'Công văn mời họp giao ban',
      Tags: ['meeting'], Due: '2024-03-04T17:00:00.123456Z',
    },
  },
  {
    id: 'doc-003', type: 'OutgoingDocument', queue: 'documents', status: FAILED, start: '2024-03-03T08:00:00Z',
    close: '2024-03-03T09:00:00Z',
    attributes: { Agency: 'G02.001', Priority: 5, Score: -1.5, Subject: 'my-business-id-foobar', Tags: [], Due: '2024-04-01T00:00:00+07:00' },
  },
  {
    id: 'doc_004', type: 'OutgoingDocument', queue: 'documents', status: CANCELED, start: '2024-03-04T08:00:00Z',
    close: '2024-03-06T10:00:00Z', attributes: { Agency: 'G02.002', Priority: 2 },
  },
  {
    id: 'doc%005', type: 'OutgoingDocument', queue: 'documents', status: TERMINATED, start: '2024-03-05T08:00:00Z',
    close: '2024-03-05T08:30:00Z', attributes: {},
  },
  {
    id: 'docX005', type: 'OutgoingDocument', queue: 'documents', status: COMPLETED, start: '2024-03-05T09:00:00Z',
    close: '2024-03-07T00:00:00Z', attributes: { Agency: 'G01.001' },
  },
  {
    id: 'archive-001', type: 'ArchiveDocument', queue: 'archive', status: CONTINUED_AS_NEW, start: '2024-02-01T00:00:00Z',
    close: '2024-02-15T00:00:00Z', attributes: { Priority: '__BIG__' },
  },
  {
    id: 'archive-002', type: 'ArchiveDocument', queue: 'archive', status: TIMED_OUT, start: '2024-02-02T00:00:00Z',
    close: '2024-02-03T00:00:00.000001Z', attributes: { Tags: ['finance', 'archive'] },
  },
  {
    id: 'sign-001', type: 'SignDocument', queue: 'signing', status: RUNNING, start: '2024-03-06T08:00:00Z',
    execution: '2024-03-07T08:00:00Z', close: null, attributes: { Urgent: true, Tags: ['urgent'], [ODD_NAME]: 'z' },
  },
  {
    id: 'sign-002', type: 'SignDocument', queue: 'signing', status: COMPLETED, start: '2024-03-06T09:00:00Z',
    close: '2024-03-06T09:05:00Z', attributes: { Subject: 'Phê duyệt BÁO CÁO', Urgent: false },
  },
  {
    id: "O'Brien-1", type: 'SignDocument', queue: 'signing', status: COMPLETED, start: '2024-01-15T00:00:00Z',
    close: '2024-01-15T01:00:00Z', attributes: { Agency: "G'01" },
  },
  {
    // Values of the wrong JSON type must neither match nor break the query.
    id: 'bad-types', type: 'IncomingDocument', queue: 'documents', status: FAILED, start: '2024-03-07T00:00:00Z',
    close: '2024-03-07T01:00:00Z',
    attributes: { Priority: 'high', Score: 'x', Urgent: 'yes', Tags: 'finance', Due: 'tomorrow', Subject: 42, Agency: ['G01.001'] },
  },
  {
    namespace: 'other', id: 'other-001', type: 'IncomingDocument', queue: 'documents', status: RUNNING,
    start: '2024-03-01T08:00:00Z', close: null, attributes: { Agency: 'G01.001', Priority: 3 },
  },
];

/** Larger than 2^53: must compare exactly, so it is written into the JSON text as is. */
const BIG = '9007199254740993';

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client(await createTestDatabase('visibility'));
  await client.connect();
  await client.query(`
    CREATE TABLE executions_visibility (
      namespace text NOT NULL, workflow_id text NOT NULL, run_id text NOT NULL, workflow_type text NOT NULL,
      task_queue text NOT NULL, status smallint NOT NULL, start_time timestamptz NOT NULL,
      execution_time timestamptz NOT NULL, close_time timestamptz, search_attributes jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (namespace, workflow_id, run_id)
    )`);
  for (const [index, row] of rows.entries()) {
    await client.query(
      `INSERT INTO executions_visibility VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
      [
        row.namespace ?? 'default', row.id, `run-${String(index + 1).padStart(2, '0')}`, row.type, row.queue, row.status,
        row.start, row.execution ?? row.start, row.close, JSON.stringify(row.attributes).replace('"__BIG__"', BIG),
      ],
    );
  }
});

afterAll(async () => {
  await client?.end();
});

/** Workflow ids the query returns in namespace `default`, in the compiled order. */
async function list(query: string): Promise<string[]> {
  const { where, params, orderBy } = compileVisibilityQuery(query, attributeTypes, { tableAlias: 'v', firstParam: 2 });
  const result = await client.query(
    `SELECT v.workflow_id FROM executions_visibility v WHERE v.namespace = $1 AND ${where} ORDER BY ${orderBy}`,
    ['default', ...params],
  );
  return result.rows.map((row) => row.workflow_id);
}

async function listSorted(query: string): Promise<string[]> {
  return (await list(query)).sort();
}

async function count(query: string): Promise<number> {
  const { where, params } = compileVisibilityQuery(query, attributeTypes, { firstParam: 2 });
  const result = await client.query(
    `SELECT count(*)::int AS n FROM executions_visibility WHERE namespace = $1 AND ${where}`,
    ['default', ...params],
  );
  return result.rows[0].n;
}

const sorted = (...ids: string[]) => ids.sort();

describe('visibility queries on PostgreSQL: predefined attributes', () => {
  it('returns every workflow of the namespace for an empty query, running first, then by close time', async () => {
    expect(await list('')).toEqual([
      'sign-001', 'doc-001', 'bad-types', 'docX005', 'doc_004', 'sign-002', 'doc%005', 'doc-002', 'doc-003',
      'archive-001', 'archive-002', "O'Brien-1",
    ]);
    expect(await list('   \n\t ')).toHaveLength(12);
  });

  it('filters by workflow type and keeps other namespaces out', async () => {
    expect(await listSorted("WorkflowType = 'IncomingDocument'")).toEqual(sorted('doc-001', 'doc-002', 'bad-types'));
    expect(await count("WorkflowType = 'IncomingDocument'")).toBe(3);
  });

  it('binds AND tighter than OR, and parentheses override it', async () => {
    expect(
      await listSorted("WorkflowType = 'OutgoingDocument' AND ExecutionStatus = 'Completed' OR WorkflowType = 'ArchiveDocument'"),
    ).toEqual(sorted('docX005', 'archive-001', 'archive-002'));
    expect(
      await listSorted("WorkflowType = 'OutgoingDocument' AND (ExecutionStatus = 'Completed' OR WorkflowType = 'ArchiveDocument')"),
    ).toEqual(['docX005']);
    expect(await listSorted("NOT (WorkflowType = 'SignDocument' OR TaskQueue = 'documents')")).toEqual(
      sorted('archive-001', 'archive-002'),
    );
    expect(await listSorted("not WorkflowType = 'SignDocument' and not TaskQueue = 'documents'")).toEqual(
      sorted('archive-001', 'archive-002'),
    );
  });

  it('accepts execution status by shorthand name, proto name and number', async () => {
    for (const value of ["'Running'", "'WORKFLOW_EXECUTION_STATUS_RUNNING'", '1']) {
      expect(await listSorted(`ExecutionStatus = ${value}`)).toEqual(sorted('doc-001', 'sign-001'));
    }
    expect(await listSorted("ExecutionStatus != 'Running' AND TaskQueue = 'signing'")).toEqual(sorted('sign-002', "O'Brien-1"));
    expect(await listSorted("ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated')")).toEqual(
      sorted('doc-003', 'archive-002', 'doc%005', 'bad-types'),
    );
    expect(await listSorted("ExecutionStatus NOT IN ('Running', 'Completed')")).toEqual(
      sorted('doc-003', 'doc_004', 'doc%005', 'archive-001', 'archive-002', 'bad-types'),
    );
    expect(await listSorted("ExecutionStatus = 'ContinuedAsNew' OR ExecutionStatus = 'Canceled'")).toEqual(
      sorted('archive-001', 'doc_004'),
    );
  });

  it('treats % and _ in a STARTS_WITH prefix literally', async () => {
    expect(await list("WorkflowId STARTS_WITH 'doc%'")).toEqual(['doc%005']);
    expect(await list("WorkflowId STARTS_WITH 'doc_'")).toEqual(['doc_004']);
    expect(await listSorted("WorkflowId STARTS_WITH 'doc'")).toEqual(
      sorted('doc-001', 'doc-002', 'doc-003', 'doc_004', 'doc%005', 'docX005'),
    );
    expect(await listSorted("WorkflowId NOT STARTS_WITH 'doc'")).toEqual(
      sorted('archive-001', 'archive-002', 'sign-001', 'sign-002', "O'Brien-1", 'bad-types'),
    );
    expect(await listSorted("WorkflowId STARTS_WITH 'O''B' OR WorkflowId STARTS_WITH 'doc!'")).toEqual(["O'Brien-1"]);
  });

  it('reads quotes inside strings in every way the language allows', async () => {
    for (const query of ["WorkflowId = 'O\\'Brien-1'", `WorkflowId = "O'Brien-1"`, "WorkflowId = 'O''Brien-1'"]) {
      expect(await list(query)).toEqual(["O'Brien-1"]);
    }
    expect(await list('RunId = "run-02"')).toEqual(['doc-002']);
    expect(await list('`WorkflowId` = "doc-002"')).toEqual(['doc-002']);
  });

  it('filters datetime ranges, with offsets, nanoseconds cut to microseconds and epoch nanoseconds', async () => {
    expect(await listSorted("StartTime >= '2024-03-05T00:00:00Z' AND StartTime < '2024-03-06T00:00:00Z'")).toEqual(
      sorted('doc%005', 'docX005'),
    );
    expect(await listSorted("StartTime BETWEEN '2024-03-01T00:00:00Z' AND '2024-03-03T08:00:00Z'")).toEqual(
      sorted('doc-001', 'doc-002', 'doc-003'),
    );
    expect(await list("StartTime = '2024-03-03T15:00:00+07:00'")).toEqual(['doc-003']);
    expect(await list('StartTime = 1709280000000000000')).toEqual(['doc-001']);
    expect(await list("CloseTime > '2024-02-03T00:00:00.000000999Z' AND CloseTime < '2024-02-04T00:00:00Z'")).toEqual([
      'archive-002',
    ]);
    expect(await list("CloseTime > '2024-02-03T00:00:00.000001999Z' AND CloseTime < '2024-02-04T00:00:00Z'")).toEqual([]);
    expect(await listSorted("ExecutionTime >= '2024-03-07T00:00:00Z'")).toEqual(sorted('sign-001', 'bad-types'));
  });

  it('gives running workflows a null CloseTime', async () => {
    expect(await listSorted('CloseTime IS NULL')).toEqual(sorted('doc-001', 'sign-001'));
    expect(await listSorted("CloseTime is not null AND StartTime >= '2024-03-06T00:00:00Z'")).toEqual(
      sorted('sign-002', 'bad-types'),
    );
    expect(await listSorted("CloseTime < '2024-03-01T00:00:00Z'")).toEqual(sorted('archive-001', 'archive-002', "O'Brien-1"));
  });
});

describe('visibility queries on PostgreSQL: custom attributes', () => {
  it('compares Keyword attributes; missing or non-string values never match', async () => {
    expect(await listSorted("Agency = 'G01.001'")).toEqual(sorted('doc-001', 'docX005'));
    expect(await listSorted("Agency STARTS_WITH 'G02'")).toEqual(sorted('doc-003', 'doc_004'));
    expect(await listSorted("Agency IN ('G01.002', 'G02.002')")).toEqual(sorted('doc-002', 'doc_004'));
    expect(await listSorted("Agency > 'G01.002'")).toEqual(sorted('doc-003', 'doc_004'));
    expect(await list(`Agency = "G'01"`)).toEqual(["O'Brien-1"]);
    expect(await listSorted('Agency IS NULL')).toEqual(
      sorted('doc%005', 'archive-001', 'archive-002', 'sign-001', 'sign-002', 'bad-types'),
    );
  });

  it('compares Int attributes exactly, beyond 2^53 too', async () => {
    expect(await listSorted('Priority > 2')).toEqual(sorted('doc-001', 'doc-003', 'archive-001'));
    expect(await listSorted('Priority >= 2 AND Priority <= 3')).toEqual(sorted('doc-001', 'doc_004'));
    expect(await listSorted('Priority BETWEEN 1 AND 2')).toEqual(sorted('doc-002', 'doc_004'));
    expect(await listSorted('Priority NOT BETWEEN 1 AND 2')).toEqual(sorted('doc-001', 'doc-003', 'archive-001'));
    expect(await list(`Priority = ${BIG}`)).toEqual(['archive-001']);
    expect(await list('Priority = 9007199254740992')).toEqual([]);
    expect(await listSorted('Priority IN (1, 5)')).toEqual(sorted('doc-002', 'doc-003'));
    expect(await listSorted('Priority != 3')).toEqual(sorted('doc-002', 'doc-003', 'doc_004', 'archive-001'));
    expect(await list('Priority = 3.0')).toEqual(['doc-001']);
  });

  it('compares Double attributes, negative and exponent literals included', async () => {
    expect(await list('Score < 0')).toEqual(['doc-003']);
    expect(await list('Score = -1.5')).toEqual(['doc-003']);
    expect(await listSorted('Score >= 2.25')).toEqual(sorted('doc-001', 'doc-002'));
    expect(await list('Score > 2.25')).toEqual(['doc-001']);
    expect(await listSorted('Score > 1e0')).toEqual(sorted('doc-001', 'doc-002'));
  });

  it('compares Bool attributes with TRUE and FALSE', async () => {
    expect(await listSorted('Urgent = true')).toEqual(sorted('doc-001', 'sign-001'));
    expect(await listSorted('Urgent = FALSE')).toEqual(sorted('doc-002', 'sign-002'));
    expect(await listSorted('Urgent != true')).toEqual(sorted('doc-002', 'sign-002'));
  });

  it('compares Datetime attributes as instants, whatever offset they were stored with', async () => {
    expect(await list("Due < '2024-03-05T00:00:00Z'")).toEqual(['doc-002']);
    expect(await list("Due = '2024-03-04T17:00:00.123456Z'")).toEqual(['doc-002']);
    expect(await list("Due > '2024-03-31T16:59:59Z'")).toEqual(['doc-003']);
    expect(await listSorted("Due BETWEEN '2024-03-01T00:00:00Z' AND '2024-03-31T00:00:00Z'")).toEqual(sorted('doc-001', 'doc-002'));
    expect(await listSorted('Due IS NOT NULL')).toEqual(sorted('doc-001', 'doc-002', 'doc-003'));
  });

  it('matches Text attributes word by word, ignoring case and punctuation', async () => {
    expect(await listSorted("Subject = 'báo'")).toEqual(sorted('doc-001', 'sign-002'));
    expect(await list("Subject = 'foobar'")).toEqual(['doc-003']);
    expect(await list("Subject = 'foo'")).toEqual([]);
    expect(await list("Subject = 'họp xyz'")).toEqual(['doc-002']);
    expect(await listSorted("Subject != 'BÁO'")).toEqual(sorted('doc-002', 'doc-003'));
    expect(await list("Subject = 'a:b & !c | (d)'")).toEqual([]);
  });

  it('treats = on a KeywordList as "contains"', async () => {
    expect(await listSorted("Tags = 'finance'")).toEqual(sorted('doc-001', 'archive-002'));
    expect(await listSorted("Tags IN ('meeting', 'archive')")).toEqual(sorted('doc-002', 'archive-002'));
    expect(await listSorted("Tags != 'urgent'")).toEqual(sorted('doc-002', 'doc-003', 'archive-002'));
    expect(await listSorted("Tags NOT IN ('urgent', 'finance')")).toEqual(sorted('doc-002', 'doc-003'));
    expect(await listSorted('Tags IS NULL')).toEqual(
      sorted('doc_004', 'doc%005', 'docX005', 'archive-001', 'sign-002', "O'Brien-1", 'bad-types'),
    );
  });

  it('reads an attribute whose name needs backticks and quoting', async () => {
    expect(await list("`Odd'Name\\` = 'z'")).toEqual(['sign-001']);
    expect(await list("TaskQueue = 'signing' ORDER BY `Odd'Name\\` DESC")).toEqual(['sign-001', 'sign-002', "O'Brien-1"]);
  });
});

describe('visibility queries on PostgreSQL: ORDER BY', () => {
  it('sorts by a predefined attribute', async () => {
    expect(await list("WorkflowType = 'OutgoingDocument' ORDER BY StartTime ASC")).toEqual([
      'doc-003', 'doc_004', 'doc%005', 'docX005',
    ]);
    expect(await list("TaskQueue = 'signing' ORDER BY CloseTime DESC")).toEqual(['sign-002', "O'Brien-1", 'sign-001']);
    expect(await list('ORDER BY StartTime')).toHaveLength(12);
    expect((await list('order by StartTime desc'))[0]).toBe('bad-types');
  });

  it('sorts by custom attributes, missing values last, then by the next term', async () => {
    expect(await list("TaskQueue = 'documents' ORDER BY Priority DESC, WorkflowId")).toEqual([
      'doc-003', 'doc-001', 'doc_004', 'doc-002', 'bad-types', 'doc%005', 'docX005',
    ]);
    expect(await list('Due IS NOT NULL ORDER BY Due')).toEqual(['doc-002', 'doc-001', 'doc-003']);
    expect(await list("TaskQueue = 'signing' ORDER BY Urgent DESC, ExecutionStatus")).toEqual([
      'sign-001', 'sign-002', "O'Brien-1",
    ]);
  });
});

describe('visibility queries on PostgreSQL: hostile input', () => {
  it('binds every value, so an injection attempt is only a value that matches nothing', async () => {
    const attempts = [
      "WorkflowId = 'x''; DROP TABLE executions_visibility; --'",
      "WorkflowId = 'x\\' OR 1=1 --'",
      "WorkflowId STARTS_WITH ''' OR TRUE OR ''='",
      "Agency IN ('a'')) OR TRUE --', 'b')",
      "Subject = ''')) OR TRUE; DELETE FROM executions_visibility; --'",
    ];
    for (const query of attempts) {
      const { where, params } = compileVisibilityQuery(query, attributeTypes);
      expect(where).not.toMatch(/DROP|DELETE|OR 1=1|OR TRUE/);
      expect(params.length).toBeGreaterThan(0);
      expect(await list(query)).toEqual([]);
    }
    await expect(list("`WorkflowId' OR TRUE --` = 'x'")).rejects.toThrow(VisibilityQueryError);
    expect(await count('')).toBe(12);
  });

  it('does not fail on stored values of the wrong type', async () => {
    for (const query of ['Priority > 0', 'Score > 0', 'Urgent = true', "Due > '2000-01-01T00:00:00Z'", "Tags = 'finance'", "Subject = 'x'", "Agency = 'G01.001'"]) {
      expect(await list(query)).not.toContain('bad-types');
    }
  });
});

describe('visibility queries on PostgreSQL: generated queries', () => {
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const datetime = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
    .map((date) => quote(date.toISOString()));
  const literalFor: Record<string, fc.Arbitrary<string>> = {
    keyword: fc.string({ maxLength: 8 }).map(quote),
    number: fc.oneof(fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n))),
    bool: fc.constantFrom('true', 'FALSE'),
    datetime: fc.oneof(datetime, fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }).map(String)),
    status: fc.constantFrom("'Running'", "'Completed'", "'TimedOut'", '2', "'WORKFLOW_EXECUTION_STATUS_FAILED'"),
    text: fc.constantFrom("'báo'", "'foobar cáo'", "'x-y'"),
  };
  const attributes: [string, keyof typeof literalFor][] = [
    ['WorkflowId', 'keyword'], ['RunId', 'keyword'], ['WorkflowType', 'keyword'], ['TaskQueue', 'keyword'],
    ['ExecutionStatus', 'status'], ['StartTime', 'datetime'], ['ExecutionTime', 'datetime'], ['CloseTime', 'datetime'],
    ['Agency', 'keyword'], ['Priority', 'number'], ['Score', 'number'], ['Urgent', 'bool'], ['Due', 'datetime'],
    ['Subject', 'text'], ['Tags', 'keyword'], ['`' + ODD_NAME + '`', 'keyword'],
  ];
  const anyLiteral = fc.oneof(...Object.values(literalFor));
  const predicate = fc.constantFrom(...attributes).chain(([name, kind]) => {
    const literal = fc.oneof({ weight: 4, arbitrary: literalFor[kind] }, { weight: 1, arbitrary: anyLiteral });
    return fc.oneof(
      fc.tuple(fc.constantFrom('=', '!=', '<', '>', '<=', '>='), literal).map(([op, value]) => `${name} ${op} ${value}`),
      fc.tuple(fc.constantFrom('STARTS_WITH', 'NOT STARTS_WITH'), literal).map(([op, value]) => `${name} ${op} ${value}`),
      fc.tuple(fc.constantFrom('IN', 'NOT IN'), fc.array(literal, { minLength: 1, maxLength: 3 }))
        .map(([op, values]) => `${name} ${op} (${values.join(', ')})`),
      fc.tuple(fc.constantFrom('BETWEEN', 'NOT BETWEEN'), literal, literal)
        .map(([op, low, high]) => `${name} ${op} ${low} AND ${high}`),
      fc.constantFrom('IS NULL', 'IS NOT NULL').map((op) => `${name} ${op}`),
    );
  });
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      predicate,
      fc.tuple(tie('expr'), fc.constantFrom('AND', 'OR'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('expr').map((e) => `NOT (${e})`),
      tie('expr').map((e) => `(${e})`),
    ),
  }));
  const orderBy = fc.array(
    fc.tuple(fc.constantFrom(...attributes.map(([name]) => name)), fc.constantFrom('', ' ASC', ' DESC')),
    { maxLength: 2 },
  ).map((terms) => (terms.length ? ' ORDER BY ' + terms.map(([name, dir]) => name + dir).join(', ') : ''));

  it('either refuses a query with VisibilityQueryError or runs it without a database error', async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(expr, orderBy, async (filter, order) => {
        const query = filter + order;
        let ids: string[];
        try {
          ids = await list(query);
        } catch (error) {
          if (error instanceof VisibilityQueryError) return;
          throw new Error(`${query}\n${(error as Error).message}`);
        }
        ran++;
        expect(await count(filter)).toBe(ids.length);
      }),
      { numRuns: 300 },
    );
    // The generator is meant to produce mostly valid queries; make sure it does.
    expect(ran).toBeGreaterThan(90);
  });
});
