import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export const EVENT_LOG_CHANNEL = 'backstop_event_log';

/** The shortest gap between two NOTIFYs of one instance, however many commits fall in between. */
export const NOTIFY_INTERVAL_MS = 5;

/**
 * Tells other instances that this one committed appends: `NOTIFY` on a
 * connection of its own, in autocommit, after the commits it announces.
 * A transaction that notifies takes a server-wide lock at commit; sent from
 * every command transaction, that lock serialized all of them. Here requests
 * coalesce: one NOTIFY goes out at once, and any request made while it is on
 * its way or within NOTIFY_INTERVAL_MS of it is covered by one more after
 * that, so a listener woken last always saw every commit before it. A failed
 * NOTIFY is logged and not retried for a while: listeners poll as a fallback.
 */
export class AppendNotifier {
  private readonly logger = new Logger('AppendNotifier');
  private client?: Client;
  private requested = false;
  private sending?: Promise<void>;
  private lastSentAt = 0;
  private failures = 0;
  private closing = false;
  private pause?: { timer: NodeJS.Timeout; done: () => void };

  /** `payload`: the sender's instance id, so that it can ignore its own notifications. */
  constructor(
    private readonly connectionString: string,
    private readonly payload = '',
  ) {}

  /** Called after a commit that appended: a NOTIFY follows, now or within NOTIFY_INTERVAL_MS. */
  request(): void {
    if (this.closing) return;
    this.requested = true;
    this.sending ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.requested && !this.closing) await this.sendOne();
    } finally {
      // In the same step as the last look at `requested`: a request made after it starts a new drain.
      this.sending = undefined;
    }
  }

  private async sendOne(): Promise<void> {
    const gap = this.failures > 0 ? Math.min(5_000, 250 * 2 ** Math.min(this.failures - 1, 5)) : NOTIFY_INTERVAL_MS;
    await this.sleep(this.lastSentAt + gap - Date.now());
    if (this.closing) return;
    this.requested = false;
    this.lastSentAt = Date.now();
    const reused = this.client;
    try {
      await this.send();
      if (this.failures > 0) this.logger.log('notifying appends again');
      this.failures = 0;
    } catch (error) {
      this.drop();
      // A connection that sat idle may have been closed by the server meanwhile: one more try on a new one.
      if (reused && this.failures === 0) {
        this.requested = true;
        this.lastSentAt = 0;
      } else if (this.failures++ === 0) {
        this.logger.warn(`cannot notify appends (${(error as Error).message}); other instances poll meanwhile`);
      }
    }
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.connectionString, application_name: 'backstop-notify' });
    client.on('error', () => this.drop(client));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private drop(client = this.client): void {
    if (!client) return;
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pause = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pause = { timer, done };
    });
  }

  /** Sends what is still requested, then closes the connection. */
  async stop(): Promise<void> {
    this.closing = true;
    this.pause?.done();
    await this.sending;
    if (this.requested && this.failures === 0) await this.send().catch(() => undefined);
    this.requested = false;
    this.drop();
  }

  private async send(): Promise<void> {
    const client = this.client ?? (await this.connect());
    await client.query(`SELECT pg_notify($1, $2)`, [EVENT_LOG_CHANNEL, this.payload]);
  }
}
