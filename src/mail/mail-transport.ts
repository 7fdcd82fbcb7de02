import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { BACKSTOP_OPTIONS } from '../backstop.options';
import type { BackstopOptions } from '../backstop.options';

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

  constructor(@Inject(BACKSTOP_OPTIONS) options: BackstopOptions) {
    const mail = options.mail ?? {};
    this.from = mail.from ?? 'Backstop <backstop@localhost>';
    if (mail.smtpUrl) {
      // Bounded waits, well inside the outbox lease, so a hung server cannot outlive it.
      const smtp: SMTPTransport.Options = { url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 };
      this.transporter = createTransport(smtp);
    } else {
      this.directory = resolve(mail.directory ?? join('.backstop', 'mail'));
      this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  get mode(): 'smtp' | 'file' {
    return this.directory ? 'file' : 'smtp';
  }

  async send(mail: OutgoingMail): Promise<Delivery> {
    const raw = await this.compose(mail);
    const info = await this.transporter.sendMail({ envelope: { from: this.from, to: mail.to }, raw, messageId: mail.messageId });
    if (!this.directory) return { via: 'smtp', response: String(info.response ?? '') };
    await mkdir(this.directory, { recursive: true });
    const path = join(this.directory, `${mail.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`);
    await writeFile(path, raw);
    this.logger.log(`alert mail "${mail.subject}" written to ${path}`);
    return { via: 'file', path };
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
