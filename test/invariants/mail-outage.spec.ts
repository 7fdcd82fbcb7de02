import { eventually } from '../../src/testing/eventually';
import { freePort } from '../support/service-process';
import { quiescent } from '../support/quiescence';
import { stack } from '../support/invariant-stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('alert mail through an SMTP outage', () => {
  it('delivers the alert exactly once when the SMTP server comes back 10 s after the episode opened', async () => {
    const s = await stack({ 'credit-limit': { reactions: ['alert'] } }, await freePort());
    try {
      await s.smtp.stop();
      await s.http.post('/customers', { id: 'eve', name: 'Eve', email: 'eve@example.com', creditLimit: 100 });
      await s.http.post('/orders', { id: 'e1', customerId: 'eve', total: 100 });
      await s.http.put('/customers/eve/credit-limit', { creditLimit: 50 });
      await eventually(async () => {
        const [mail] = await s.sql.query(`SELECT status, attempts, last_error FROM mail_outbox`);
        expect(mail.status).toBe('pending');
        expect(mail.attempts).toBeGreaterThanOrEqual(1);
        expect(mail.last_error).toMatch(/ECONNREFUSED/);
      });

      await sleep(10_000);
      expect(s.smtp.mails).toEqual([]);
      await s.smtp.start(s.smtp.port);
      await eventually(() => expect(s.smtp.mails).toHaveLength(1), { timeoutMs: 40_000 });
      await quiescent(s.sql);
      await sleep(1_000);
      expect(s.smtp.mails).toHaveLength(1);
      expect(s.smtp.mails[0].headers['x-backstop-alert']).toBe('opened');
      const [row] = await s.sql.query(`SELECT status, attempts FROM mail_outbox`);
      expect(row.status).toBe('sent');
      expect(row.attempts).toBeGreaterThan(1);
    } finally {
      await s.close();
    }
  }, 90_000);
});
