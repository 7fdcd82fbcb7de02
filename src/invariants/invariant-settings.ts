import { InvariantConfig, InvariantOptions } from '../config/backstop.options';
import { ConfigurationError, parseReactions, REACTIONS, STRATEGIES, Strategy } from '../config/environment';

export const DEFAULT_INVARIANT_CONFIG: InvariantConfig = {
  strategy: 'react',
  reactions: ['alert', 'compensate'],
  tolerance: 0,
};

/** `seat-capacity` -> `SEAT_CAPACITY`: the prefix of an invariant's environment variables. */
export const environmentPrefix = (name: string): string => name.toUpperCase().replace(/-/g, '_');

/**
 * An invariant's settings from `<NAME>_STRATEGY`, `<NAME>_REACTIONS` and
 * `<NAME>_TOLERANCE` (only those set); a bad value stops the start, naming the variable.
 */
export function invariantEnvironment(name: string, env: NodeJS.ProcessEnv): Partial<InvariantConfig> {
  const prefix = environmentPrefix(name);
  const problems: string[] = [];
  const found: Partial<InvariantConfig> = {};
  const strategy = env[`${prefix}_STRATEGY`];
  if (strategy !== undefined && strategy !== '') {
    if ((STRATEGIES as readonly string[]).includes(strategy)) found.strategy = strategy as Strategy;
    else problems.push(`${prefix}_STRATEGY must be react or prevent`);
  }
  const reactions = env[`${prefix}_REACTIONS`];
  if (reactions !== undefined) {
    const list = parseReactions(reactions);
    if (list.every((item) => (REACTIONS as readonly string[]).includes(item))) found.reactions = list;
    else problems.push(`${prefix}_REACTIONS must be a comma list of alert, compensate`);
  }
  const tolerance = env[`${prefix}_TOLERANCE`];
  if (tolerance !== undefined && tolerance !== '') {
    const value = Number(tolerance);
    if (Number.isInteger(value) && value >= 0 && value <= 1e12) found.tolerance = value;
    else problems.push(`${prefix}_TOLERANCE must be an integer from 0 to 10^12`);
  }
  if (problems.length) throw new ConfigurationError(problems);
  return found;
}

/**
 * The strategy, reactions and tolerance of any declared invariant, by name:
 * the module options win, then its environment variables, then the defaults.
 */
export class InvariantSettings {
  private readonly cache = new Map<string, InvariantConfig>();

  constructor(
    private readonly configs: InvariantOptions = {},
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  of(name: string): InvariantConfig {
    let config = this.cache.get(name);
    if (!config) {
      config = { ...DEFAULT_INVARIANT_CONFIG, ...invariantEnvironment(name, this.env), ...this.configs[name] };
      this.cache.set(name, config);
    }
    return config;
  }

  strategy(name: string): Strategy {
    return this.of(name).strategy;
  }
}
