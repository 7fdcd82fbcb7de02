import { ConfigService } from '@nestjs/config';
import { BackstopOptions } from 'nest-backstop';
import { migrations } from '../migrations';

/**
 * Backstop's options from the environment (or .env, through ConfigService).
 * Each invariant's settings are read by its name from the same environment
 * (ConfigModule loads .env into it): SEAT_CAPACITY_STRATEGY (react or
 * prevent), SEAT_CAPACITY_REACTIONS, SEAT_CAPACITY_TOLERANCE, and
 * CREDIT_LIMIT_* / COUPON_USAGE_* for the built-ins.
 */
export function backstopOptions(config: ConfigService): BackstopOptions {
  const smtpHost = config.get<string>('SMTP_HOST');
  return {
    databaseUrl: config.getOrThrow<string>('DATABASE_URL'),
    alertTo: config.get<string>('ALERT_TO', 'ops@example.com').split(','),
    // Without SMTP_HOST alerts are written as .eml files under .backstop/mail.
    mail: smtpHost
      ? { smtpUrl: `smtp://${smtpHost}:${config.get<string>('SMTP_PORT', '25')}`, from: config.get('MAIL_FROM') }
      : {},
    database: { migrations },
  };
}
