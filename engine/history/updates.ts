import type { Run } from './run';
import {
  EventType,
  UpdateAcceptanceType,
  UpdateOutcomeType,
  UpdateRejectionType,
  UpdateRequestType,
  UpdateResponseType,
  toBase64,
  type Msg,
} from '../proto';

/**
 * Admits an update request: it waits in the run's state until a workflow task delivers it to the worker.
 * The same update id twice is one update (the client resends until the update is accepted).
 */
export function admitUpdate(run: Run, request: Msg): void {
  const updateId = request.meta.updateId;
  if (run.state.updates[updateId]) return;
  run.state.updates[updateId] = { stage: 'admitted', request: toBase64(UpdateRequestType, request) };
  run.touch();
  const wt = run.state.wt;
  // A task already scheduled but not started will carry it; one in flight is followed by a new one.
  if (!wt) run.scheduleWorkflowTask();
}

/** Applies the worker's answer to an update request: acceptance, rejection or the final response. */
export function applyProtocolMessage(run: Run, message: Msg, identity: string): void {
  const typeUrl: string = message.body?.type_url ?? '';
  const value = message.body?.value ?? new Uint8Array();
  const updateId: string = message.protocolInstanceId;
  const update = run.state.updates[updateId];
  if (!update) return;
  run.touch();
  if (typeUrl.endsWith('temporal.api.update.v1.Acceptance')) {
    if (update.stage !== 'sent' && update.stage !== 'admitted') return;
    const acceptance = UpdateAcceptanceType.decode(value) as Msg;
    update.acceptedId = run.append(EventType.WorkflowExecutionUpdateAccepted, {
      protocolInstanceId: updateId,
      acceptedRequestMessageId: acceptance.acceptedRequestMessageId,
      acceptedRequestSequencingEventId: acceptance.acceptedRequestSequencingEventId,
      acceptedRequest: acceptance.acceptedRequest ?? UpdateRequestType.decode(Buffer.from(update.request, 'base64')),
    });
    update.stage = 'accepted';
  } else if (typeUrl.endsWith('temporal.api.update.v1.Rejection')) {
    if (update.stage !== 'sent' && update.stage !== 'admitted') return;
    const rejection = UpdateRejectionType.decode(value) as Msg;
    update.stage = 'rejected';
    update.outcome = toBase64(UpdateOutcomeType, { failure: rejection.failure });
  } else if (typeUrl.endsWith('temporal.api.update.v1.Response')) {
    if (update.stage !== 'accepted') return;
    const response = UpdateResponseType.decode(value) as Msg;
    run.append(EventType.WorkflowExecutionUpdateCompleted, {
      meta: { updateId, identity: response.meta?.identity || identity },
      acceptedEventId: update.acceptedId,
      outcome: response.outcome,
    });
    update.stage = 'completed';
    update.outcome = toBase64(UpdateOutcomeType, response.outcome ?? {});
  }
}
