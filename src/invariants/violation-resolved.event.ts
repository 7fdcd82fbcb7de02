export class ViolationResolved {
  constructor(
    readonly violationId: string,
    readonly invariant: string,
    readonly key: string,
    readonly details: Record<string, unknown>,
    readonly resolvedBy: string,
  ) {}
}
