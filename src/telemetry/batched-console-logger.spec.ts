import { ConsoleLogger, Logger } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { BatchedConsoleLogger } from './batched-console-logger';

/** A stream that keeps every chunk written to it, as written. */
function collectingStream(): Writable & { chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { chunks });
}

const nextTurn = () => new Promise((done) => setImmediate(done));
const records = (chunks: string[]) =>
  chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('BatchedConsoleLogger', () => {
  it('writes the lines of one event-loop turn in one write, in order, with their fields', async () => {
    const stdout = collectingStream();
    const stderr = collectingStream();
    const logger = new BatchedConsoleLogger(
      { json: true, colors: false, logLevels: ['error', 'warn', 'log'], flattenParams: true },
      { stdout, stderr },
    );
    for (let i = 0; i < 50; i++) logger.log(`CreateOrder ok`, { command: 'CreateOrder', n: i }, 'Command');
    logger.error('CreateOrder error', { n: 50 }, 'Command');
    logger.debug('not enabled', 'Command');

    await nextTurn();
    expect(stdout.chunks).toHaveLength(1);
    expect(records(stdout.chunks).map((record) => record.n)).toEqual([...Array(50).keys()]);
    expect(records(stdout.chunks)[0]).toMatchObject({ level: 'log', context: 'Command', command: 'CreateOrder' });
    expect(records(stderr.chunks)).toEqual([expect.objectContaining({ level: 'error', n: 50 })]);

    logger.warn('a later turn', 'Command');
    await nextTurn();
    expect(stdout.chunks).toHaveLength(2);
  });

  // Fewer lines than a pipe holds (64 kB): what does not fit when the process exits is lost with any logger.
  it('loses no line when the process exits in the turn that logged it', () => {
    const compiled = resolve(__dirname, '../../dist/src/telemetry/batched-console-logger.js');
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first (npm test does)`);
    const script = `
      const { Logger } = require('@nestjs/common');
      const { BatchedConsoleLogger } = require(${JSON.stringify(compiled)});
      Logger.overrideLogger(new BatchedConsoleLogger({ json: true, colors: false, logLevels: ['log', 'error'] }));
      const logger = new Logger('Exit');
      for (let i = 0; i < 200; i++) logger.log('line ' + i);
      logger.error('last words');
      process.exit(3);`;
    const child = spawnSync(process.execPath, ['-e', script], { cwd: resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(child.status).toBe(3);
    expect(records([child.stdout]).map((record) => record.message)).toEqual(
      Array.from({ length: 200 }, (_, i) => `line ${i}`),
    );
    expect(records([child.stderr])).toEqual([expect.objectContaining({ message: 'last words', context: 'Exit' })]);
  });

  it('serves as the application logger through Nest Logger instances', async () => {
    const stdout = collectingStream();
    const logger = new BatchedConsoleLogger(
      { json: true, colors: false, logLevels: ['log'], flattenParams: true },
      { stdout, stderr: stdout },
    );
    Logger.overrideLogger(logger);
    try {
      new Logger('Command').log('RegisterCustomer ok', { correlationId: 'c-1' });
      await nextTurn();
      expect(records(stdout.chunks)).toEqual([
        expect.objectContaining({ context: 'Command', message: 'RegisterCustomer ok', correlationId: 'c-1' }),
      ]);
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
  });
});
