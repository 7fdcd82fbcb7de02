/** Stable, machine-readable codes of the HTTP contract. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONCURRENCY_CONFLICT'
  | 'ID_CONFLICT'
  | 'CREDIT_LIMIT_EXCEEDED'
  | 'COUPON_EXHAUSTED'
  | 'INVALID_STATE';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONCURRENCY_CONFLICT: 409,
  ID_CONFLICT: 409,
  CREDIT_LIMIT_EXCEEDED: 422,
  COUPON_EXHAUSTED: 422,
  INVALID_STATE: 422,
};

/** A refusal by the domain: nothing was written, and the code says why. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (kind: string, id: string) => new DomainError('NOT_FOUND', `${kind} ${id} does not exist`);

export const invalidState = (message: string) => new DomainError('INVALID_STATE', message);
