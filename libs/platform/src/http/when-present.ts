import { ValidateIf } from 'class-validator';

/**
 * An optional field that is checked whenever it is sent, null included: absent is allowed, null
 * is not. `@IsOptional` would let null through to the service as a value.
 */
export function WhenPresent(): PropertyDecorator {
  return ValidateIf((_dto: unknown, value: unknown) => value !== undefined);
}
