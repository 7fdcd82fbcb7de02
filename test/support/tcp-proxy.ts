import { createServer, Server, Socket } from 'node:net';
import { PreciseDelay } from './precise-delay';

type Pair = [client: Socket, upstream: Socket, tap?: (chunk: Buffer) => void];

/**
 * A TCP proxy in front of PostgreSQL that can "take the database away": cut
 * every open connection and refuse new ones, then let them through again.
 * To the service behind it, that is a database outage and its recovery.
 * With `delayMs`, every chunk waits that long in each direction (see
 * PreciseDelay): a database further away than loopback.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<Pair>();
  private readonly tap?: () => (chunk: Buffer) => void;
  private readonly delay?: PreciseDelay;
  private up = true;
  private cut = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    /** `tap`: a reader per connection of what the client sends (see RoundTripCounter). */
    options: { delayMs?: number; tap?: () => (chunk: Buffer) => void } = {},
  ) {
    if (options.delayMs) this.delay = new PreciseDelay(options.delayMs);
    this.tap = options.tap;
  }

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = new Socket();
      upstream.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        if (this.delay) socket.setNoDelay(true); // a small write waiting for an ack would add to the delay
      }
      const pair: Pair = [client, upstream, this.tap?.()];
      this.pairs.add(pair);
      if (this.cut) client.pause();
      else this.link(pair);
      client.on('close', () => (upstream.destroy(), this.pairs.delete(pair)));
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** The same URL, through the proxy. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  goDown(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  comeBack(): void {
    this.up = true;
  }

  /**
   * A network partition: every connection stays open at both ends but no byte
   * gets through, so neither side notices (PostgreSQL keeps the sessions and
   * their locks). heal() lets the held bytes through again.
   */
  partition(): void {
    this.cut = true;
    for (const pair of this.pairs) this.unlink(pair);
  }

  heal(): void {
    this.cut = false;
    for (const pair of this.pairs) this.link(pair);
  }

  async stop(): Promise<void> {
    this.goDown();
    await this.delay?.stop();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private link([client, upstream, tap]: Pair): void {
    if (tap) client.on('data', tap);
    if (!this.delay) return void client.pipe(upstream).pipe(client);
    this.forward(client, upstream);
    this.forward(upstream, client);
  }

  private unlink([client, upstream]: Pair): void {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.removeAllListeners('data');
    upstream.removeAllListeners('data');
    client.pause();
    upstream.pause();
  }

  /** Delayed forwarding, one chunk at a time, with backpressure like pipe(). */
  private forward(from: Socket, to: Socket): void {
    const delay = this.delay!;
    from.on('data', (chunk) =>
      delay.push(() => {
        if (to.destroyed || to.write(chunk)) return;
        from.pause();
        to.once('drain', () => !this.cut && from.resume());
      }),
    );
    from.resume();
  }
}
