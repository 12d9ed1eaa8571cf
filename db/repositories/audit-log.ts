import type { Transaction } from 'kysely';
import type { Database } from '../schema';

/** The person or process behind a change; CLI and start-up code have no user. */
export interface Actor {
  userId: string | null;
  agencyId: string | null;
  /** Username, or `cli` / `system` when no user acts. */
  label: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, agencyId: null, label: 'system' };
export const CLI_ACTOR: Actor = { userId: null, agencyId: null, label: 'cli' };

export interface AuditRecord {
  agencyId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Never put secrets or document contents here. */
  details?: Record<string, unknown>;
}

/** Takes a transaction so the entry commits or rolls back with the change it records. */
export async function writeAudit(trx: Transaction<Database>, actor: Actor, record: AuditRecord): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      agency_id: record.agencyId,
      actor_user_id: actor.userId,
      actor_label: actor.label,
      action: record.action,
      target_type: record.targetType,
      target_id: record.targetId ?? null,
      details: record.details ?? {},
    })
    .execute();
}
