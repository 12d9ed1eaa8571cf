import type { EngineContext } from '../context';
import type { Handler } from './grpc';
import { compileVisibilityQuery, VisibilityQueryError } from '../visibility/index';
import { executionInfo } from './client-handlers';
import { invalidArgument } from '../errors';
import type { ExecutionRow } from '../history/run';

const MAX_PAGE_SIZE = 1000;

/** Compiles the request's query; a query the language cannot run is INVALID_ARGUMENT with its reason. */
async function compile(ctx: EngineContext, namespace: string, query: string | undefined) {
  try {
    return compileVisibilityQuery(query ?? '', await ctx.namespaces.attributeTypes(namespace), { tableAlias: 'e', firstParam: 2 });
  } catch (err) {
    if (err instanceof VisibilityQueryError) throw invalidArgument(err.message);
    throw err;
  }
}

function parsePageToken(token: Uint8Array | undefined): number {
  if (!token?.length) return 0;
  const offset = Number(Buffer.from(token).toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw invalidArgument('Invalid NextPageToken.');
  return offset;
}

export function visibilityHandlers(ctx: EngineContext): Record<string, Handler> {
  const list: Handler = async (req) => {
    const ns = await ctx.namespaces.require(req.namespace);
    const { where, params, orderBy } = await compile(ctx, ns.name, req.query);
    const pageSize = req.pageSize > 0 ? Math.min(req.pageSize, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
    const offset = parsePageToken(req.nextPageToken);
    const { rows } = await ctx.pool.query<ExecutionRow>(
      `SELECT e.* FROM executions e WHERE e.namespace = $1 AND ${where} ORDER BY ${orderBy}
       LIMIT ${pageSize + 1} OFFSET ${offset}`,
      [ns.name, ...params],
    );
    const more = rows.length > pageSize;
    return {
      executions: rows.slice(0, pageSize).map(executionInfo),
      nextPageToken: more ? Buffer.from(String(offset + pageSize)) : undefined,
    };
  };
  return {
    ListWorkflowExecutions: list,
    ScanWorkflowExecutions: list,
    async CountWorkflowExecutions(req) {
      const ns = await ctx.namespaces.require(req.namespace);
      const { where, params } = await compile(ctx, ns.name, req.query);
      const { rows } = await ctx.pool.query<{ count: string }>(`SELECT count(*) AS count FROM executions e WHERE e.namespace = $1 AND ${where}`, [
        ns.name,
        ...params,
      ]);
      return { count: Number(rows[0].count) };
    },
  };
}
