import 'reflect-metadata';
import { audit, couponUsage, creditLimit, formatReport, InvariantSettings } from 'nest-backstop';
import { DataSource } from 'typeorm';
import { seatCapacity } from './shows/seat-capacity.invariant';

/**
 * `npm run audit`: recomputes every invariant from the current rows and
 * compares with the open episodes. Exits 1 on a breach without an episode
 * (MISS) or an open episode whose rule holds (STALE).
 */
async function main(): Promise<number> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const dataSource = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
  try {
    const settings = new InvariantSettings({}, process.env); // the app's settings by name, as at its start
    const report = await audit(dataSource, [creditLimit, couponUsage, seatCapacity], settings);
    console.log(formatReport(report));
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
