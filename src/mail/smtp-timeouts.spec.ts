import { MailTransport } from './mail-transport';
import { sendBudgetMs, smtpTimeoutsOf } from './smtp-timeouts';

describe('SMTP send budget', () => {
  it('is the sum of the connection, greeting and socket timeouts, defaults 5 + 5 + 10 s', () => {
    expect(sendBudgetMs(smtpTimeoutsOf())).toBe(20_000);
    expect(
      sendBudgetMs(smtpTimeoutsOf({ connectionTimeoutMs: 100, greetingTimeoutMs: 200, socketTimeoutMs: 300 })),
    ).toBe(600);
  });

  it('refuses to build an SMTP transport whose sends could outlive the outbox lease', () => {
    const options = { databaseUrl: 'postgres://db/x', mail: { smtpUrl: 'smtp://mail:587' } };
    expect(() => new MailTransport({ ...options, runtime: { outboxLeaseMs: 20_000 } })).toThrow(
      'mail.connectionTimeoutMs + greetingTimeoutMs + socketTimeoutMs (5000 + ' +
        '5000 + 10000 = 20000 ms) must be below runtime.outboxLeaseMs (20000 ms)',
    );
    expect(new MailTransport({ ...options, runtime: { outboxLeaseMs: 20_001 } }).sendBudgetMs).toBe(20_000);
    // .eml files are written locally, with no server to wait for.
    expect(new MailTransport({ databaseUrl: 'postgres://db/x', runtime: { outboxLeaseMs: 1_000 } }).mode).toBe('file');
  });
});
