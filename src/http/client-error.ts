import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

// What Node itself answers to these; everything else it calls a bad request.
const NODE_ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};

function badRequest(): string {
  const body = JSON.stringify({
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message:
      'the request is not valid HTTP (a control character or a byte outside ASCII in the request line or a header?)',
  });
  return (
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ` +
    `${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Node's HTTP parser refuses a NUL in a header or a raw non-ASCII byte in the
 * request line before the app sees the request, with a bare 400; answer those
 * with the API's error shape instead, as Node would otherwise.
 */
export function answerMalformedRequestsInJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    if (socket.writable && !socket.bytesWritten) socket.write(NODE_ANSWERS[error.code ?? ''] ?? badRequest());
    socket.destroy(error);
  });
}
