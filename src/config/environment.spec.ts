import {
  ConfigurationError,
  logLevelsFrom,
  parseOrigins,
  parseSagaPartitions,
  validateEnvironment,
} from './environment';

describe('validateEnvironment', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
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
      // The built-ins' settings are read by name (invariant-settings.spec); valid ones pass here.
      CREDIT_LIMIT_STRATEGY: 'prevent',
      CREDIT_LIMIT_REACTIONS: 'alert',
      COUPON_USAGE_REACTIONS: '',
      CREDIT_LIMIT_TOLERANCE: '250',
    });
    expect(env).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgresql://u:p@db:5432/backstop' });
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
    ['CREDIT_LIMIT_TOLERANCE', '-5'],
    ['CREDIT_LIMIT_TOLERANCE', '1e3'],
    ['COUPON_USAGE_REACTIONS', 'alert,shout'],
    ['LOG_LEVEL', 'loud'],
    ['SAGA_PARTITIONS', 'credit-limit=0'],
    ['SAGA_PARTITIONS', 'credit-limit=1025'],
    ['SAGA_PARTITIONS', 'credit-limit:8'],
    ['SAGA_LEASE_MS', '1000'],
    ['SAGA_LEASE_MS', '10s'],
    ['SMTP_GREETING_TIMEOUT_MS', '0'],
    ['SMTP_SOCKET_TIMEOUT_MS', '1s'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(ConfigurationError);
    expect(() => validateEnvironment({ [name]: value })).toThrow(name);
  });

  it('bounds one SMTP send below the outbox lease by default', () => {
    const env = validateEnvironment({ SMTP_URL: 'smtp://mail:587' });
    expect(env).toMatchObject({
      SMTP_CONNECTION_TIMEOUT_MS: 5000,
      SMTP_GREETING_TIMEOUT_MS: 5000,
      SMTP_SOCKET_TIMEOUT_MS: 10000,
      OUTBOX_LEASE_MS: 30000,
    });
  });

  it('refuses SMTP timeouts that add up to the outbox lease or more, naming the variables', () => {
    const env = { SMTP_URL: 'smtp://mail:587', OUTBOX_LEASE_MS: '20000' };
    expect(() => validateEnvironment(env)).toThrow(
      'SMTP_CONNECTION_TIMEOUT_MS + SMTP_GREETING_TIMEOUT_MS + ' +
        'SMTP_SOCKET_TIMEOUT_MS (20000 ms) must be below OUTBOX_LEASE_MS (20000 ms)',
    );
    expect(validateEnvironment({ ...env, SMTP_SOCKET_TIMEOUT_MS: '9999' }).SMTP_SOCKET_TIMEOUT_MS).toBe(9999);
    // Without SMTP no send is timed, so a short lease alone is fine.
    expect(validateEnvironment({ OUTBOX_LEASE_MS: '2000' }).OUTBOX_LEASE_MS).toBe(2000);
  });

  it('lists every bad variable at once', () => {
    try {
      validateEnvironment({ PORT: 'x', CREDIT_LIMIT_STRATEGY: 'y' });
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect((error as ConfigurationError).problems.join('\n')).toMatch(
        /PORT[\s\S]*CREDIT_LIMIT_STRATEGY|CREDIT_LIMIT_STRATEGY[\s\S]*PORT/,
      );
    }
  });

  it('reads the settings against hostile clients: body limit, admin rate limit, CORS origins', () => {
    expect(validateEnvironment({})).toMatchObject({
      BODY_LIMIT_BYTES: 102_400,
      ADMIN_RATE_LIMIT: 60,
      CORS_ORIGINS: undefined,
    });
    const env = validateEnvironment({
      BODY_LIMIT_BYTES: '4096',
      ADMIN_RATE_LIMIT: '0',
      CORS_ORIGINS: 'https://ops.example.com, http://localhost:8080',
    });
    expect(env).toMatchObject({ BODY_LIMIT_BYTES: 4096, ADMIN_RATE_LIMIT: 0 });
    expect(parseOrigins(env.CORS_ORIGINS)).toEqual(['https://ops.example.com', 'http://localhost:8080']);
    expect(parseOrigins(undefined)).toEqual([]);
    for (const [name, value] of [
      ['BODY_LIMIT_BYTES', '100kb'],
      ['BODY_LIMIT_BYTES', '10'],
      ['ADMIN_RATE_LIMIT', '-1'],
      ['ADMIN_RATE_LIMIT', '1.5'],
      ['CORS_ORIGINS', '*'],
      ['CORS_ORIGINS', 'ops.example.com'],
      ['CORS_ORIGINS', 'https://ops.example.com/'],
      ['CORS_ORIGINS', 'https://ops.example.com;https://x.example.com'],
    ]) {
      expect(() => validateEnvironment({ [name]: value })).toThrow(name);
    }
  });

  it('reads partition counts per saga', () => {
    const env = validateEnvironment({ SAGA_PARTITIONS: ' credit-limit = 8, coupon-usage=1024 ' });
    expect(parseSagaPartitions(env.SAGA_PARTITIONS)).toEqual({ 'credit-limit': 8, 'coupon-usage': 1024 });
    expect(parseSagaPartitions(undefined)).toEqual({});
  });

  it('maps a log level to it and the levels above it', () => {
    expect(logLevelsFrom('warn')).toEqual(['error', 'warn']);
  });

  it(
    'keeps command ids, outbox rows and mails 30 days and ' +
      'resolved violations 90 by default, a pass every 5 minutes',
    () => {
      expect(validateEnvironment({})).toMatchObject({
        RETENTION_COMMAND_IDS_DAYS: 30,
        RETENTION_OUTBOX_DAYS: 30,
        RETENTION_MAIL_DAYS: 30,
        RETENTION_VIOLATIONS_DAYS: 90,
        RETENTION_INTERVAL_SECONDS: 300,
        RETENTION_BATCH_SIZE: 1000,
      });
      expect(validateEnvironment({ RETENTION_MAIL_DAYS: '7', RETENTION_INTERVAL_SECONDS: '60' })).toMatchObject({
        RETENTION_MAIL_DAYS: 7,
        RETENTION_INTERVAL_SECONDS: 60,
      });
    },
  );

  it.each([
    ['RETENTION_COMMAND_IDS_DAYS', '0'],
    ['RETENTION_OUTBOX_DAYS', '1.5'],
    ['RETENTION_MAIL_DAYS', 'forever'],
    ['RETENTION_VIOLATIONS_DAYS', '-1'],
    ['RETENTION_INTERVAL_SECONDS', '0'],
    ['RETENTION_BATCH_SIZE', '100000'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(name);
  });
});
