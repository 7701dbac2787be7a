import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA, SSE_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ACCESS_METADATA, type AccessRule } from '@app/platform';

export interface RouteInfo {
  controller: string;
  handler: string;
  method: string;
  /** Express-style path without the global prefix, e.g. `/beds/:id/admit`. */
  path: string;
  /** Path as OpenAPI writes it, with the prefix, e.g. `/api/v1/beds/{id}/admit`. */
  openApiPath: string;
  access: AccessRule | undefined;
  hasBody: boolean;
  isSse: boolean;
}

const OUTSIDE_PREFIX = new Set(['/health/live', '/health/ready', '/metrics']);

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment.length > 0)
    .join('/');
  return `/${joined}`;
}

/**
 * Every route the application serves, read from Nest's own metadata (the same metadata the
 * router is built from), with its access rule. Used by the access and OpenAPI tests.
 */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const modules = app.get(ModulesContainer);
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteInfo[] = [];
  const wrappers = [...modules.values()].flatMap((module) => [...module.controllers.values()]);
  for (const wrapper of wrappers) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    const controllerPaths = [reflector.get<string | string[]>(PATH_METADATA, metatype as object as () => void) ?? ''].flat();
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as () => unknown;
      const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (methodPaths === undefined || requestMethod === undefined) continue;
      const access = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [handler, metatype]);
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as Record<string, unknown>;
      const hasBody = Object.keys(args).some((key) => key.split(':')[0] === '3');
      const isSse = Boolean(Reflect.getMetadata(SSE_METADATA, handler));
      for (const controllerPath of controllerPaths) {
        for (const methodPath of [methodPaths].flat()) {
          const path = joinPath(controllerPath, methodPath);
          const prefixed = OUTSIDE_PREFIX.has(path) ? path : joinPath('api/v1', path);
          routes.push({
            controller: (metatype as { name: string }).name,
            handler: name,
            method: RequestMethod[requestMethod],
            path,
            openApiPath: prefixed.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
            access,
            hasBody,
            isSse,
          });
        }
      }
    }
  }
  return routes;
}
