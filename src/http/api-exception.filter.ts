import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ConcurrencyConflictError } from '../event-log/concurrency-conflict.error';
import { DomainError, HTTP_STATUS } from '../shared/domain-error';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  [detail: string]: unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  409: 'CONCURRENCY_CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_FAILED',
  429: 'TOO_MANY_REQUESTS',
};

/** Every error answers `{statusCode, code, message}`; nothing internal leaks. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.describe(exception);
    if (body.statusCode >= 500) {
      const request = host.switchToHttp().getRequest<{ method: string; url: string }>();
      this.logger.error(
        `${request.method} ${request.url} failed`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    host.switchToHttp().getResponse<Response>().status(body.statusCode).json(body);
  }

  private describe(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return { statusCode: HTTP_STATUS[exception.code], code: exception.code, message: exception.message };
    }
    if (exception instanceof ConcurrencyConflictError) {
      return { statusCode: 409, code: 'CONCURRENCY_CONFLICT', message: `${exception.message}; retry later` };
    }
    if (exception instanceof HttpException && exception.getStatus() === 503) {
      // A failed health check: keep its report, which says what is down.
      const report = exception.getResponse();
      return {
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'a dependency is down',
        ...(typeof report === 'object' ? report : {}),
      };
    }
    if (exception instanceof HttpException) {
      // The express adapter wraps body-parser's errors; the limit is in the cause.
      const cause = exception.cause as { type?: string; limit?: number } | undefined;
      if (cause?.type === 'entity.too.large') return this.fromStatus(413, parserMessage(cause));
      return this.fromStatus(exception.getStatus(), messageOf(exception.getResponse()));
    }
    // body-parser errors: invalid JSON, body too large, bad charset.
    const parserError = exception as {
      status?: number;
      type?: string;
      expose?: boolean;
      message?: string;
      limit?: number;
    };
    if (typeof parserError.status === 'number' && parserError.status < 500 && parserError.expose) {
      return this.fromStatus(parserError.status, parserMessage(parserError));
    }
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
  }

  private fromStatus(status: number, message: string): ErrorBody {
    // A wrong charset is bad input like any other; an oversized body keeps its
    // 413 so that a client knows that splitting it up, not fixing it, helps.
    const statusCode = status === 415 ? 400 : status;
    const code = CODE_BY_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    return { statusCode, code, message: statusCode >= 500 ? 'Internal server error' : message };
  }
}

function parserMessage(error: { type?: string; message?: string; limit?: number }): string {
  if (error.type === 'entity.parse.failed') return 'the request body is not valid JSON';
  if (error.type === 'entity.too.large') return `the request body is larger than ${error.limit} bytes`;
  return error.message ?? 'bad request';
}

function messageOf(response: string | object): string {
  if (typeof response === 'string') return response;
  const { message } = response as { message?: unknown };
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : 'request failed';
}
