import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { percentDecodedBytes, unstorableBytesReason } from './storable-string';

/**
 * Path and query as sent, before Express decodes them: its query parser turns
 * `%FF` into U+FFFD and keeps `%00` as NUL. Applies to every route, those
 * that ignore their query string and unknown ones included.
 */
export function refuseUnstorableUrl(request: Request, _response: Response, next: NextFunction): void {
  const reason = unstorableBytesReason(percentDecodedBytes(request.originalUrl ?? request.url));
  next(reason ? new BadRequestException(`the request URL ${reason} once percent-decoded`) : undefined);
}
