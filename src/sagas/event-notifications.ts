import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { EVENT_LOG_CHANNEL, parseNotice } from '../event-log/append-notifier';

/**
 * A dedicated connection LISTENing for appends. Lost connections are
 * re-established with backoff; meanwhile the polling fallback keeps
 * subscriptions moving, so a missed notification only costs latency.
 */
export class EventNotifications {
  private readonly logger = new Logger('EventNotifications');
  private client?: Client;
  private closed = false;
  private retryTimer?: NodeJS.Timeout;

  /** `origin`: this instance's NOTIFY payload (AppendSignal), skipped: its commits woke it in-process. */
  constructor(
    private readonly connectionString: string,
    /** With the types another instance's commits appended; without, for anything (e.g. after a reconnect). */
    private readonly onNotify: (types?: ReadonlySet<string>) => void,
    private readonly origin?: string,
  ) {}

  async start(): Promise<void> {
    this.closed = false;
    await this.connect(0);
  }

  private async connect(attempt: number): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.connectionString, application_name: 'backstop-listen' });
    client.on('notification', ({ payload }) => {
      const notice = parseNotice(payload ?? '');
      if (notice.origin !== this.origin) this.onNotify(notice.types && new Set(notice.types));
    });
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_LOG_CHANNEL}`);
      this.client = client;
      if (attempt > 0) this.logger.log('listening for appends again');
      this.onNotify(); // anything appended while disconnected
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.scheduleRetry(attempt + 1, error);
    }
  }

  private reconnect(client: Client, error?: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.scheduleRetry(1, error);
  }

  private scheduleRetry(attempt: number, error?: unknown): void {
    if (this.closed) return;
    const delay = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6));
    this.logger.warn(
      `LISTEN connection unavailable (${error instanceof Error ? error.message : 'closed'}); retrying in ${delay} ms`,
    );
    this.retryTimer = setTimeout(() => void this.connect(attempt), delay);
  }

  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
