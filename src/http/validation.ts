import {
  applyDecorators,
  ArgumentMetadata,
  BadRequestException,
  Injectable,
  PipeTransform,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DomainError } from '../shared/domain-error';
import { findUnstorable } from './storable-string';

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** The largest amount (in cents) a DTO accepts: credit limits, order totals, coupon discounts. */
export const MAX_AMOUNT = 1e12;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const CHECKED_FOR_STORABLE = new Set<ArgumentMetadata['type']>(['body', 'query', 'param']);
// Far beyond any DTO here; class-transformer recurses and overflows the stack
// on bodies some ten thousand levels deep, which would answer 500.
const MAX_BODY_DEPTH = 32;
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** An optional field may be left out; `null` is a wrong type, not "absent". */
const AbsentOrValid = () => ValidateIf((_, value) => value !== undefined);

/** A client-chosen or referenced id: 1-64 of A-Z a-z 0-9 _ -. */
export const IsEntityId = (description: string, optional = false) =>
  applyDecorators(
    optional
      ? ApiPropertyOptional({ description, pattern: ID_PATTERN.source })
      : ApiProperty({ description, pattern: ID_PATTERN.source }),
    ...(optional ? [AbsentOrValid()] : []),
    IsString({ message: '$property must be a string' }),
    Matches(ID_PATTERN, { message: '$property must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -' }),
  );

/** An integer amount (cents) or count within bounds. */
export const IsBoundedInt = (min: number, max: number, description: string, optional = false) =>
  applyDecorators(
    optional
      ? ApiPropertyOptional({ description, minimum: min, maximum: max, type: 'integer' })
      : ApiProperty({ description, minimum: min, maximum: max, type: 'integer' }),
    ...(optional ? [AbsentOrValid()] : []),
    IsInt({ message: '$property must be an integer' }),
    Min(min, { message: `$property must be between ${min} and ${max}` }),
    Max(max, { message: `$property must be between ${min} and ${max}` }),
  );

/** A name or code: 1-200 characters, no control characters. */
export const IsLabel = (description: string) =>
  applyDecorators(
    ApiProperty({ description, minLength: 1, maxLength: 200 }),
    IsString({ message: '$property must be a string' }),
    Length(1, 200, { message: '$property must be 1 to 200 characters' }),
    Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }),
  );

export const IsEmailAddress = (description: string) =>
  applyDecorators(
    ApiProperty({ description, format: 'email' }),
    IsString({ message: '$property must be a string' }),
    MaxLength(254, { message: '$property must be at most 254 characters' }),
    IsEmail({}, { message: '$property must be a valid email address' }),
  );

/** Iterative, for the same reason. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= max) return true;
    for (const item of Object.values(current)) pending.push([item, depth + 1]);
  }
  return false;
}

function messagesOf(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.includes(error.property) ? message : `${path}: ${message}`,
    );
    return [...own, ...messagesOf(error.children ?? [], path)];
  });
}

/**
 * A body DTO may offer a quick check for its common, well-formed case: it
 * must accept only plain objects that its rules accept too, and such a body
 * becomes the DTO as class-transformer would make it (its fields copied onto
 * a new instance). Anything else, invalid bodies included, takes the full
 * path, so every refusal keeps its message.
 */
export interface QuicklyAccepted {
  acceptsQuickly(body: Record<string, unknown>): boolean;
}

export const isEntityId = (value: unknown): boolean => typeof value === 'string' && ID_PATTERN.test(value);

export const isBoundedInt = (value: unknown, min: number, max: number): boolean =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * Whitelisting validation for every body and query: unknown fields, wrong
 * types, anything that is not a JSON object and strings PostgreSQL cannot
 * store are 400 VALIDATION_FAILED.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: false,
      transform: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new BadRequestException(messagesOf(errors).join('; ')),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // No body at all reads as {}: fine for parameterless commands, and a
    // command that needs fields still names each missing one.
    if (metadata.type === 'body' && value === undefined) value = {};
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new BadRequestException('the request body must be a JSON object');
    }
    // class-transformer silently drops these keys, so whitelisting never sees them.
    const reserved =
      metadata.type === 'body' ? Object.keys(value as object).find((key) => RESERVED_KEYS.has(key)) : undefined;
    if (reserved) throw new BadRequestException(`property ${reserved} should not exist`);
    if (metadata.type === 'body' && nestedDeeperThan(value, MAX_BODY_DEPTH)) {
      throw new BadRequestException(`the request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
    }
    // Before any rule of the DTO, and even where no DTO applies: whatever the
    // handler gets may end up in a query or a row.
    const unstorable = CHECKED_FOR_STORABLE.has(metadata.type)
      ? findUnstorable(value, metadata.data ?? metadata.type)
      : undefined;
    if (unstorable) throw new BadRequestException(unstorable);
    // The full path costs several times what the command itself costs in CPU.
    const dto = metadata.metatype as (new () => object) & Partial<QuicklyAccepted>;
    if (metadata.type === 'body' && dto?.acceptsQuickly?.(value as Record<string, unknown>))
      return Object.assign(new dto(), value);
    return super.transform(value, metadata);
  }
}

/** A path id that cannot exist is simply not found. */
@Injectable()
export class PathIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID_PATTERN.test(value))
      throw new DomainError('NOT_FOUND', `no resource with id ${JSON.stringify(value.slice(0, 80))}`);
    return value;
  }
}
