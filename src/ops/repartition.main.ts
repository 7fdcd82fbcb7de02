import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { ConfigurationError } from '../config/environment';
import { commandLineDatabase } from '../database/command-line-database';
import { TransactionIdsBehindLogError } from '../event-log/transaction-id-check';
import { SagaRepartitioner } from '../sagas/repartition';
import { RepartitionRefusedError, RepartitionUsageError } from '../sagas/repartition-checks';

const USAGE = 'usage: npm run sagas:repartition -- --saga <name> --partitions <1..1024>';

/**
 * `npm run sagas:repartition -- --saga credit-limit --partitions 8`: changes
 * a saga's partition count on the service's database (DATABASE_URL, or the
 * embedded one under BACKSTOP_HOME) while every instance is stopped.
 * Exits 0 when done (or already so), 1 when refused (nothing changed),
 * 2 on bad arguments or configuration.
 */
async function main(): Promise<number> {
  const { values } = parse();
  // Checked before the app boots, which takes seconds.
  const count = Number(values.partitions);
  if (!values.saga || !values.partitions || !/^\d+$/.test(values.partitions) || count < 1 || count > 1024)
    throw new RepartitionUsageError(USAGE);
  const database = await commandLineDatabase();
  // The app itself, workers off: the command folds events with the sagas exactly as the service would.
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ databaseUrl: database.url, runtime: { enabled: false } }),
    { logger: ['error'], abortOnError: false },
  ).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  try {
    const report = await app.get(SagaRepartitioner).repartition(values.saga, count, (line) => console.log(line));
    const at = `transaction ${report.horizon.transactionId}, position ${report.horizon.position}`;
    if (!report.changed) console.log(`${report.saga} already has ${report.to} partitions: nothing to do`);
    else if (report.from === null)
      console.log(`${report.saga}: ${report.to} partitions stored; it has not run on this database yet`);
    else
      console.log(
        `${report.saga}: ${report.from} -> ${report.to} partitions, all ` +
          `starting at ${at} (${report.caughtUp} event(s) caught up first)`,
      );
    if (report.changed) {
      console.log(
        `Start the instances with ${report.to} partitions for ${report.saga} ` +
          `(SAGA_PARTITIONS=${report.saga}=${report.to} or runtime.partitions): any other count is refused.`,
      );
    }
    return 0;
  } finally {
    await app.close();
    await database.stop();
  }
}

function parse() {
  try {
    return parseArgs({ options: { saga: { type: 'string' }, partitions: { type: 'string' } } });
  } catch (error) {
    throw new RepartitionUsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof RepartitionRefusedError) {
      console.error(`Refused: ${error.message}`);
      process.exit(1);
    }
    const known =
      error instanceof ConfigurationError ||
      error instanceof TransactionIdsBehindLogError ||
      error instanceof RepartitionUsageError;
    console.error(known ? error.message : error);
    process.exit(2);
  },
);
