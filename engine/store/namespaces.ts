import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { alreadyExists, invalidArgument, namespaceNotFound } from '../errors';

export interface NamespaceRecord {
  name: string;
  id: string;
  description: string;
  ownerEmail: string;
  retentionSeconds: number;
  data: Record<string, string>;
}

/** Search attributes every namespace has, as on a real server (the SDK upserts TemporalChangeVersion for patches). */
export const SYSTEM_SEARCH_ATTRIBUTES: Record<string, number> = {
  TemporalChangeVersion: 7,
  BinaryChecksums: 7,
  BuildIds: 7,
  BatcherUser: 2,
  TemporalScheduledStartTime: 6,
  TemporalScheduledById: 2,
  TemporalSchedulePaused: 5,
  TemporalNamespaceDivision: 2,
  TemporalPauseInfo: 7,
  TemporalReportedProblems: 7,
  TemporalWorkerDeploymentVersion: 2,
  TemporalWorkerDeployment: 2,
  TemporalWorkflowVersioningBehavior: 2,
  TemporalUsedWorkerDeploymentVersions: 7,
};

export const DEFAULT_RETENTION_SECONDS = 3 * 24 * 3600;

/** Namespaces and their registered custom search attributes, cached in memory (they change rarely). */
export class Namespaces {
  private readonly cache = new Map<string, NamespaceRecord>();
  private readonly attributeCache = new Map<string, Map<string, number>>();

  constructor(private readonly pool: pg.Pool) {}

  async ensure(name: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO namespaces (name, id, retention_seconds) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
      [name, randomUUID(), DEFAULT_RETENTION_SECONDS],
    );
  }

  async get(name: string): Promise<NamespaceRecord | undefined> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const { rows } = await this.pool.query('SELECT * FROM namespaces WHERE name = $1', [name]);
    if (!rows[0]) return undefined;
    const record = toRecord(rows[0]);
    this.cache.set(name, record);
    return record;
  }

  async getById(id: string): Promise<NamespaceRecord | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM namespaces WHERE id = $1', [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** The namespace a request names; INVALID_ARGUMENT when unset, NOT_FOUND when unknown. */
  async require(name: string | null | undefined): Promise<NamespaceRecord> {
    if (!name) throw invalidArgument('Namespace is not set on request.');
    const record = await this.get(name);
    if (!record) throw namespaceNotFound(name);
    return record;
  }

  async register(input: Omit<NamespaceRecord, 'id'>): Promise<void> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO namespaces (name, id, description, owner_email, retention_seconds, data)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING`,
      [input.name, randomUUID(), input.description, input.ownerEmail, input.retentionSeconds, JSON.stringify(input.data)],
    );
    if (rowCount === 0) throw alreadyExists('Namespace already exists.');
  }

  async list(): Promise<NamespaceRecord[]> {
    const { rows } = await this.pool.query('SELECT * FROM namespaces ORDER BY created_at, name');
    return rows.map(toRecord);
  }

  /** Custom attributes registered in the namespace plus the system ones. */
  async attributeTypes(namespace: string): Promise<Map<string, number>> {
    const cached = this.attributeCache.get(namespace);
    if (cached) return cached;
    const { rows } = await this.pool.query<{ name: string; type: number }>(
      'SELECT name, type FROM search_attributes WHERE namespace = $1',
      [namespace],
    );
    const types = new Map<string, number>(Object.entries(SYSTEM_SEARCH_ATTRIBUTES));
    for (const r of rows) types.set(r.name, r.type);
    this.attributeCache.set(namespace, types);
    return types;
  }

  async customAttributes(namespace: string): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ name: string; type: number }>(
      'SELECT name, type FROM search_attributes WHERE namespace = $1 ORDER BY name',
      [namespace],
    );
    return new Map(rows.map((r) => [r.name, r.type]));
  }

  async addAttributes(namespace: string, attributes: Map<string, number>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const [name, type] of attributes) {
        const { rows } = await client.query('SELECT type FROM search_attributes WHERE namespace = $1 AND name = $2', [namespace, name]);
        if (rows[0] && rows[0].type !== type) {
          throw alreadyExists(`Search attribute ${name} already exists with a different type.`);
        }
        await client.query(
          'INSERT INTO search_attributes (namespace, name, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [namespace, name, type],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
      this.attributeCache.delete(namespace);
    }
  }

  async removeAttributes(namespace: string, names: string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      'DELETE FROM search_attributes WHERE namespace = $1 AND name = ANY($2::text[]) RETURNING name',
      [namespace, names],
    );
    this.attributeCache.delete(namespace);
    return rows.map((r) => r.name);
  }
}

function toRecord(row: Record<string, unknown>): NamespaceRecord {
  return {
    name: row.name as string,
    id: row.id as string,
    description: row.description as string,
    ownerEmail: row.owner_email as string,
    retentionSeconds: row.retention_seconds as number,
    data: (row.data as Record<string, string>) ?? {},
  };
}
