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

  it('reads the built-ins the same way: CREDIT_LIMIT_* and COUPON_USAGE_*, with the documented defaults', () => {
    const defaults = new InvariantSettings({}, {});
    expect(defaults.of('credit-limit')).toEqual({
      strategy: 'react',
      reactions: ['alert', 'compensate'],
      tolerance: 0,
    });
    expect(defaults.of('coupon-usage')).toEqual({
      strategy: 'react',
      reactions: ['alert', 'compensate'],
      tolerance: 0,
    });
    const settings = new InvariantSettings(
      {},
      {
        CREDIT_LIMIT_STRATEGY: 'prevent',
        CREDIT_LIMIT_REACTIONS: 'alert',
        CREDIT_LIMIT_TOLERANCE: ' 250 ',
        COUPON_USAGE_STRATEGY: '',
        COUPON_USAGE_REACTIONS: ' compensate , alert ',
      },
    );
    expect(settings.of('credit-limit')).toEqual({ strategy: 'prevent', reactions: ['alert'], tolerance: 250 });
    expect(settings.of('coupon-usage')).toEqual({
      strategy: 'react',
      reactions: ['compensate', 'alert'],
      tolerance: 0,
    });
  });

  it.each([
    ['COUPON_USAGE_STRATEGY', 'lock'],
    ['CREDIT_LIMIT_STRATEGY', 'sometimes'],
    ['CREDIT_LIMIT_REACTIONS', 'alert;compensate'],
    ['COUPON_USAGE_REACTIONS', 'alert,shout'],
    ['CREDIT_LIMIT_TOLERANCE', '1.5'],
    ['CREDIT_LIMIT_TOLERANCE', '-5'],
    ['CREDIT_LIMIT_TOLERANCE', '1e3'],
    ['CREDIT_LIMIT_TOLERANCE', '1000000000001'],
  ])('refuses %s=%s, naming the variable and the value', (name, value) => {
    const settings = new InvariantSettings({}, { [name]: value });
    const invariant = name.startsWith('CREDIT') ? 'credit-limit' : 'coupon-usage';
    expect(() => settings.of(invariant)).toThrow(ConfigurationError);
    expect(() => settings.of(invariant)).toThrow(`${name} must be`);
    expect(() => settings.of(invariant)).toThrow(`(got ${JSON.stringify(value)})`);
  });
});
