import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
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
 * a client that sends them has misunderstood the operation.
 *
 * A guard rather than an interceptor: any global interceptor turns a handler's rejection into an
 * errored stream on server-sent-event routes (200 and an error event instead of a 404), and
 * registered after the access guard, it answers only callers who may use the route.
 */
@Injectable()
export class UnexpectedBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (declaresBody(context.getClass(), context.getHandler() as (...args: unknown[]) => unknown)) return true;
    const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    const fields = body !== null && typeof body === 'object' ? Object.keys(body) : [];
    if (fields.length > 0) {
      throw CommonError.validation(
        'This operation takes no request body.',
        fields.map((field) => ({ field, message: `property ${field} should not exist` })),
      );
    }
    return true;
  }
}
