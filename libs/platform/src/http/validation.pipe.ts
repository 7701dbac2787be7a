import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonError, type FieldProblem } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) problems.push({ field, message });
    if (error.children && error.children.length > 0) problems.push(...flatten(error.children, field));
  }
  return problems;
}

/**
 * The global validation pipe: unknown fields are refused (mass assignment), types are checked and
 * converted, and every problem is listed by field in one 400.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return CommonError.validation(
        problems.length === 1 ? problems[0].message : `The request has ${problems.length} problems.`,
        problems,
      );
    },
  });
}
