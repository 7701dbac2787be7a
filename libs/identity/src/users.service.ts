import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { DataSource, type EntityManager, In, IsNull, Not } from 'typeorm';
import { type ActingAs, APP_CONFIG, type AppConfig, IdCardCipher, parseResidentId, Role, sqlState, violatedConstraint } from '@app/platform';
import { tooYoungFor } from './adult-roles';
import { IdentityError, IdentityErrorCode } from './identity.errors';
import { UserEntity } from './user.entity';

/** What other domains may know of a user. */
export interface UserView {
  id: string;
  name: string;
  /** Null for a senior registered at a counter without a phone. */
  phone: string | null;
  roles: Role[];
  facilityIds: string[];
  birthDate: string | null;
  idCardNumberMasked: string | null;
  cardNumber: string | null;
  tokenVersion: number;
}

export interface CreateUserInput {
  name: string;
  /** Absent only for a senior registered at a counter. */
  phone?: string;
  /** Absent for a senior registered at a counter: no sign-in until a password reset. */
  password?: string;
  roles: Role[];
  idCardNumber?: string;
  facilityIds?: string[];
}

/** An action someone took for a senior (family, counter or administrator), for audits. */
export interface ActedForEntry {
  at: string;
  action: string;
  subjectId: string | null;
  senior: { id: string; name: string };
  actedBy: { id: string; name: string; as: string };
}

/** OWASP's recommended argon2id parameters: 19 MiB, 2 passes, 1 lane. */
const HASH_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    name: user.name,
    phone: user.phone?.trim() ?? null,
    roles: user.roles,
    facilityIds: user.facilityIds ?? [],
    birthDate: user.birthDate,
    idCardNumberMasked: user.idCardMasked,
    cardNumber: user.cardNumber,
    tokenVersion: user.tokenVersion ?? 0,
  };
}

