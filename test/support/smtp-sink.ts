import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  raw: string;
  headers: Record<string, string>;
  subject: string;
  to: string[];
}

/** Header names lower-cased, folded lines unfolded. */
function parseHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** How a stalled server misbehaves: hold the greeting, or the reply to the message's end of data, this long. */
export interface Stall {
  greetingMs?: number;
  dataReplyMs?: number;
}

/**
 * A real SMTP server, in process, that keeps what it receives. Can be stopped
 * and started again on its port, and made to stall like a hung server.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server?: SMTPServer;
  private stalling: Stall = {};
  private held: (() => void)[] = [];
  port = 0;
  /** Connections accepted so far, and those still open. */
  connections = 0;
  open = 0;

  /** Every connection from now on stalls as given; `stall({})` recovers, greeting the connections held so far. */
  stall(stall: Stall): void {
    this.stalling = stall;
    if (!stall.greetingMs) for (const greet of this.held.splice(0)) greet();
  }

  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect: (session, callback) => {
        this.connections++;
        this.open++;
        // The greeting goes out when this callback runs: holding it is a server that accepted the connection and hangs.
        const ms = this.stalling.greetingMs ?? 0;
        if (!(ms > 0)) return callback();
        let greeted = false;
        const greet = () => {
          clearTimeout(timer);
          if (!greeted) callback();
          greeted = true;
        };
        const timer = setTimeout(greet, ms);
        this.held.push(greet);
      },
      onClose: () => {
        this.open--;
      },
      onData: (stream, session, callback) => {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          const headers = parseHeaders(raw);
          this.mails.push({
            raw,
            headers,
            subject: headers.subject ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          // Kept before the reply: a client that gives up waiting for it has still delivered the mail.
          const ms = this.stalling.dataReplyMs ?? 0;
          if (ms > 0) setTimeout(() => callback(), ms);
          else callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.stall({});
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** How many times each Message-ID arrived. */
  countsByMessageId(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const mail of this.mails) {
      const id = mail.headers['message-id'] ?? '';
      counts[id] = (counts[id] ?? 0) + 1;
    }
    return counts;
  }

  byAlert(kind: 'opened' | 'resolved'): ReceivedMail[] {
    return this.mails.filter((mail) => mail.headers['x-backstop-alert'] === kind);
  }
}
