import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { BackstopMetrics } from '../telemetry/backstop-metrics';
import { backoffMs, DEFAULT_OUTBOX_LEASE_MS, OutboxLoop } from '../outbox/outbox-loop';
import { MailTransport } from './mail-transport';

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
 * Message-ID lets the receiving side tell the repeat apart. A send is cut
 * off before its row's lease runs out, so no other instance sends the same
 * mail while this one still may.
 */
@Injectable()
export class MailOutboxWorker extends OutboxLoop<MailRow> {
  protected readonly logger = new Logger('MailOutbox');

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly metrics: BackstopMetrics,
    @Inject(BACKSTOP_OPTIONS) options: BackstopOptions,
  ) {
    const lease = options.runtime?.outboxLeaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
    super(
      dataSource,
      'mail_outbox',
      'message_id',
      'message_id, recipients, subject, text_body, html_body, headers, attempts',
      lease,
    );
  }

  override start(): void {
    this.logger.log(
      this.transport.mode === 'smtp'
        ? 'alert mails go to the SMTP server'
        : 'alert mails are written as .eml files (no SMTP_URL)',
    );
    super.start();
  }

  /** A send is cut off after this, so the batch's leases are extended whenever less than this is left. */
  protected override handleBudgetMs(): number {
    return this.transport.mode === 'smtp' ? this.transport.sendBudgetMs : super.handleBudgetMs();
  }

  protected async handle(row: MailRow): Promise<void> {
    try {
      const mail = {
        messageId: row.message_id,
        to: row.recipients,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        headers: row.headers,
      };
      await this.transport.send(mail, this.leaseLeftMs());
      this.metrics.mails.inc({ result: 'sent' });
      if (!(await this.complete(row.message_id, `status = 'sent', sent_at = now()`))) {
        // Only a send that overran its cut-off (a frozen process) gets here; the claimant's send is the one on record.
        this.logger.warn(`alert ${row.message_id} sent after another worker claimed it: it may arrive twice`, {
          messageId: row.message_id,
        });
        return;
      }
      this.logger.log(`alert ${row.message_id} sent: ${row.subject}`, {
        messageId: row.message_id,
        correlationId: row.headers['X-Correlation-Id'],
      });
    } catch (error) {
      this.metrics.mails.inc({ result: 'failed' });
      const delayMs = backoffMs(row.attempts, 250);
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `mail ${row.message_id} not sent (attempt ${row.attempts}), retrying in ${delayMs} ms: ${message}`,
      );
      await this.retryLater(row.message_id, message, delayMs);
    }
  }
}
