import { ConfigurationError, logLevelsFrom, parseReactions, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
      CREDIT_LIMIT_STRATEGY: 'react',
      COUPON_USAGE_STRATEGY: 'react',
      CREDIT_LIMIT_REACTIONS: 'alert,compensate',
      COUPON_USAGE_REACTIONS: 'alert,compensate',
      CREDIT_LIMIT_TOLERANCE: 0,
      BACKSTOP_HOME: '.backstop',
      SAGA_LEASE_MS: 10_000,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts integers and keeps valid values', () => {
    const env = validateEnvironment({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/backstop',
      SMTP_URL: 'smtp://u:p@mail:587',
      ALERT_TO: 'a@example.com, b@example.com',
      CREDIT_LIMIT_STRATEGY: 'prevent',
      CREDIT_LIMIT_REACTIONS: 'alert',
      COUPON_USAGE_REACTIONS: '',
      CREDIT_LIMIT_TOLERANCE: '250',
    });
    expect(env).toMatchObject({ PORT: 8080, CREDIT_LIMIT_STRATEGY: 'prevent', CREDIT_LIMIT_TOLERANCE: 250 });
    expect(parseReactions(env.CREDIT_LIMIT_REACTIONS)).toEqual(['alert']);
    expect(parseReactions(env.COUPON_USAGE_REACTIONS)).toEqual(['alert', 'compensate']);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '3e3'],
    ['PORT', '-1'],
    ['DATABASE_URL', 'localhost:5432'],
    ['SMTP_URL', 'mail.example.com'],
    ['ALERT_TO', 'not-an-address'],
    ['COUPON_USAGE_STRATEGY', 'lock'],
    ['CREDIT_LIMIT_REACTIONS', 'alert;compensate'],
    ['CREDIT_LIMIT_TOLERANCE', '1.5'],
    ['LOG_LEVEL', 'loud'],
    ['SAGA_LEASE_MS', '1000'],
    ['SAGA_LEASE_MS', '10s'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(ConfigurationError);
    expect(() => validateEnvironment({ [name]: value })).toThrow(name);
  });

  it('lists every bad variable at once', () => {
    try {
      validateEnvironment({ PORT: 'x', CREDIT_LIMIT_STRATEGY: 'y' });
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect((error as ConfigurationError).problems.join('\n')).toMatch(/PORT[\s\S]*CREDIT_LIMIT_STRATEGY|CREDIT_LIMIT_STRATEGY[\s\S]*PORT/);
    }
  });

  it('maps a log level to it and the levels above it', () => {
    expect(logLevelsFrom('warn')).toEqual(['error', 'warn']);
  });
});
