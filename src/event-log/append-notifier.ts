import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export const EVENT_LOG_CHANNEL = 'backstop_event_log';

/** The shortest gap between two NOTIFYs of one instance, however many commits fall in between. */
export const NOTIFY_INTERVAL_MS = 5;

/** A NOTIFY payload must stay under 8,000 bytes: past this many, the types are left out (a wake-up for all). */
const MAX_PAYLOAD = 7_000;

/** What a notification says: who sent it, and the event types its commits appended (all, when absent). */
export interface AppendNotice {
  origin: string;
  types?: string[];
}

export function noticePayload(origin: string, types: ReadonlySet<string>): string {
  const payload = JSON.stringify({ origin, types: [...types] });
  return Buffer.byteLength(payload) <= MAX_PAYLOAD ? payload : JSON.stringify({ origin });
}

/** An older instance's payload is its bare origin id: a wake-up for every type. */
export function parseNotice(payload: string): AppendNotice {
  try {
    const notice = JSON.parse(payload) as Partial<AppendNotice>;
    if (typeof notice.origin === 'string') {
      const types = Array.isArray(notice.types) ? notice.types.filter((t) => typeof t === 'string') : undefined;
      return { origin: notice.origin, types };
    }
  } catch {
    // not JSON: the bare origin
  }
  return { origin: payload };
}

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
  /** The types appended by the commits the next NOTIFY announces. */
  private types = new Set<string>();
  private sending?: Promise<void>;
  private lastSentAt = 0;
  private failures = 0;
  private closing = false;
  private pause?: { timer: NodeJS.Timeout; done: () => void };

  /** `origin`: the sender's instance id, so that it can ignore its own notifications. */
  constructor(
    private readonly connectionString: string,
    private readonly origin = '',
  ) {}

  /** Called after a commit that appended events of `types`: a NOTIFY follows, now or within NOTIFY_INTERVAL_MS. */
  request(types: Iterable<string> = []): void {
    if (this.closing) return;
    for (const type of types) this.types.add(type);
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
    const types = this.types;
    this.types = new Set();
    try {
      await this.send(types);
      if (this.failures > 0) this.logger.log('notifying appends again');
      this.failures = 0;
    } catch (error) {
      this.drop();
      for (const type of types) this.types.add(type);
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
    if (this.requested && this.failures === 0) await this.send(this.types).catch(() => undefined);
    this.requested = false;
    this.drop();
  }

  private async send(types: ReadonlySet<string>): Promise<void> {
    const client = this.client ?? (await this.connect());
    await client.query(`SELECT pg_notify($1, $2)`, [EVENT_LOG_CHANNEL, noticePayload(this.origin, types)]);
  }
}
