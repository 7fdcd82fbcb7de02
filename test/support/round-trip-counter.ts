import { TcpProxy } from './tcp-proxy';

/**
 * A TCP proxy in front of PostgreSQL that counts round trips: the client
 * messages after which the client waits for the server's ReadyForQuery, i.e.
 * a simple Query ('Q') or the Sync ('S') that closes an extended-protocol
 * batch (Parse/Bind/Execute of one parameterised query). BEGIN and COMMIT
 * count like any other statement. Connections whose startup message names
 * an application in `ignored` are not counted: the coalesced NOTIFY goes out
 * on a connection of its own ('backstop-notify') after commits, off every
 * command's path.
 */
export class RoundTripCounter {
  private readonly proxy: TcpProxy;
  count = 0;

  constructor(
    targetHost: string,
    targetPort: number,
    private readonly ignored: readonly string[] = ['backstop-notify'],
  ) {
    this.proxy = new TcpProxy(targetHost, targetPort, { tap: () => this.reader() });
  }

  get port(): number {
    return this.proxy.port;
  }

  async start(): Promise<this> {
    await this.proxy.start();
    return this;
  }

  /** The same URL, through the proxy. */
  url(databaseUrl: string): string {
    return this.proxy.url(databaseUrl);
  }

  stop(): Promise<void> {
    return this.proxy.stop();
  }

  /** Splits one connection's client stream into messages; the startup message has no type byte. */
  private reader(): (chunk: Buffer) => void {
    let pending = Buffer.alloc(0);
    let started = false;
    let counted = true;
    return (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const header = started ? 5 : 4;
        if (pending.length < header) return;
        const length = pending.readInt32BE(started ? 1 : 0) + (started ? 1 : 0);
        if (pending.length < length) return;
        if (!started) {
          // An SSLRequest (code 80877103) is followed by the real startup message.
          started = pending.readInt32BE(4) !== 80877103;
          // The parameters are NUL-terminated name/value pairs after the protocol version.
          const parameters = pending.subarray(8, length).toString('utf8').split('\0');
          const application = parameters[parameters.indexOf('application_name') + 1];
          if (started && this.ignored.includes(application)) counted = false;
        } else if (counted && (pending[0] === 0x51 || pending[0] === 0x53)) {
          this.count++;
        }
        pending = pending.subarray(length);
      }
    };
  }
}
