import { InvariantRule } from '../define-invariant';

/** What the credit rule reads: the limit and the sum of (total - discount) over the open orders. */
export interface CreditFigures {
  creditLimit: number;
  exposure: number;
}

/** Breached when exposure > credit limit + the configured tolerance; a command may not go past the limit itself. */
export const creditRule: InvariantRule<CreditFigures> = {
  actual: (figures) => figures.exposure,
  limit: (figures) => figures.creditLimit,
  slack: (_figures, tolerance) => tolerance,
};
