// Sending a Temporal Update from the API, the same way for every workflow: a refusal is a 409 with the
// workflow's reason, a workflow that has ended (gone, or completed meanwhile) a 409 saying so, and a worker
// that does not accept the message in time a 503.
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { conflict, HttpError, unavailable } from '../errors.js';

/** How long the API waits for the worker to accept a message before telling the user to try again. */
const UPDATE_TIMEOUT_MS = 30_000;

export interface UpdateWording {
  /** The 409's detail when the workflow has ended. */
  ended: string;
  /** The 503's detail when the worker did not answer in time. */
  timedOut: string;
}

async function hasEnded(handle: WorkflowHandle): Promise<boolean> {
  const described = await handle.describe().catch(() => null);
  return described !== null && described.status.name !== 'RUNNING';
}

export async function sendUpdate<Ret>(
  temporal: Client,
  workflowId: string,
  wording: UpdateWording,
  send: (handle: WorkflowHandle) => Promise<Ret>,
): Promise<Ret> {
  const handle = temporal.workflow.getHandle(workflowId);
  const signal = AbortSignal.timeout(UPDATE_TIMEOUT_MS);
  try {
    return await temporal.withAbortSignal(signal, () => send(handle));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw conflict(err.cause?.message ?? err.message);
    if (err instanceof WorkflowNotFoundError) throw conflict(wording.ended);
    if (signal.aborted) throw unavailable(wording.timedOut);
    if (err instanceof HttpError) throw err;
    // An update sent to a workflow that completed meanwhile: asked of the workflow, not read from the text.
    if (await hasEnded(handle)) throw conflict(wording.ended);
    throw err;
  }
}
