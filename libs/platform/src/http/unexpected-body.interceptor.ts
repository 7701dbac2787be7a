import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { Observable } from 'rxjs';
import { CommonError } from './domain-error';

/** Nest's `RouteParamtypes.BODY` (a TypeScript enum that is not available at run time). */
const BODY_PARAM = 3;

/** Whether a handler declares a `@Body()` parameter, remembered per handler. */
const takesBody = new WeakMap<object, boolean>();

function declaresBody(controller: object, handler: (...args: unknown[]) => unknown): boolean {
  const known = takesBody.get(handler);
  if (known !== undefined) return known;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<string, unknown>;
  const result = Object.keys(args).some((key) => Number(key.split(':')[0]) === BODY_PARAM);
  takesBody.set(handler, result);
  return result;
}

/**
 * Refuses a request body on a route that takes none (e.g. `POST /beds/:id/cleaned` with
 * `{ "status": "OCCUPIED" }`). The validation pipe only sees declared parameters, so without
 * this such fields would be ignored in silence; the contract says unknown fields are a 400, and
 * a client that sends them has misunderstood the operation. Runs after the access guard, so an
 * undeclared role still gets 403 first.
 */
@Injectable()
export class UnexpectedBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && !declaresBody(context.getClass(), context.getHandler() as (...args: unknown[]) => unknown)) {
      const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body;
      const fields = body !== null && typeof body === 'object' ? Object.keys(body) : [];
      if (fields.length > 0) {
        throw CommonError.validation(
          'This operation takes no request body.',
          fields.map((field) => ({ field, message: `property ${field} should not exist` })),
        );
      }
    }
    return next.handle();
  }
}
