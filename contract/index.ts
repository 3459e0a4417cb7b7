// The one HTTP contract of Interview Helper (../docs/architecture.md, "contract/"): zod schemas for every
// request, response and server-sent event. The API validates with them, the OpenAPI document is generated
// from them, and the web client and admin CLI take their types from them. Imports zod only: the browser
// bundle imports this too.
export * from './vocabulary.js';
export * from './limits.js';
export * from './problem.js';
export * from './coaching.js';
export * from './panel.js';
export * from './events.js';
export * from './auth.js';
export * from './jobs.js';
export * from './sessions.js';
export * from './admin.js';
export * from './system.js';
export * from './reviews.js';
