import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  body: any;
}

export interface RawRequest {
  method: string;
  /** The request target exactly as sent: a Buffer may hold bytes no client library would let through. */
  path: string | Buffer;
  headers?: Record<string, string | Buffer>;
  body?: string | Buffer;
}

/**
 * One HTTP/1.1 request written byte for byte on a socket, so that tests can
 * send what fetch refuses or repairs (raw non-UTF-8 bytes, NUL in a header).
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers: Record<string, string | Buffer> = {
    host: `${hostname}:${port}`,
    connection: 'close',
    ...request.headers,
  };
  if (request.body !== undefined) headers['content-length'] = String(body.length);
  const bytes = Buffer.concat([
    Buffer.from(`${request.method} `),
    Buffer.from(request.path),
    Buffer.from(' HTTP/1.1\r\n'),
    ...Object.entries(headers).flatMap(([name, value]) => [
      Buffer.from(`${name}: `),
      Buffer.from(value),
      Buffer.from('\r\n'),
    ]),
    Buffer.from('\r\n'),
    body,
  ]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const rest = text.slice(text.indexOf('\r\n\r\n') + 4);
      let parsed: unknown = rest;
      try {
        parsed = rest ? JSON.parse(rest) : undefined;
      } catch {
        // not JSON: keep the text
      }
      resolve({ status, body: parsed });
    });
  });
}
