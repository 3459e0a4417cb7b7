// The workflow bundle's entry: every workflow the worker registers.
export { interviewSession } from './session.workflow.js';
export { ingestJob } from './ingest.workflow.js';
export { deleteJob, deleteDocument } from './delete.workflow.js';
export { reviewRequest } from './review.workflow.js';
