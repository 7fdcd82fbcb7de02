import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CommandMeta } from '../commands/command-meta';
import { unstorableBytesReason } from './storable-string';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

type WithCorrelation = Request & { correlationId?: string };

/**
 * Takes the caller's correlation id (or makes one) and echoes it back. An id
 * that is merely unusual is replaced; one whose bytes are not storable text
 * (Node hands header bytes over as latin1) is refused like any bad input.
 */
export function correlationMiddleware(request: WithCorrelation, response: Response, next: NextFunction): void {
  const given = request.header(CORRELATION_HEADER);
  const reason = given === undefined ? undefined : unstorableBytesReason(Buffer.from(given, 'latin1'));
  if (reason) return next(new BadRequestException(`the ${CORRELATION_HEADER} header ${reason}`));
  request.correlationId = given && SAFE_CORRELATION_ID.test(given) ? given : randomUUID();
  response.setHeader(CORRELATION_HEADER, request.correlationId);
  next();
}

/** The CommandMeta of an HTTP request: its correlation id. */
export const RequestMeta = createParamDecorator((_: unknown, context: ExecutionContext): CommandMeta => ({
  correlationId: context.switchToHttp().getRequest<WithCorrelation>().correlationId,
}));
