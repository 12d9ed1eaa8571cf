import type { Client } from '@temporalio/client';
import { maintenanceWorkflow, type MaintenanceInput } from '../workflows/maintenance';

/** One maintenance loop per installation: the fixed id makes every start find the same execution. */
export const MAINTENANCE_WORKFLOW_ID = 'system-maintenance';

/**
 * Starts the maintenance workflow unless it already runs. USE_EXISTING makes this idempotent across restarts
 * and across several app processes sharing one cluster; a run that ended (terminated by an operator) is
 * started afresh.
 */
export async function ensureMaintenanceRunning(client: Client, taskQueue: string, input: MaintenanceInput = {}): Promise<string> {
  const handle = await client.workflow.start(maintenanceWorkflow, {
    workflowId: MAINTENANCE_WORKFLOW_ID,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.firstExecutionRunId;
}
