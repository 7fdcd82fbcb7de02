import { Statement } from '../database/prepared-query';

/**
 * Figures a command's rule needs, read in the statement that loads the
 * aggregate (one round trip and one snapshot for both): a sub-select that
 * yields at most one row, which may refer to the aggregate's row as `a` and
 * adds its own parameters through `param` (it returns the placeholder).
 */
export interface SideRead<T> {
  sql(param: (value: unknown) => string): string;
  /** Statements for the same round trip, ahead of the read: the prevent strategy's lock. */
  before?: Statement[];
  /** The figures from the sub-select's row (undefined when it yields none). */
  parse(row: Record<string, unknown> | undefined): T;
}
