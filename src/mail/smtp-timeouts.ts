import type { MailOptions } from '../config/backstop.options';

export interface SmtpTimeouts {
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionTimeoutMs: 5_000,
  greetingTimeoutMs: 5_000,
  socketTimeoutMs: 10_000,
};

export function smtpTimeoutsOf(mail: MailOptions = {}): SmtpTimeouts {
  return {
    connectionTimeoutMs: mail.connectionTimeoutMs ?? DEFAULT_SMTP_TIMEOUTS.connectionTimeoutMs,
    greetingTimeoutMs: mail.greetingTimeoutMs ?? DEFAULT_SMTP_TIMEOUTS.greetingTimeoutMs,
    socketTimeoutMs: mail.socketTimeoutMs ?? DEFAULT_SMTP_TIMEOUTS.socketTimeoutMs,
  };
}

/**
 * The longest one send may take: the transport cuts it off there. The socket
 * timeout alone would not bound it, being an inactivity timeout that a
 * server trickling replies resets at every line.
 */
export function sendBudgetMs(timeouts: SmtpTimeouts): number {
  return timeouts.connectionTimeoutMs + timeouts.greetingTimeoutMs + timeouts.socketTimeoutMs;
}

/**
 * Why these timeouts cannot go with this outbox lease, if they cannot: a send
 * still running when its lease runs out lets another instance send the same
 * alert.
 */
export function sendBudgetProblem(timeouts: SmtpTimeouts, leaseMs: number): string | undefined {
  const budget = sendBudgetMs(timeouts);
  if (budget < leaseMs) return undefined;
  return (
    `mail.connectionTimeoutMs + greetingTimeoutMs + socketTimeoutMs ` +
    `(${timeouts.connectionTimeoutMs} + ${timeouts.greetingTimeoutMs} + ` +
    `${timeouts.socketTimeoutMs} = ${budget} ms) must be below runtime.outboxLeaseMs (${leaseMs} ms): ` +
    `a send that outlives its lease lets another instance send the same alert`
  );
}