/** Users: creation with protected ID numbers, lookup, and password checks. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: IdCardCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  hashPassword(password: string): Promise<string> {
    return argon2Hash(password, HASH_OPTIONS);
  }

  verifyPassword(hash: string, password: string): Promise<boolean> {
    return argon2Verify(hash, password).catch(() => false);
  }

  /**
   * Creates a user. `passwordHash` lets demo data and tests reuse one precomputed hash instead
   * of paying argon2's cost per user; it is never reachable from HTTP.
   */
  async create(
    input: CreateUserInput,
    options: { passwordHash?: string; cardNumber?: string; emergencyContact?: UserEntity['emergencyContact'] } = {},
  ): Promise<UserView> {
    const roles = [...new Set(input.roles)];
    const user = new UserEntity();
    user.name = input.name.trim();
    user.phone = input.phone ?? null;
    user.roles = roles;
    user.facilityIds = roles.includes(Role.MANAGER) ? [...new Set(input.facilityIds ?? [])] : [];
    user.passwordHash = options.passwordHash ?? (input.password === undefined ? null : await this.hashPassword(input.password));
    user.cardNumber = options.cardNumber ?? null;
    user.tokenVersion = 0;
    user.removedAt = null;
    user.removedBy = null;
    user.emergencyContact = options.emergencyContact ?? null;
    user.idCardCiphertext = null;
    user.idCardHash = null;
    user.idCardMasked = null;
    user.birthDate = null;
    if (input.idCardNumber !== undefined) {
      const parsed = parseResidentId(input.idCardNumber);
      if (typeof parsed === 'string') throw IdentityError.invalidIdCard(parsed);
      const protectedId = this.cipher.protect(parsed.normalized);
      user.idCardCiphertext = protectedId.ciphertext;
      user.idCardHash = protectedId.hash;
      user.idCardMasked = protectedId.masked;
      user.birthDate = parsed.birthDate;
      if (tooYoungFor(roles, parsed.birthDate)) throw IdentityError.minorForRoles();
    } else if (roles.includes(Role.SENIOR)) {
      throw new IdentityError('validation', IdentityErrorCode.INVALID_ID_CARD_NUMBER, 'A senior needs an ID-card number.', [
        { field: 'idCardNumber', message: 'is required for seniors' },
      ]);
    }
    const repository = this.dataSource.getRepository(UserEntity);
    try {
      const saved = await repository.save(user);
      return toUserView(saved);
    } catch (error) {
      if (sqlState(error) === '23505') throw IdentityError.alreadyRegistered();
      if (violatedConstraint(error) === 'ck_users_adult_roles') throw IdentityError.minorForRoles();
      throw error;
    }
  }

  async findById(id: string): Promise<UserView | null> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    return user ? toUserView(user) : null;
  }

  /**
   * Each of these users' birth date, and whether the account is removed, in one read (unknown ids
   * are left out): what an allocation of seats needs to know of the people applying.
   */
  async birthDatesOf(ids: string[]): Promise<Map<string, { birthDate: string | null; removed: boolean }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(UserEntity).find({ select: { id: true, birthDate: true, removedAt: true }, where: { id: In(ids) } });
    return new Map(rows.map((row) => [row.id, { birthDate: row.birthDate, removed: row.removedAt !== null }]));
  }

  async findManyByIds(ids: string[]): Promise<UserView[]> {
    if (ids.length === 0) return [];
    const users = await this.dataSource.getRepository(UserEntity).findBy({ id: In(ids) });
    return users.map(toUserView);
  }

  /** The managers of any of `facilityIds` (care centres or homes), not removed. */
  async managersOf(facilityIds: string[]): Promise<string[]> {
    if (facilityIds.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM users WHERE 'MANAGER' = ANY (roles) AND facility_ids && $1::uuid[] AND removed_at IS NULL ORDER BY id`,
      [facilityIds],
    );
    return rows.map((row) => row.id);
  }

  /** The account with its password hash, unless removed. */
  async findActiveEntity(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id, removedAt: IsNull() });
  }

  /**
   * Replaces the password hash `current` with `next` and raises the token version, as one
   * compare-and-set: the new version, or null when the account is gone or its password changed
   * since `current` was read (a reset at the counter in between is not overwritten).
   */
  async replacePassword(id: string, current: string, next: string): Promise<number | null> {
    const [rows] = await this.dataSource.query<[{ tokenVersion: number }[], number]>(
      `UPDATE users SET password_hash = $3, token_version = token_version + 1, updated_at = now()
        WHERE id = $1 AND removed_at IS NULL AND password_hash = $2 RETURNING token_version AS "tokenVersion"`,
      [id, current, next],
    );
    return rows[0]?.tokenVersion ?? null;
  }

  /** The user signing in with this phone; a removed user is no longer found. */
  async findByPhone(phone: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ phone, removedAt: IsNull() });
  }

  async findByIdCardNumber(idCardNumber: string): Promise<UserView | null> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ idCardHash: this.cipher.hash(idCardNumber) });
    return user ? toUserView(user) : null;
  }

  /** A senior, by service card number or ID number (check-ins at a care centre); null when there is none. */
  async findSenior(by: { cardNumber?: string; idCardNumber?: string }): Promise<UserView | null> {
    const repository = this.dataSource.getRepository(UserEntity);
    let user: UserEntity | null = null;
    if (by.cardNumber !== undefined) user = await repository.findOneBy({ removedAt: IsNull(), cardNumber: by.cardNumber });
    else if (by.idCardNumber !== undefined) {
      const parsed = parseResidentId(by.idCardNumber);
      if (typeof parsed !== 'string') user = await repository.findOneBy({ removedAt: IsNull(), idCardHash: this.cipher.hash(parsed.normalized) });
    }
    return user && user.roles.includes(Role.SENIOR) ? toUserView(user) : null;
  }

  /**
   * Records an act done for a senior by someone else (append-only): from a relative's, the
   * counter's or an administrator's successful request, or, inside the decision's transaction
   * (`manager`), staff deciding something for the senior.
   */
  async recordActedFor(
    act: { seniorId: string; actorId: string; as: ActingAs; action: string; subjectId: string | null },
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource).query(`INSERT INTO acted_for_actions (senior_id, actor_id, acting_as, action, subject_id) VALUES ($1, $2, $3, $4, $5)`, [
      act.seniorId,
      act.actorId,
      act.as,
      act.action.slice(0, 120),
      act.subjectId,
    ]);
  }

  /** The latest actions taken for seniors by others on routes under `pathPrefix` (e.g. the time bank's), newest first. */
  async actedForOthers(pathPrefix: string, limit: number): Promise<ActedForEntry[]> {
    const rows = await this.dataSource.query<
      { at: Date; action: string; subjectId: string | null; seniorId: string; seniorName: string; actorId: string; actorName: string; as: string }[]
    >(
      `SELECT x.at, x.action, x.subject_id AS "subjectId", x.senior_id AS "seniorId", s.name AS "seniorName", x.actor_id AS "actorId", a.name AS "actorName", x.acting_as AS "as"
         FROM acted_for_actions x JOIN users s ON s.id = x.senior_id JOIN users a ON a.id = x.actor_id
        WHERE split_part(x.action, ' ', 2) LIKE $1 ESCAPE '\\'
        ORDER BY x.at DESC, x.id LIMIT $2`,
      [`${pathPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit],
    );
    return rows.map((row) => ({
      at: new Date(row.at).toISOString(),
      action: row.action,
      subjectId: row.subjectId,
      senior: { id: row.seniorId, name: row.seniorName },
      actedBy: { id: row.actorId, name: row.actorName, as: row.as },
    }));
  }

  async count(): Promise<number> {
    return this.dataSource.getRepository(UserEntity).count();
  }

  /** How many users there are besides the one with this phone (the configured administrator). */
  async countOtherThanPhone(phone: string): Promise<number> {
    return this.dataSource.getRepository(UserEntity).count({ where: { phone: Not(phone) } });
  }

  /** The configured administrator, created on first start of a database (idempotent). */
  async ensureAdmin(): Promise<UserView> {
    const existing = await this.findByPhone(this.config.adminPhone);
    if (existing) return toUserView(existing);
    return this.create({ name: '区民政局管理员', phone: this.config.adminPhone, password: this.config.adminPassword, roles: [Role.ADMIN] });
  }
}
