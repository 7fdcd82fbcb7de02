import type { InvariantConfig } from './backstop.options';
import { ConfigurationError } from './configuration-error';
import { parseReactions, REACTIONS, STRATEGIES, Strategy } from './setting-lists';

/** `seat-capacity` -> `SEAT_CAPACITY`: the prefix of an invariant's environment variables. */
export const environmentPrefix = (name: string): string => name.toUpperCase().replace(/-/g, '_');

const got = (value: string) => ` (got ${JSON.stringify(value)})`;

/**
 * An invariant's settings from `<NAME>_STRATEGY`, `<NAME>_REACTIONS` and
 * `<NAME>_TOLERANCE` (only those set), with a message per bad variable. The
 * one reading of these variables, for the built-ins and a host's invariants alike.
 */
export function readInvariantEnvironment(
  name: string,
  env: Record<string, unknown>,
): { found: Partial<InvariantConfig>; problems: string[] } {
  const prefix = environmentPrefix(name);
  const problems: string[] = [];
  const found: Partial<InvariantConfig> = {};
  const strategy = env[`${prefix}_STRATEGY`];
  if (typeof strategy === 'string' && strategy !== '') {
    if ((STRATEGIES as readonly string[]).includes(strategy)) found.strategy = strategy as Strategy;
    else problems.push(`${prefix}_STRATEGY must be react or prevent${got(strategy)}`);
  }
  // Empty means no reactions at all (.env.example: "empty for none").
  const reactions = env[`${prefix}_REACTIONS`];
  if (typeof reactions === 'string') {
    const list = parseReactions(reactions);
    if (list.every((item) => (REACTIONS as readonly string[]).includes(item))) found.reactions = list;
    else problems.push(`${prefix}_REACTIONS must be a comma list of alert, compensate${got(reactions)}`);
  }
  // Plain digits only, so that 1e3 or 0x10 is refused rather than read as a number.
  const tolerance = env[`${prefix}_TOLERANCE`];
  if (typeof tolerance === 'string' && tolerance !== '') {
    const value = /^\s*\d+\s*$/.test(tolerance) ? Number(tolerance) : NaN;
    if (Number.isInteger(value) && value <= 1e12) found.tolerance = value;
    else problems.push(`${prefix}_TOLERANCE must be an integer from 0 to 10^12${got(tolerance)}`);
  }
  return { found, problems };
}

/** The same, stopping on a bad value with a ConfigurationError naming the variables. */
export function invariantEnvironment(name: string, env: Record<string, unknown>): Partial<InvariantConfig> {
  const { found, problems } = readInvariantEnvironment(name, env);
  if (problems.length) throw new ConfigurationError(problems);
  return found;
}
