export class InvariantViolated {
  constructor(
    readonly violationId: string,
    readonly invariant: string,
    readonly key: string,
    readonly details: Record<string, unknown>,
    /** The event whose processing detected the breach. */
    readonly detectedBy: string,
  ) {}
}

export class ViolationResolved {
  constructor(
    readonly violationId: string,
    readonly invariant: string,
    readonly key: string,
    readonly details: Record<string, unknown>,
    readonly resolvedBy: string,
  ) {}
}
