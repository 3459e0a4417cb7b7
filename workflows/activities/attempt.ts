// One attempt of an activity that calls the coach's model. A model on a CPU server can take longer to answer
// one call than any sensible heartbeat timeout, so the attempt heartbeats on a timer while it works rather
// than only when it writes. It also ends itself at its own deadline, and hands the work one AbortSignal
// that fires at that deadline or when Temporal cancels the attempt (it timed out on the server, or was
// superseded): the model call is aborted, and the event sink refuses to append once it has fired, so an
// attempt that has been given up on writes nothing beside its retry.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { coachAttempts } from '../../core/metrics.js';

/** How often a working attempt heartbeats; the SDK sends at most one per 80% of the heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 1_000;

/** The `type` of the failure an attempt ends with at its own deadline (retryable). */
export const ATTEMPT_TIMED_OUT = 'CoachAttemptTimedOut';

class Deadline extends Error {
  constructor(readonly seconds: number) {
    super(`the coach did not answer within ${seconds} s`);
  }
}

/**
 * Runs `work` as this activity attempt: heartbeating every second, aborted after `deadlineSeconds` or on
 * cancellation. At the deadline the attempt fails with a retryable `CoachAttemptTimedOut` even if `work`
 * ignores its signal (whatever it still does is fenced by that signal).
 */
export async function withinAttempt<T>(
  deadlineSeconds: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const context = Context.current();
  const controller = new AbortController();
  const onCancel = () => controller.abort(context.cancellationSignal.reason);
  context.cancellationSignal.addEventListener('abort', onCancel, { once: true });
  const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  const deadline = setTimeout(() => controller.abort(new Deadline(deadlineSeconds)), deadlineSeconds * 1000);
  const stopped = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), {
      once: true,
    }),
  );
  stopped.catch(() => {}); // settled by `work` first in the common case
  const { activityType: activity, attempt } = context.info;
  try {
    const result = await Promise.race([work(controller.signal), stopped]);
    coachAttempts.inc({ activity, outcome: 'ok' });
    return result;
  } catch (err) {
    const reason: unknown = controller.signal.reason;
    const outcome =
      reason instanceof Deadline ? 'timed_out' : controller.signal.aborted ? 'cancelled' : 'failed';
    coachAttempts.inc({ activity, outcome });
    context.log.warn(`${activity} attempt ${attempt} ${outcome.replace('_', ' ')}`, { error: String(err) });
    if (reason instanceof Deadline)
      throw ApplicationFailure.retryable(reason.message, ATTEMPT_TIMED_OUT, { seconds: reason.seconds });
    throw err;
  } finally {
    clearInterval(beat);
    clearTimeout(deadline);
    context.cancellationSignal.removeEventListener('abort', onCancel);
  }
}
