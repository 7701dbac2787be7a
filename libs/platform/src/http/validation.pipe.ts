import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonError, type FieldProblem } from './domain-error';

/** Keys the transform drops in silence (so the whitelist never sees them) and that name prototypes. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than any request the API defines; a deeper one is an attack on the recursive transform. */
const MAX_DEPTH = 16;

/** Checks of a value's type: when one fails, the field's other checks only restate it. */
const TYPE_CHECKS = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject']);

/**
 * What to tell the client about one field: when its type is wrong, only that (a number given for
 * a name would otherwise also be "too long" and "blank"); otherwise every rule it breaks.
 */
function messagesOf(constraints: Record<string, string>): string[] {
  const failed = Object.keys(constraints);
  const typeChecks = failed.filter((name) => TYPE_CHECKS.has(name));
  return (typeChecks.length > 0 ? typeChecks : failed).map((name) => constraints[name]);
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of messagesOf(error.constraints ?? {})) problems.push({ field, message });
    if (error.children && error.children.length > 0) problems.push(...flatten(error.children, field));
  }
  return problems;
}

/**
 * What class-transformer and PostgreSQL cannot be trusted with, found without recursion: nesting
 * deep enough to overflow the stack of the (recursive) transform, the NUL character (PostgreSQL
 * text cannot hold it), and `__proto__`, `constructor` or `prototype` keys, which the transform
 * drops in silence instead of letting the whitelist refuse them.
 */
function hostileShape(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: { value: unknown; field: string; depth: number }[] = [{ value, field: '', depth: 0 }];
  while (pending.length > 0 && problems.length < 20) {
    const current = pending.pop();
    if (!current) break;
    const name = current.field || 'body';
    if (typeof current.value === 'string') {
      if (current.value.includes('\u0000')) problems.push({ field: name, message: `${name} must not contain the NUL character` });
      continue;
    }
    if (current.value === null || typeof current.value !== 'object') continue;
    if (current.depth >= MAX_DEPTH) {
      problems.push({ field: name, message: `${name} is nested more than ${MAX_DEPTH} levels deep` });
      continue;
    }
    for (const key of Object.keys(current.value)) {
      const field = current.field ? `${current.field}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        problems.push({ field, message: `property ${field} should not exist` });
        continue;
      }
      pending.push({ value: (current.value as Record<string, unknown>)[key], field, depth: current.depth + 1 });
    }
  }
  return problems;
}

function validationError(problems: FieldProblem[]): CommonError {
  return CommonError.validation(problems.length === 1 ? problems[0].message : `The request has ${problems.length} problems.`, problems);
}

/** The global pipe, with the shape checks above run before anything is transformed. */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problems = hostileShape(value);
      if (problems.length > 0) throw validationError(problems);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The global validation pipe: unknown fields are refused (mass assignment), types are checked and
 * converted, and every problem is listed by field in one 400.
 */
export function createValidationPipe(): ValidationPipe {
  return new GuardedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(flatten(errors)),
  });
}
