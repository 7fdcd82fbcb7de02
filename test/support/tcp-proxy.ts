import { createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can "take the database away": cut
 * every open connection and refuse new ones, then let them through again.
 * To the service behind it, that is a database outage and its recovery.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<[Socket, Socket]>();
  private up = true;
  private cut = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = new Socket();
      upstream.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      if (this.cut) client.pause();
      else client.pipe(upstream).pipe(client);
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
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  heal(): void {
    this.cut = false;
    for (const [client, upstream] of this.pairs) {
      client.pipe(upstream);
      upstream.pipe(client);
    }
  }

  async stop(): Promise<void> {
    this.goDown();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
