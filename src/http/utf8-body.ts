import type { INestApplication } from '@nestjs/common';
import { json, urlencoded } from 'express';
import type { IncomingMessage } from 'node:http';
import { percentDecodedBytes, unstorableBytesReason } from './storable-string';

const UTF8 = new Set(['utf-8', 'utf8']);
const refuse = (message: string) =>
  Object.assign(new Error(message), { status: 400, expose: true, type: 'entity.verify.failed' });

/**
 * Judges the raw bytes before the parser decodes them: afterwards an invalid
 * sequence has already become U+FFFD and looks like text the client meant.
 * Only UTF-8 is accepted (RFC 8259 says JSON exchanged between systems is UTF-8).
 */
function verifyUtf8(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  if (!UTF8.has(encoding.toLowerCase())) throw refuse('the request body must be UTF-8');
  const reason = unstorableBytesReason(body);
  if (reason) throw refuse(`the request body ${reason}`);
}

/** A form body also carries bytes in percent escapes, which qs would decode leniently. */
function verifyUtf8Form(request: IncomingMessage, response: unknown, body: Buffer, encoding: string): void {
  verifyUtf8(request, response, body, encoding);
  const reason = unstorableBytesReason(percentDecodedBytes(body.toString('latin1')));
  if (reason) throw refuse(`the request body ${reason}`);
}

/**
 * The JSON and form parsers, both refusing bodies that are not storable UTF-8.
 * Registered under the names Nest looks for, so it adds no parser of its own.
 */
export function useUtf8BodyParsers(app: INestApplication, options: { limit: number | string }): void {
  app.use(json({ ...options, verify: verifyUtf8 }));
  app.use(urlencoded({ ...options, extended: true, verify: verifyUtf8Form }));
}
