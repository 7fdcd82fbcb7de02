import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { AdminRateLimitGuard } from './admin-rate-limit';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Operators' routes: with a configured token they need `Authorization:
 * Bearer <token>` (401 otherwise, whatever was wrong); without one they are
 * open, unless the token is required (production), then refused with 403.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(BACKSTOP_OPTIONS) private readonly options: BackstopOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const { token, requireToken } = this.options.admin ?? {};
    if (!token) {
      if (requireToken) throw new ForbiddenException('admin access is disabled until ADMIN_TOKEN is set');
      return true;
    }
    const header =
      context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization ?? '';
    const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    // Compare digests: constant time, whatever the lengths.
    if (!timingSafeEqual(digest(given), digest(token))) throw new UnauthorizedException('authentication required');
    return true;
  }
}

/** Marks an operators' route: rate limited first, then the token. */
export const AdminOnly = () => applyDecorators(UseGuards(AdminRateLimitGuard, AdminGuard), ApiBearerAuth());
