import { InvariantConfig, InvariantName } from '../config/backstop.options';
import { Strategy } from '../config/environment';

export const DEFAULT_INVARIANT_CONFIG: InvariantConfig = {
  strategy: 'react',
  reactions: ['alert', 'compensate'],
  tolerance: 0,
};

/** The configured strategy and reactions of each invariant. */
export class InvariantSettings {
  constructor(private readonly configs: Partial<Record<InvariantName, Partial<InvariantConfig>>> = {}) {}

  of(name: InvariantName): InvariantConfig {
    return { ...DEFAULT_INVARIANT_CONFIG, ...this.configs[name] };
  }

  strategy(name: InvariantName): Strategy {
    return this.of(name).strategy;
  }
}
