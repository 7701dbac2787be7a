import { Injectable, type PipeTransform, type ArgumentMetadata } from '@nestjs/common';
import { CommonError } from './domain-error';
import { isUuid } from './uuid';

/** `@Param('id', ParseUuid)`: a malformed id is a 400 VALIDATION_FAILED, never a database error. */
@Injectable()
export class ParseUuid implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) {
      const field = metadata.data ?? 'id';
      throw CommonError.validation(`${field} must be a UUID.`, [{ field, message: 'must be a UUID' }]);
    }
    return value.toLowerCase();
  }
}
