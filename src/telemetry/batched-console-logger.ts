import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';

type StreamName = 'stdout' | 'stderr';
type Sink = Pick<NodeJS.WritableStream, 'write'>;

/** Beyond this many buffered characters a stream is written at once rather than at the end of the turn. */
const MAX_BUFFERED = 64 * 1024;

/**
 * JSON lines, written once per event-loop turn instead of once per line.
 * Node hands each write to stdout or stderr to the kernel at once, so a line
 * per command was a write(2) per command on the event loop, the largest item
 * outside the database in a profile under load (docs/benchmarks.md, "Node side
 * profile"). The lines of one turn now go out in one write, in order; 'exit'
 * writes what is pending, so process.exit() loses no more than before. A
 * process killed outright loses the lines of the turn it was in.
 */
export class BatchedConsoleLogger extends ConsoleLogger {
  private readonly pending: Record<StreamName, string[]> = { stdout: [], stderr: [] };
  private readonly size: Record<StreamName, number> = { stdout: 0, stderr: 0 };
  private scheduled = false;
  private readonly flushAll = () => {
    this.scheduled = false;
    this.flush('stdout');
    this.flush('stderr');
  };

  constructor(
    options: ConsoleLoggerOptions & { json: true },
    private readonly sinks: Record<StreamName, Sink> = process,
  ) {
    super(options);
    process.once('exit', this.flushAll);
  }

  protected override printAsJson(
    message: unknown,
    options: {
      context: string;
      logLevel: LogLevel;
      writeStreamType?: StreamName;
      errorStack?: unknown;
      params?: Record<string, unknown>;
      error?: Error;
    },
  ): void {
    const record = this.getJsonLogObject(message, options);
    const line =
      !this.options.colors && this.inspectOptions.compact === true
        ? this.stringifyJsonLogObject(record)
        : inspect(record, this.inspectOptions);
    const stream = options.writeStreamType ?? 'stdout';
    this.pending[stream].push(`${line}\n`);
    this.size[stream] += line.length + 1;
    if (this.size[stream] >= MAX_BUFFERED) this.flush(stream);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushAll);
    }
  }

  private flush(stream: StreamName): void {
    if (this.pending[stream].length === 0) return;
    const text = this.pending[stream].join('');
    this.pending[stream] = [];
    this.size[stream] = 0;
    this.sinks[stream].write(text);
  }
}
