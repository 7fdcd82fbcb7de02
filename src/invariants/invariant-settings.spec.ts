import { ConfigurationError } from '../config/environment';
import { environmentPrefix, InvariantSettings } from './invariant-settings';

describe('InvariantSettings: settings by an invariant name', () => {
  it('derives the variables from the name: upper-cased, - as _', () => {
    expect(environmentPrefix('seat-capacity')).toBe('SEAT_CAPACITY');
    expect(environmentPrefix('credit-limit')).toBe('CREDIT_LIMIT');
  });

  it('reads <NAME>_STRATEGY, _REACTIONS and _TOLERANCE for any declared name', () => {
    const settings = new InvariantSettings(
      {},
      { SEAT_CAPACITY_STRATEGY: 'prevent', SEAT_CAPACITY_REACTIONS: 'alert', SEAT_CAPACITY_TOLERANCE: '2' },
    );
    expect(settings.of('seat-capacity')).toEqual({ strategy: 'prevent', reactions: ['alert'], tolerance: 2 });
    expect(settings.strategy('seat-capacity')).toBe('prevent');
  });

  it('lets the module options win over the environment, and defaults fill the rest', () => {
    const settings = new InvariantSettings(
      { 'seat-capacity': { reactions: ['compensate'] } },
      { SEAT_CAPACITY_REACTIONS: 'alert', SEAT_CAPACITY_TOLERANCE: '3' },
    );
    expect(settings.of('seat-capacity')).toEqual({ strategy: 'react', reactions: ['compensate'], tolerance: 3 });
    expect(settings.of('other')).toEqual({ strategy: 'react', reactions: ['alert', 'compensate'], tolerance: 0 });
  });

  it('an empty reaction list means none; a bad value stops the start naming the variable', () => {
    expect(new InvariantSettings({}, { SEAT_CAPACITY_REACTIONS: '' }).of('seat-capacity').reactions).toEqual([]);
    const bad = (env: Record<string, string>) => () => new InvariantSettings({}, env).of('seat-capacity');
    expect(bad({ SEAT_CAPACITY_STRATEGY: 'block' })).toThrow(ConfigurationError);
    expect(bad({ SEAT_CAPACITY_STRATEGY: 'block' })).toThrow(/SEAT_CAPACITY_STRATEGY/);
    expect(bad({ SEAT_CAPACITY_REACTIONS: 'alert,page' })).toThrow(/SEAT_CAPACITY_REACTIONS/);
    expect(bad({ SEAT_CAPACITY_TOLERANCE: '-1' })).toThrow(/SEAT_CAPACITY_TOLERANCE/);
    expect(bad({ SEAT_CAPACITY_TOLERANCE: '1.5' })).toThrow(/SEAT_CAPACITY_TOLERANCE/);
  });
});
