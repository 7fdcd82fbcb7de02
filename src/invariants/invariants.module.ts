import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseReactions, Strategy } from '../config/environment';
import { InvariantName, InvariantConfig, InvariantSettings } from './invariant-settings';

export type InvariantOptions = Partial<Record<InvariantName, Partial<InvariantConfig>>>;

function fromEnvironment(config: ConfigService): InvariantSettings {
  return new InvariantSettings({
    'credit-limit': {
      strategy: config.getOrThrow<Strategy>('CREDIT_LIMIT_STRATEGY'),
      reactions: parseReactions(config.getOrThrow<string>('CREDIT_LIMIT_REACTIONS')),
      tolerance: config.getOrThrow<number>('CREDIT_LIMIT_TOLERANCE'),
    },
    'coupon-usage': {
      strategy: config.getOrThrow<Strategy>('COUPON_USAGE_STRATEGY'),
      reactions: parseReactions(config.getOrThrow<string>('COUPON_USAGE_REACTIONS')),
    },
  });
}

/** Settings from code when given (an app importing Backstop), else from the environment. */
@Global()
@Module({})
export class InvariantsModule {
  static forRoot(options?: InvariantOptions): DynamicModule {
    const provider = options
      ? { provide: InvariantSettings, useValue: new InvariantSettings(options) }
      : { provide: InvariantSettings, inject: [ConfigService], useFactory: fromEnvironment };
    return { module: InvariantsModule, providers: [provider], exports: [InvariantSettings] };
  }
}
