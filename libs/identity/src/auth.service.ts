import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenService, APP_CONFIG, type AppConfig, CommonError, parseResidentId, RateLimiter, Role, TokenRevocations } from '@app/platform';
import { tooYoungFor } from './adult-roles';
import { IdentityError } from './identity.errors';
import { PeopleService, STAFF_ROLES } from './people.service';
import type { UserEntity } from './user.entity';
import { toUserView, type UserView, UsersService } from './users.service';

export interface LoginResult {
  accessToken: string;
  expiresInSeconds: number;
  user: UserView;
}

function wrongCurrentPassword(field = 'currentPassword'): Error {
  return CommonError.validation('The current password is not right.', [{ field, message: 'is not right' }]);
}

/** Accounts that only an administrator closes: a senior's (what she has under way, at the counter) and staff's. */
const CLOSED_BY_ADMINISTRATOR: Role[] = [Role.SENIOR, ...STAFF_ROLES];

function ownPasswordBucket(userId: string): string {
  return `password:user:${userId}`;
}

/** Sign-in with brute-force limits, and seniors' self-registration. */
@Injectable()
export class AuthService {
  /** A hash of a random password, checked when the phone is unknown so timing tells nothing. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccessTokenService,
    private readonly limiter: RateLimiter,
    private readonly revocations: TokenRevocations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly people: PeopleService,
  ) {
    this.dummyHash = this.users.hashPassword(randomBytes(16).toString('hex'));
  }

  async login(phone: string, password: string, address: string): Promise<LoginResult> {
    const phoneBucket = `login:phone:${phone}`;
    const addressBucket = `login:addr:${address}`;
    const [byPhone, byAddress] = await Promise.all([
      this.limiter.peek(phoneBucket, this.config.loginFailuresPerPhone),
      this.limiter.peek(addressBucket, this.config.loginFailuresPerAddress),
    ]);
    if (!byPhone.allowed || !byAddress.allowed) {
      throw CommonError.rateLimited(Math.max(byPhone.allowed ? 0 : byPhone.retryAfterSeconds, byAddress.allowed ? 0 : byAddress.retryAfterSeconds));
    }
    const user = /^1[3-9]\d{9}$/.test(phone) ? await this.users.findByPhone(phone) : null;
    const valid = await this.users.verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !valid) {
      const window = this.config.loginWindowSeconds;
      await Promise.all([
        this.limiter.hit(phoneBucket, this.config.loginFailuresPerPhone, window),
        this.limiter.hit(addressBucket, this.config.loginFailuresPerAddress, window),
      ]);
      throw IdentityError.badCredentials();
    }
    await this.limiter.reset(phoneBucket);
    const view = toUserView(user);
    return {
      accessToken: this.tokens.issue({ id: view.id, roles: view.roles, facilityIds: view.facilityIds, tokenVersion: view.tokenVersion }),
      expiresInSeconds: this.tokens.ttlSeconds,
      user: view,
    };
  }

  /**
   * Someone signed in changes their password by giving the current one. Wrong answers count
   * against the account as failed sign-ins do (then 429), so a token left open on a shared
   * computer does not let anyone guess it. Every token issued before stops working within a
   * second (another phone, a counter's computer); the answer carries a fresh one for this page.
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const { user, passwordHash } = await this.checkOwnPassword(userId, await this.users.findActiveEntity(userId), currentPassword, 'currentPassword');
    const version = await this.users.replacePassword(userId, passwordHash, await this.users.hashPassword(newPassword));
    // Changed in the meantime (a reset at the counter): the password given is no longer the current one.
    if (version === null) throw wrongCurrentPassword();
    await this.revocations.revokeBefore(userId, version);
    await this.limiter.reset(ownPasswordBucket(userId));
    return {
      accessToken: this.tokens.issue({ id: user.id, roles: user.roles, facilityIds: user.facilityIds, tokenVersion: version }),
      expiresInSeconds: this.tokens.ttlSeconds,
    };
  }

  /**
   * Someone closes their own account (注销), giving their password as for a change of it: it is
   * removed as an administrator removes one (`PeopleService.closeOwn`), so it can no longer sign
   * in, every token stops working, and an administrator can restore it. A senior's or staff
   * account is closed by an administrator (409 `CLOSE_AT_COUNTER`), before the password is asked.
   */
  async closeOwnAccount(userId: string, password: string): Promise<void> {
    const user = await this.users.findActiveEntity(userId);
    if (user?.roles.some((role) => CLOSED_BY_ADMINISTRATOR.includes(role))) throw IdentityError.closeAtCounter();
    const { passwordHash } = await this.checkOwnPassword(userId, user, password, 'password');
    const version = await this.people.closeOwn(userId, passwordHash, CLOSED_BY_ADMINISTRATOR);
    // Changed in the meantime (a reset at the counter): nothing was closed.
    if (version === null) throw wrongCurrentPassword('password');
    await this.revocations.revokeBefore(userId, version);
    await this.limiter.reset(ownPasswordBucket(userId));
  }

  /**
   * The signed-in person's password, checked against `user` (their live account, as the caller
   * read it): wrong answers count against the account as failed sign-ins
   * do (then 429), so a token left open on a shared computer does not let anyone guess it. A
   * senior registered at a counter has no password yet: theirs comes with a one-time code.
   */
  private async checkOwnPassword(
    userId: string,
    user: UserEntity | null,
    password: string,
    field: string,
  ): Promise<{ user: UserEntity; passwordHash: string }> {
    const bucket = ownPasswordBucket(userId);
    const limit = this.config.loginFailuresPerPhone;
    const before = await this.limiter.peek(bucket, limit);
    if (!before.allowed) throw CommonError.rateLimited(before.retryAfterSeconds);
    const valid = await this.users.verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user?.passwordHash || !valid) {
      await this.limiter.hit(bucket, limit, this.config.loginWindowSeconds);
      throw wrongCurrentPassword(field);
    }
    return { user, passwordHash: user.passwordHash };
  }

  /**
   * A senior signs up; the ID number gives the birth date, so nothing else is asked. A relative
   * (`as: FAMILY`, any age, ID number optional) signs up to act for seniors who link them.
   */
  async register(
    input: { name: string; phone: string; password: string; idCardNumber?: string; as?: 'SENIOR' | 'FAMILY' },
    address: string,
  ): Promise<UserView> {
    const decision = await this.limiter.hit(`register:addr:${address}`, 30, 3600);
    if (!decision.allowed) throw CommonError.rateLimited(decision.retryAfterSeconds);
    if (input.as === 'FAMILY') {
      return this.users.create({ name: input.name, phone: input.phone, password: input.password, idCardNumber: input.idCardNumber, roles: [Role.FAMILY] });
    }
    const parsed = parseResidentId(input.idCardNumber ?? '');
    if (typeof parsed === 'string') throw IdentityError.invalidIdCard(parsed);
    if (tooYoungFor([Role.SENIOR], parsed.birthDate)) throw IdentityError.notAdult('Self-registration is for adults; this ID number belongs to a minor.');
    return this.users.create({ name: input.name, phone: input.phone, password: input.password, idCardNumber: parsed.normalized, roles: [Role.SENIOR] });
  }
}
