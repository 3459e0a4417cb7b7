// Domain errors: what went wrong, in the domain's words, with no HTTP in them. Services and libraries
// throw these; the API maps them to a status and a problem+json body in one place (api/errors.ts), so
// no caller needs to know a status code and none needs to read a message to tell one failure from
// another. Usable in the browser and on the server: nothing here imports anything.

export type DomainErrorKind =
  | 'invalid'
  | 'not-found'
  | 'forbidden'
  | 'conflict'
  | 'unprocessable'
  | 'too-large'
  | 'unsupported'
  | 'unavailable'
  | 'upstream';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
}

/** The request itself is wrong (a missing field, a bad name, an empty file): fix it and send again. */
export class Invalid extends DomainError {
  override readonly name = 'Invalid';
  readonly kind = 'invalid';
}

/** `what` does not exist, or not for this owner (which must look the same). */
export class NotFound extends DomainError {
  override readonly name = 'NotFound';
  readonly kind = 'not-found';
  constructor(readonly what: string) {
    super(`${what} not found`);
  }
}

/**
 * `what` exists and the caller may see it, but it is not theirs to change (a built-in panel every user
 * shares). Something the caller may not even see is a NotFound instead.
 */
export class Forbidden extends DomainError {
  override readonly name = 'Forbidden';
  readonly kind = 'forbidden';
}

/** The request is fine but the state does not allow it now (the session has ended, a run is busy). */
export class Conflict extends DomainError {
  override readonly name = 'Conflict';
  readonly kind = 'conflict';
}

/** Well-formed, but its content cannot be used (corrupt audio, no speech, a reused idempotency key). */
export class Unprocessable extends DomainError {
  override readonly name = 'Unprocessable';
  readonly kind = 'unprocessable';
}

/** Over a size or length limit. */
export class TooLarge extends DomainError {
  override readonly name = 'TooLarge';
  readonly kind = 'too-large';
}

/** A type of content we do not take (a file extension, an audio container or codec). */
export class Unsupported extends DomainError {
  override readonly name = 'Unsupported';
  readonly kind = 'unsupported';
}

/**
 * A service we depend on (`engine`: the workflow service, the coach registry, speech) cannot serve now;
 * the same request may work later, after `retryAfterSeconds` when given.
 */
export class Unavailable extends DomainError {
  override readonly name = 'Unavailable';
  readonly kind = 'unavailable';
  constructor(
    readonly engine: string,
    detail: string,
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(detail, options);
  }
}

/** A service we depend on (`engine`) answered, but with an error of its own. */
export class UpstreamFailed extends DomainError {
  override readonly name = 'UpstreamFailed';
  readonly kind = 'upstream';
  constructor(
    readonly engine: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(detail, options);
  }
}
