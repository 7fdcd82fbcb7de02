import { Inject, Injectable, Logger } from '@nestjs/common';
import { BACKSTOP_OPTIONS } from '../backstop.options';
import type { BackstopOptions } from '../backstop.options';
import { DEFAULT_OUTBOX_LEASE_MS } from '../sagas/command-dispatcher.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WakeSignal } from '../sagas/wake-signal';
import { MailTransport } from './mail-transport';

const POLL_MS = 500;
const MAX_BACKOFF_MS = 60_000;

interface MailRow {
  message_id: string;
  recipients: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  headers: Record<string, string>;
  attempts: number;
}

/**
 * Sends what sagas put in the mail outbox. While SMTP is down mails wait and
 * are retried with backoff, never dropped. A mail is marked sent after the
 * server accepted it; a crash in between can repeat it, and its fixed
 * Message-ID lets the receiving side tell the repeat apart.
 */
@Injectable()
export class MailOutboxWorker {
  private readonly logger = new Logger('MailOutbox');
  private readonly signal = new WakeSignal();
  private running = false;
  private loop?: Promise<void>;

  private readonly leaseMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    @Inject(BACKSTOP_OPTIONS) options: BackstopOptions,
  ) {
    this.leaseMs = options.runtime?.outboxLeaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.logger.log(this.transport.mode === 'smtp' ? 'alert mails go to the SMTP server' : 'alert mails are written as .eml files (no SMTP_URL)');
    this.loop = this.run();
  }

  wake(): void {
    this.signal.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const claimed = await this.claim().catch((error) => {
        this.logger.warn(`cannot read the mail outbox: ${String(error)}`);
        return [] as MailRow[];
      });
      for (const row of claimed) await this.send(row);
      if (claimed.length === 0) await this.signal.wait(POLL_MS);
    }
  }

  private async claim(): Promise<MailRow[]> {
    const [rows] = await this.dataSource.query(
      `UPDATE mail_outbox SET locked_until = now() + $1 * interval '1 millisecond', attempts = attempts + 1
        WHERE message_id IN (
          SELECT message_id FROM mail_outbox
           WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY created_at LIMIT 10 FOR UPDATE SKIP LOCKED)
        RETURNING message_id, recipients, subject, text_body, html_body, headers, attempts`,
      [this.leaseMs],
    );
    return rows;
  }

  private async send(row: MailRow): Promise<void> {
    try {
      await this.transport.send({
        messageId: row.message_id,
        to: row.recipients,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        headers: row.headers,
      });
      await this.dataSource.query(
        `UPDATE mail_outbox SET status = 'sent', sent_at = now(), locked_until = NULL WHERE message_id = $1`,
        [row.message_id],
      );
    } catch (error) {
      const delayMs = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(row.attempts - 1, 10));
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`mail ${row.message_id} not sent (attempt ${row.attempts}), retrying in ${delayMs} ms: ${message}`);
      await this.dataSource
        .query(
          `UPDATE mail_outbox SET last_error = $2, locked_until = NULL, next_attempt_at = now() + $3 * interval '1 millisecond'
            WHERE message_id = $1`,
          [row.message_id, message.slice(0, 2000), delayMs],
        )
        .catch(() => undefined);
    }
  }
}
