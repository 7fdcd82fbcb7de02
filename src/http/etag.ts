import { hash } from 'node:crypto';

const EMPTY = 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';

/**
 * Express's default ETag (weak, from the etag package) made with a one-shot
 * hash: the default builds a Hash object for every answer, a visible share
 * of the CPU of a short JSON answer.
 */
export function weakETag(body: Buffer | string, encoding?: BufferEncoding): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, encoding) : body;
  if (bytes.length === 0) return EMPTY;
  return `W/"${bytes.length.toString(16)}-${hash('sha1', bytes, 'base64').slice(0, 27)}"`;
}
