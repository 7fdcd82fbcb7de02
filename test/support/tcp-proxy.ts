import { createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can "take the database away": cut
 * every open connection and refuse new ones, then let them through again.
 * To the service behind it, that is a database outage and its recovery.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private up = true;
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
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
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

  async stop(): Promise<void> {
    this.goDown();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
