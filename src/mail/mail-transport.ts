import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { DEFAULT_OUTBOX_LEASE_MS } from '../outbox/outbox-loop';
import { sendBudgetMs, sendBudgetProblem, smtpTimeoutsOf } from './smtp-timeouts';

export interface OutgoingMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html?: string | null;
  headers: Record<string, string>;
}

/** Where a mail went: the SMTP server, or the path of the .eml file written. */
export type Delivery = { via: 'smtp'; response: string } | { via: 'file'; path: string };

/**
 * Sends through SMTP when a URL is configured, otherwise renders each mail
 * (same MIME as SMTP would carry) into an .eml file named after its
 * Message-ID, so a repeat overwrites instead of duplicating.
 */
@Injectable()
export class MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;
  private readonly directory?: string;
  readonly from: string;
  /** The longest one SMTP send may take before it is cut off. */
  readonly sendBudgetMs: number;

  constructor(@Inject(BACKSTOP_OPTIONS) options: BackstopOptions) {
    const mail = options.mail ?? {};
    this.from = mail.from ?? 'Backstop <backstop@localhost>';
    const timeouts = smtpTimeoutsOf(mail);
    this.sendBudgetMs = sendBudgetMs(timeouts);
    if (mail.smtpUrl) {
      const problem = sendBudgetProblem(timeouts, options.runtime?.outboxLeaseMs ?? DEFAULT_OUTBOX_LEASE_MS);
      if (problem) throw new Error(`Invalid mail settings: ${problem}`);
      const smtp: SMTPTransport.Options = {
        url: mail.smtpUrl,
        connectionTimeout: timeouts.connectionTimeoutMs,
        greetingTimeout: timeouts.greetingTimeoutMs,
        socketTimeout: timeouts.socketTimeoutMs,
      };
      this.transporter = createTransport(smtp);
    } else {
      this.directory = resolve(mail.directory ?? join('.backstop', 'mail'));
      this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  get mode(): 'smtp' | 'file' {
    return this.directory ? 'file' : 'smtp';
  }

  /**
   * Sends, and cuts an SMTP send off after `sendBudgetMs` or `withinMs`,
   * whichever is shorter: the caller's lease must outlast every send. A send
   * cut off after the message went out (no reply to its end of data) may
   * still have been delivered: its outcome is unknown and it is retried.
   */
  async send(mail: OutgoingMail, withinMs = Infinity): Promise<Delivery> {
    const raw = await this.compose(mail);
    const envelope = { from: this.from, to: mail.to };
    if (!this.directory) return this.sendSmtp(raw, envelope, mail.messageId, Math.min(this.sendBudgetMs, withinMs));
    await this.transporter.sendMail({ envelope, raw, messageId: mail.messageId });
    await mkdir(this.directory, { recursive: true });
    const path = join(this.directory, `${mail.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`);
    await writeFile(path, raw);
    this.logger.log(`alert mail "${mail.subject}" written to ${path}`);
    return { via: 'file', path };
  }

  private async sendSmtp(
    raw: Buffer,
    envelope: { from: string; to: string[] },
    messageId: string,
    limitMs: number,
  ): Promise<Delivery> {
    if (!(limitMs > 0)) throw new Error('no time left to send within the lease');
    const signal = AbortSignal.timeout(limitMs);
    try {
      const info = await this.transporter.sendMail({ envelope, raw, messageId, signal });
      return { via: 'smtp', response: String(info.response ?? '') };
    } catch (error) {
      if (signal.aborted) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`SMTP send cut off after ${limitMs} ms (server too slow): ${reason}`, { cause: error });
      }
      throw error;
    }
  }

  /**
   * The MIME message, with our own header names spelled exactly as given:
   * nodemailer would turn a trailing "-Id" into "-ID", and clients match
   * X-Backstop-Violation-Id to the letter.
   */
  private async compose(mail: OutgoingMail): Promise<Buffer> {
    const message = await new MailComposer({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? undefined,
      messageId: mail.messageId,
      headers: mail.headers,
    })
      .compile()
      .build();
    const text = message.toString('utf8');
    const split = text.search(/\r?\n\r?\n/);
    let head = text.slice(0, split);
    for (const name of Object.keys(mail.headers)) {
      head = head.replace(new RegExp(`^${name.replace(/[-]/g, '\\-')}:`, 'im'), `${name}:`);
    }
    return Buffer.from(head + text.slice(split), 'utf8');
  }
}
