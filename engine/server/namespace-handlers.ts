import type { EngineContext } from '../context';
import type { Handler } from './grpc';
import { invalidArgument, notFound } from '../errors';
import { DEFAULT_RETENTION_SECONDS, SYSTEM_SEARCH_ATTRIBUTES, type NamespaceRecord } from '../store/namespaces';
import { duration, durationToMs } from '../proto';

export const SERVER_VERSION = '1.27.0';

function describe(ns: NamespaceRecord) {
  return {
    namespaceInfo: {
      name: ns.name,
      state: 1,
      description: ns.description,
      ownerEmail: ns.ownerEmail,
      data: ns.data,
      id: ns.id,
      capabilities: { syncUpdate: true, asyncUpdate: true, eagerWorkflowStart: false },
      supportsSchedules: false,
    },
    config: { workflowExecutionRetentionTtl: duration(ns.retentionSeconds * 1000), historyArchivalState: 1, visibilityArchivalState: 1 },
    replicationConfig: { activeClusterName: 'active', clusters: [{ clusterName: 'active' }], state: 1 },
    isGlobalNamespace: false,
  };
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

export function namespaceHandlers(ctx: EngineContext): Record<string, Handler> {
  const { namespaces } = ctx;
  return {
    async GetSystemInfo() {
      return {
        serverVersion: SERVER_VERSION,
        capabilities: {
          signalAndQueryHeader: true,
          internalErrorDifferentiation: true,
          activityFailureIncludeHeartbeat: true,
          encodedFailureAttributes: true,
          upsertMemo: true,
          sdkMetadata: true,
        },
      };
    },

    async DescribeNamespace(req) {
      if (req.id) {
        const ns = await namespaces.getById(req.id);
        if (!ns) throw notFound(`Namespace with id ${req.id} is not found.`);
        return describe(ns);
      }
      return describe(await namespaces.require(req.namespace));
    },

    async RegisterNamespace(req) {
      if (!req.namespace) throw invalidArgument('Namespace is not set on request.');
      if (!NAME_PATTERN.test(req.namespace)) throw invalidArgument(`Namespace name ${req.namespace} is invalid.`);
      const retentionMs = durationToMs(req.workflowExecutionRetentionPeriod);
      if (retentionMs < 0) throw invalidArgument('Invalid WorkflowExecutionRetentionPeriod.');
      await namespaces.register({
        name: req.namespace,
        description: req.description ?? '',
        ownerEmail: req.ownerEmail ?? '',
        retentionSeconds: retentionMs > 0 ? Math.round(retentionMs / 1000) : DEFAULT_RETENTION_SECONDS,
        data: req.data ?? {},
      });
      return {};
    },

    async ListNamespaces() {
      return { namespaces: (await namespaces.list()).map(describe) };
    },

    async GetSearchAttributes() {
      return { keys: Object.fromEntries(await namespaces.attributeTypes('default')) };
    },
  };
}

export function operatorHandlers(ctx: EngineContext): Record<string, Handler> {
  const { namespaces } = ctx;
  return {
    async AddSearchAttributes(req) {
      const ns = await namespaces.require(req.namespace);
      const entries = Object.entries((req.searchAttributes ?? {}) as Record<string, number>);
      if (entries.length === 0) throw invalidArgument('SearchAttributes are not set on request.');
      for (const [name, type] of entries) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > 64) throw invalidArgument(`Search attribute name ${name} is invalid.`);
        if (SYSTEM_SEARCH_ATTRIBUTES[name] !== undefined || name.startsWith('Temporal')) {
          throw invalidArgument(`Search attribute ${name} is reserved by system.`);
        }
        if (!(type >= 1 && type <= 7)) throw invalidArgument(`Unknown search attribute type: ${type}.`);
      }
      await namespaces.addAttributes(ns.name, new Map(entries));
      return {};
    },

    async RemoveSearchAttributes(req) {
      const ns = await namespaces.require(req.namespace);
      const names: string[] = req.searchAttributes ?? [];
      if (names.length === 0) throw invalidArgument('SearchAttributes are not set on request.');
      const removed = await namespaces.removeAttributes(ns.name, names);
      const missing = names.filter((n) => !removed.includes(n));
      if (missing.length) throw notFound(`Search attribute ${missing[0]} doesn't exist.`);
      return {};
    },

    async ListSearchAttributes(req) {
      const ns = await namespaces.require(req.namespace);
      const custom = await namespaces.customAttributes(ns.name);
      return {
        customAttributes: Object.fromEntries(custom),
        systemAttributes: {
          ...SYSTEM_SEARCH_ATTRIBUTES,
          WorkflowId: 2,
          RunId: 2,
          WorkflowType: 2,
          TaskQueue: 2,
          ExecutionStatus: 2,
          StartTime: 6,
          ExecutionTime: 6,
          CloseTime: 6,
        },
        storageSchema: {},
      };
    },

  };
}
