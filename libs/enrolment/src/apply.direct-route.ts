import { Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { getMetadataStorage, isUUID } from 'class-validator';
import {
  ACCESS_METADATA,
  type AccessRule,
  API_PREFIX,
  BearerAuthenticator,
  DirectRoutes,
  type HttpReply,
  type HttpRequest,
  IDEMPOTENCY_KEY_FORMAT,
  type Principal,
  type Role,
  sendProblem,
} from '@app/platform';
import { ApplicationsService } from './applications.service';
import { ApplyDto } from './dto/enrolment.dto';
import { EnrolmentApplicationsController } from './enrolment.controller';

/**
 * `POST /api/v1/enrolment/applications` without Nest's pipeline, for the requests that make up a
 * flash crowd: a senior applying for themself with a well-formed body. The checks are the Nest
 * route's own, in the same functions: the bearer token and its withdrawal (`BearerAuthenticator`),
 * the roles the route's `@Roles()` names (read from the controller method, as the access guard
 * reads them), a body of exactly `{ courseId }` with a UUID by class-validator's `isUUID`
 * (what `ApplyDto` declares; the handler refuses to start if `ApplyDto` declares another field),
 * and the `Idempotency-Key` format. The work and every refusal after those checks (unknown
 * course, closed term, rate limit, a reused key) come from `ApplicationsService.apply` and are
 * answered by the same `sendProblem` as the exception filter.
 *
 * Everything else is declined before anything is read or counted, and the Nest route answers it
 * as it always has: no or a bad token (401), another role (403), a family member or the counter
 * acting for a senior (`seniorId` in the body or a query string), any body or header it would
 * refuse (400 with the field problems).
 */
@Injectable()
export class ApplyDirectRoute {
  private readonly logger = new Logger('ProblemFilter');
  /** The roles the Nest route admits. */
  private readonly roles: readonly Role[];

  constructor(
    routes: DirectRoutes,
    reflector: Reflector,
    private readonly authenticator: BearerAuthenticator,
    private readonly applications: ApplicationsService,
  ) {
    const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
      EnrolmentApplicationsController.prototype.apply,
      EnrolmentApplicationsController,
    ]);
    if (rule?.kind !== 'roles') throw new Error('the accept route must name the roles it admits for its direct handler');
    this.roles = rule.roles;
    // The body check below knows one field; a field added to ApplyDto must be checked here too.
    const fields = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(ApplyDto, '', true, false)
        .map((metadata) => metadata.propertyName),
    );
    if (fields.size !== 1 || !fields.has('courseId')) {
      throw new Error(`the accept route's direct handler checks courseId only; ApplyDto declares ${[...fields].join(', ')}`);
    }
    routes.register('POST', `/${API_PREFIX}/enrolment/applications`, (request, reply) => this.serve(request, reply));
  }

  async serve(request: HttpRequest, reply: HttpReply): Promise<boolean> {
    const principal = this.admittedCaller(request);
    if (!principal || request.url.includes('?')) return false;
    const courseId = courseIdOf(request.body);
    if (courseId === undefined) return false;
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY_FORMAT.test(key))) return false;
    this.authenticator.attach(request, principal);
    try {
      const result = await this.applications.apply(principal, courseId.toLowerCase(), key);
      void reply.status(result.httpStatus).send(result.body);
    } catch (error) {
      sendProblem(error, request, reply, this.logger);
    }
    return true;
  }

  /** The caller when its token is valid and its role admitted; undefined for anyone the guard must answer. */
  private admittedCaller(request: HttpRequest): Principal | undefined {
    try {
      const principal = this.authenticator.authenticate(request);
      return principal?.roles.some((role) => this.roles.includes(role)) ? principal : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The course id of a body that is exactly `{ "courseId": "<uuid>" }`; undefined for any other. */
function courseIdOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const fields = Object.keys(body);
  if (fields.length !== 1 || fields[0] !== 'courseId') return undefined;
  const courseId = (body as { courseId: unknown }).courseId;
  return typeof courseId === 'string' && isUUID(courseId) ? courseId : undefined;
}
