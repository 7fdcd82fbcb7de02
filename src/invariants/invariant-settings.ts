import { InvariantConfig, InvariantOptions } from '../config/backstop.options';
import { invariantEnvironment } from '../config/invariant-environment';
import type { Strategy } from '../config/setting-lists';

export { environmentPrefix, invariantEnvironment } from '../config/invariant-environment';

export const DEFAULT_INVARIANT_CONFIG: InvariantConfig = {
  strategy: 'react',
  reactions: ['alert', 'compensate'],
  tolerance: 0,
};

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
