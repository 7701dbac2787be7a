import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QRCode from 'qrcode';
import { DataSource, type EntityManager, ILike, IsNull } from 'typeorm';
import {
  AccessTokenService,
  APP_CONFIG,
  type AppConfig,
  CommonError,
  IdCardCipher,
  type ProtectedIdCard,
  parseResidentId,
  type Principal,
  RateLimiter,
  Role,
  sqlState,
  TokenRevocations,
  type TransactionContext,
  TransactionRunner,
  violatedConstraint,
} from '@app/platform';
import type { StaffRole } from './dto/identity.dto';
import { IdentityError, IdentityErrorCode } from './identity.errors';
import { classifyPeopleQuery, groupCardNumber, maskPhone, newCardNumber, type PeopleQuery } from './service-card';
import { UserEntity } from './user.entity';
import { toUserView, type UserView, UsersService } from './users.service';
import { tooYoungFor } from './adult-roles';
import { AccountRemovals } from './account-removals';
import { VolunteerEndings } from './volunteer-endings';

/** An administrator's correction of someone's ID number, as the record lists it: masked numbers, the birth dates they give, why, by whom. */
export interface IdCardCorrectionView {
  at: string;
  previousMasked: string | null;
  previousBirthDate: string | null;
  masked: string;
  birthDate: string;
  reason: string;
  correctedBy: { name: string };
}

/** A person as staff see them in a search: never a full phone or ID number. */
export interface PersonView {
  id: string;
  name: string;
  phoneMasked: string | null;
  idCardNumberMasked: string | null;
  birthDate: string | null;
  cardNumber: string | null;
  roles: Role[];
}

/** A staff account as the bureau's list shows it: the phone masked. */
export interface StaffView {
  id: string;
  name: string;
  phoneMasked: string | null;
  roles: Role[];
  facilityIds: string[];
  createdAt: string;
}

/** A removed account as the bureau's list shows it: masked, with when it was removed and whether its phone is now another account's. */
export interface RemovedAccountView extends PersonView {
  removedAt: string;
  /** Who removed it (an administrator, or the person); null for a removal made before this was kept. */
  removedBy: { name: string } | null;
  /** The person closed it themself (注销). */
  closedByThemself: boolean;
  phoneTaken: boolean;
}

export interface CounterRegistration {
  name: string;
  idCardNumber: string;
  phone?: string;
  emergencyContact?: { name: string; relation: string; phone: string };
}

const RESET_CODE_HOURS = 24;
const RESET_FAILURES_PER_PHONE = 5;
const RESET_FAILURES_PER_ADDRESS = 50;
/** Staff accounts are never reset at a counter: their passwords are the administrator's business. */
export const STAFF_ROLES: Role[] = [Role.ADMIN, Role.MANAGER, Role.COUNTER];

/** What a person's view is read from: an account's row, or a removed one's as the list reads it. */
type PersonColumns = Pick<UserEntity, 'id' | 'name' | 'phone' | 'idCardMasked' | 'birthDate' | 'cardNumber' | 'roles'>;

export function toPersonView(user: PersonColumns): PersonView {
  return {
    id: user.id,
    name: user.name,
    phoneMasked: maskPhone(user.phone?.trim() ?? null),
    idCardNumberMasked: user.idCardMasked,
    birthDate: user.birthDate,
    cardNumber: user.cardNumber,
    roles: user.roles,
  };
}

/** A removed account's row as the list shows it, `u`; `phoneTaken` when a living account has its phone now (`uq_users_phone_live` finds it). */
const REMOVED_SELECT = `SELECT u.id, u.name, u.phone, u.id_card_masked AS "idCardMasked", u.birth_date::text AS "birthDate", u.card_number AS "cardNumber",
    u.roles, u.removed_at AS "removedAt", b.name AS "removedBy", u.removed_by IS NOT DISTINCT FROM u.id AS "closedByThemself",
    EXISTS (SELECT 1 FROM users o WHERE o.phone = u.phone AND o.removed_at IS NULL) AS "phoneTaken"
  FROM users u LEFT JOIN users b ON b.id = u.removed_by`;

interface RemovedRow extends PersonColumns {
  removedAt: Date;
  removedBy: string | null;
  closedByThemself: boolean;
  phoneTaken: boolean;
}

function toRemovedView(row: RemovedRow): RemovedAccountView {
  return {
    ...toPersonView(row),
    removedAt: new Date(row.removedAt).toISOString(),
    removedBy: row.removedBy === null ? null : { name: row.removedBy },
    closedByThemself: row.closedByThemself,
    phoneTaken: row.phoneTaken,
  };
}

function isStaff(roles: Role[]): boolean {
  return roles.some((role) => STAFF_ROLES.includes(role));
}

/** A number given for an account that has another on file. */
function idCardMismatch(): IdentityError {
  return new IdentityError('validation', IdentityErrorCode.INVALID_ID_CARD_NUMBER, 'The ID-card number given is not the one on file for this person.', [
    { field: 'idCardNumber', message: 'is not the one on file for this person' },
  ]);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The service counter's work: finding people by what they carry (phone, ID card, service card,
 * name), registering a senior from the ID card alone, the printable service card, and password
 * reset with a one-time code handed over after the ID check.
 */
@Injectable()
export class PeopleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly users: UsersService,
    private readonly cipher: IdCardCipher,
    private readonly limiter: RateLimiter,
    private readonly revocations: TokenRevocations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly volunteerEndings: VolunteerEndings,
    private readonly tokens: AccessTokenService,
    private readonly accountRemovals: AccountRemovals,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(UserEntity);
  }

  async search(q: string): Promise<PersonView[]> {
    const query = classifyPeopleQuery(q);
    const live = { removedAt: IsNull() };
    switch (query.kind) {
      case 'none':
        return [];
      case 'phone':
        return (await this.repository.findBy({ ...live, phone: query.value })).map(toPersonView);
      case 'idCard':
        return (await this.repository.findBy({ ...live, idCardHash: this.cipher.hash(query.value) })).map(toPersonView);
      case 'card':
        return (await this.repository.findBy({ ...live, cardNumber: query.value })).map(toPersonView);
      case 'name':
        return (
          await this.repository.find({ where: { ...live, name: ILike(`%${escapeLike(query.value)}%`) }, order: { name: 'ASC', createdAt: 'ASC' }, take: 20 })
        ).map(toPersonView);
    }
  }

  /**
   * Whether `q` is the ID number or service card number of a removed account: the person is at
   * the counter, and their account is to be restored, not registered anew (the number is still
   * theirs). A phone or a name says nothing: either may belong to someone else now.
   */
  async isRemovedAccountNumber(q: string): Promise<boolean> {
    const query = classifyPeopleQuery(q);
    if (query.kind !== 'idCard' && query.kind !== 'card') return false;
    const [column, value] = query.kind === 'idCard' ? ['id_card_hash', this.cipher.hash(query.value)] : ['card_number', query.value];
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM users WHERE ${column} = $1 AND removed_at IS NOT NULL`, [value]);
    return rows.length > 0;
  }

  /** Staff accounts not removed, by name: every staff role, or the one asked for (the roles' GIN index finds them). */
  async staff(role: StaffRole | undefined, limit: number, offset: number): Promise<{ items: StaffView[]; total: number }> {
    const roles = role ? [role] : [...STAFF_ROLES];
    const [rows, counted] = await Promise.all([
      this.dataSource.query<{ id: string; name: string; phone: string | null; roles: Role[]; facilityIds: string[]; createdAt: Date }[]>(
        `SELECT id, name, phone, roles, facility_ids AS "facilityIds", created_at AS "createdAt"
           FROM users WHERE removed_at IS NULL AND roles && $1::text[]
          ORDER BY name, id LIMIT $2 OFFSET $3`,
        [roles, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM users WHERE removed_at IS NULL AND roles && $1::text[]`, [roles]),
    ]);
    const items = rows.map((row) => ({
      id: row.id,
      name: row.name,
      phoneMasked: maskPhone(row.phone),
      roles: row.roles,
      facilityIds: row.facilityIds,
      createdAt: new Date(row.createdAt).toISOString(),
    }));
    return { items, total: counted[0]?.total ?? 0 };
  }

  async senior(id: string): Promise<PersonView> {
    const user = await this.repository.findOneBy({ id, removedAt: IsNull() });
    if (!user || !user.roles.includes(Role.SENIOR)) throw CommonError.notFound('senior');
    return toPersonView(user);
  }

  /**
   * Anyone the counter serves, once found: any account that is not a staff account (a senior, a
   * relative, a volunteer), with the ID and phone numbers masked.
   */
  async person(id: string): Promise<PersonView> {
    return toPersonView(await this.servedAtCounter(id, true));
  }

  /**
   * Enrols a person found at the counter as a volunteer, once the ID card is checked: the role is
   * added, the act recorded for them in the same transaction, and their tokens end (a token
   * carries its roles, so the next sign-in shows the volunteer's pages). A volunteer signs in to
   * log services, so a person without a phone is refused first. Already a volunteer: nothing
   * changes and the same answer comes back.
   *
   * `POST /seniors/:id/volunteer` serves seniors only; `POST /people/:id/volunteer` (`anyone`)
   * anyone not staff, such as a relative banking time for a parent. An account with no ID number
   * on file (a relative's is optional) is given the one read from the card (`idCardNumber`) in
   * the same transaction, so every volunteer's identity is on file; one on file must match when
   * given. A volunteer is an adult: the services are given alone in seniors' homes.
   */
  async enrolVolunteer(actor: Principal, id: string, options: { anyone?: boolean; idCardNumber?: string } = {}): Promise<PersonView> {
    const person = await this.servedAtCounter(id, options.anyone === true);
    if (person.roles.includes(Role.VOLUNTEER)) return toPersonView(person);
    if (!person.phone) {
      throw new IdentityError('unprocessable', IdentityErrorCode.PHONE_REQUIRED, 'A volunteer signs in with a phone number, and this person has none.');
    }
    const idCard = this.idCardForVolunteer(person, options.idCardNumber);
    if (tooYoungFor([Role.VOLUNTEER], idCard.birthDate)) throw IdentityError.notAdult('A volunteer must be 18 or over.');
    let version: number | null;
    try {
      version = await this.switchVolunteer(id, true, async (manager) => {
        const stored = idCard.protected;
        if (stored) {
          // Only onto an account that still has none, or the same one: never over another number.
          const [, changed] = await manager.query<[unknown, number]>(
            `UPDATE users SET id_card_ciphertext = $2, id_card_hash = $3, id_card_masked = $4, birth_date = $5
              WHERE id = $1 AND (id_card_hash IS NULL OR id_card_hash = $3)`,
            [id, stored.ciphertext, stored.hash, stored.masked, idCard.birthDate],
          );
          if (changed !== 1) throw idCardMismatch();
        }
        await this.recordVolunteerAct(manager, actor, id, true, options.anyone === true);
      });
    } catch (error) {
      if (violatedConstraint(error) === 'uq_users_id_card_hash') throw IdentityError.alreadyRegistered();
      if (violatedConstraint(error) === 'ck_users_adult_roles') throw IdentityError.minorForRoles();
      throw error;
    }
    if (version !== null) await this.revocations.revokeBefore(id, version);
    return this.person(id);
  }

  /**
   * Ends a person's time as a volunteer at the counter, as they ask: the role goes, what they had
   * taken on goes back (`VolunteerEndings`: their claimed requests, their seniors told), and the
   * act is recorded for them, all in one transaction; their tokens end. Their minutes and the
   * services they logged stay theirs. Not a volunteer: nothing changes and the same answer comes
   * back. `anyone` as for enrolling; an account that is only a volunteer's keeps its role (409
   * `LAST_ROLE`), as when they stop themselves.
   */
  async endVolunteer(actor: Principal, id: string, options: { anyone?: boolean } = {}): Promise<PersonView> {
    const person = await this.servedAtCounter(id, options.anyone === true);
    if (!person.roles.includes(Role.VOLUNTEER)) return toPersonView(person);
    const version = await this.switchVolunteer(id, false, (manager) => this.recordVolunteerAct(manager, actor, id, false, options.anyone === true));
    if (version !== null) await this.revocations.revokeBefore(id, version);
    const after = await this.person(id);
    if (version === null && after.roles.includes(Role.VOLUNTEER)) throw IdentityError.lastRole();
    return after;
  }

  /**
   * An administrator corrects the ID number on file (mistyped at a counter, or read wrongly from
   * the card), with a reason, for anyone not staff. In one transaction, under the row's lock: the
   * encrypted number, its hash, mask and birth date change, the correction is kept (masked, with
   * both birth dates, append-only), and it enters the acts done for the person, so she sees it
   * too. The number already on file: nothing changes, nothing is recorded. A senior or a
   * volunteer stays an adult by the new number (422 `NOT_ELIGIBLE`); another account's number is
   * refused by the unique hash (409 `ALREADY_REGISTERED`). Tokens carry no ID number, so sessions
   * go on.
   */
  async correctIdCard(actor: Principal, id: string, input: { idCardNumber: string; reason: string }): Promise<PersonView> {
    const parsed = parseResidentId(input.idCardNumber);
    if (typeof parsed === 'string') throw IdentityError.invalidIdCard(parsed);
    const stored = this.cipher.protect(parsed.normalized);
    try {
      await this.transactions.run(async (manager) => {
        const [person] = await manager.query<{ roles: Role[]; hash: string | null; masked: string | null; birthDate: string | null }[]>(
          `SELECT roles, id_card_hash AS hash, id_card_masked AS masked, birth_date::text AS "birthDate"
             FROM users WHERE id = $1 AND removed_at IS NULL FOR UPDATE`,
          [id],
        );
        if (!person || isStaff(person.roles)) throw CommonError.notFound('person');
        if (person.hash === stored.hash) return;
        if (tooYoungFor(person.roles, parsed.birthDate)) throw IdentityError.minorForRoles();
        await manager.query(
          `UPDATE users SET id_card_ciphertext = $2, id_card_hash = $3, id_card_masked = $4, birth_date = $5, updated_at = now() WHERE id = $1`,
          [id, stored.ciphertext, stored.hash, stored.masked, parsed.birthDate],
        );
        const actorId = actor.actedBy?.id ?? actor.id;
        const [correction] = await manager.query<{ id: string }[]>(
          `INSERT INTO id_card_corrections (user_id, corrected_by, previous_masked, previous_birth_date, masked, birth_date, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [id, actorId, person.masked, person.masked === null ? null : person.birthDate, stored.masked, parsed.birthDate, input.reason.trim()],
        );
        await this.users.recordActedFor({ seniorId: id, actorId, as: 'ADMIN', action: 'PUT /people/:id/id-card', subjectId: correction.id }, manager);
      });
    } catch (error) {
      if (violatedConstraint(error) === 'uq_users_id_card_hash') throw IdentityError.alreadyRegistered();
      if (violatedConstraint(error) === 'ck_users_adult_roles') throw IdentityError.minorForRoles();
      throw error;
    }
    return this.person(id);
  }

  /** The corrections of someone's ID number, newest first (administrators only). */
  async idCardCorrections(id: string): Promise<IdCardCorrectionView[]> {
    await this.person(id);
    const rows = await this.dataSource.query<
      { at: Date; previousMasked: string | null; previousBirthDate: string | null; masked: string; birthDate: string; reason: string; by: string }[]
    >(
      `SELECT c.at, c.previous_masked AS "previousMasked", c.previous_birth_date::text AS "previousBirthDate", c.masked,
              c.birth_date::text AS "birthDate", c.reason, a.name AS by
         FROM id_card_corrections c JOIN users a ON a.id = c.corrected_by
        WHERE c.user_id = $1 ORDER BY c.at DESC, c.id`,
      [id],
    );
    return rows.map((row) => ({
      at: new Date(row.at).toISOString(),
      previousMasked: row.previousMasked,
      previousBirthDate: row.previousBirthDate,
      masked: row.masked,
      birthDate: row.birthDate,
      reason: row.reason,
      correctedBy: { name: row.by },
    }));
  }

  /** The person a counter's act is for: a senior (or, with `anyone`, anyone) who is not staff and not removed. */
  private async servedAtCounter(id: string, anyone: boolean): Promise<UserEntity> {
    const user = await this.repository.findOneBy({ id, removedAt: IsNull() });
    const served = user && !isStaff(user.roles) && (anyone || user.roles.includes(Role.SENIOR));
    if (!user || !served) throw CommonError.notFound(anyone ? 'person' : 'senior');
    return user;
  }

  /**
   * The ID number a new volunteer's account is to have: the one on file (a number given must be
   * it), or the one given now, protected for storing. Refused with a field error when neither.
   */
  private idCardForVolunteer(person: UserEntity, given: string | undefined): { birthDate: string | null; protected: ProtectedIdCard | null } {
    const parsed = given === undefined ? undefined : parseResidentId(given);
    if (typeof parsed === 'string') throw IdentityError.invalidIdCard(parsed);
    if (person.idCardHash) {
      if (parsed && this.cipher.hash(parsed.normalized) !== person.idCardHash) throw idCardMismatch();
      return { birthDate: person.birthDate, protected: null };
    }
    if (!parsed) {
      throw CommonError.validation('This person has no ID number on file: give the one on the ID card.', [
        { field: 'idCardNumber', message: 'is required: this person has no ID number on file' },
      ]);
    }
    return { birthDate: parsed.birthDate, protected: this.cipher.protect(parsed.normalized) };
  }

  private recordVolunteerAct(manager: EntityManager, actor: Principal, id: string, enrol: boolean, anyone: boolean): Promise<void> {
    return this.users.recordActedFor(
      {
        seniorId: id,
        actorId: actor.actedBy?.id ?? actor.id,
        as: actor.roles.includes(Role.COUNTER) ? 'COUNTER' : 'ADMIN',
        action: `${enrol ? 'POST' : 'DELETE'} /${anyone ? 'people' : 'seniors'}/:id/volunteer`,
        subjectId: null,
      },
      manager,
    );
  }

  /**
   * A volunteer stops volunteering on their own phone: as at the counter, the role goes and what
   * they took on goes back in one transaction, and their other sessions end; the answer carries a
   * fresh token for this one, so the page stays signed in with the new roles. An account that is
   * only a volunteer's keeps its role (409 `LAST_ROLE`): with no role it could do nothing, so an
   * administrator closes it instead. No longer a volunteer (stopped meanwhile): nothing changes.
   */
  async stopVolunteering(userId: string): Promise<{ user: UserView; accessToken: string; expiresInSeconds: number }> {
    const version = await this.switchVolunteer(userId, false, null);
    const user = await this.users.findActiveEntity(userId);
    if (!user) throw CommonError.notFound('user');
    if (version === null && user.roles.includes(Role.VOLUNTEER)) throw IdentityError.lastRole();
    if (version !== null) await this.revocations.revokeBefore(userId, version);
    return { user: toUserView(user), ...this.freshSession(user) };
  }

  /**
   * Adds or takes away `VOLUNTEER` in one transaction with what follows: on taking it away, what
   * they took on goes back (`VolunteerEndings`); then `record`, when given. The update's own
   * condition makes two at once change it once (the other finds it done, and that act is the one
   * recorded), and never leaves an account with no role. The new token version, or null when
   * nothing changed.
   */
  private switchVolunteer(id: string, enrol: boolean, record: ((manager: EntityManager) => Promise<unknown>) | null): Promise<number | null> {
    return this.transactions.run(async (manager) => {
      const [rows] = await manager.query<[{ tokenVersion: number }[], number]>(
        enrol
          ? `UPDATE users SET roles = array_append(roles, 'VOLUNTEER'), token_version = token_version + 1, updated_at = now()
              WHERE id = $1 AND removed_at IS NULL AND NOT ('VOLUNTEER' = ANY (roles)) RETURNING token_version AS "tokenVersion"`
          : `UPDATE users SET roles = array_remove(roles, 'VOLUNTEER'), token_version = token_version + 1, updated_at = now()
              WHERE id = $1 AND removed_at IS NULL AND 'VOLUNTEER' = ANY (roles) AND cardinality(roles) > 1
              RETURNING token_version AS "tokenVersion"`,
        [id],
      );
      const row = rows[0];
      if (!row) return null;
      if (!enrol) await this.volunteerEndings.ended(manager, id);
      if (record) await record(manager);
      return row.tokenVersion;
    });
  }

  /** A senior registered at a counter from the ID card: no password, a service card number. */
  async registerSenior(input: CounterRegistration): Promise<{ user: UserView; cardNumber: string }> {
    const parsed = parseResidentId(input.idCardNumber);
    if (typeof parsed === 'string') throw IdentityError.invalidIdCard(parsed);
    if (tooYoungFor([Role.SENIOR], parsed.birthDate)) {
      throw IdentityError.notAdult('This ID number belongs to a minor; only adults are registered as seniors.');
    }
    for (let attempt = 0; ; attempt += 1) {
      const cardNumber = newCardNumber();
      try {
        const user = await this.users.create(
          { name: input.name, phone: input.phone, idCardNumber: parsed.normalized, roles: [Role.SENIOR] },
          { cardNumber, emergencyContact: input.emergencyContact ? { ...input.emergencyContact, name: input.emergencyContact.name.trim() } : null },
        );
        return { user, cardNumber };
      } catch (error) {
        // A card number drawn twice (one in a hundred million) is drawn again; any other clash is the person's.
        if (!(error instanceof IdentityError) || attempt >= 3 || !(await this.cardNumberTaken(cardNumber))) throw error;
      }
    }
  }

  private async cardNumberTaken(cardNumber: string): Promise<boolean> {
    return this.repository.existsBy({ cardNumber });
  }

  /** The senior's service card number, given one now if they registered online. */
  private async cardOf(seniorId: string): Promise<UserEntity> {
    const user = await this.repository.findOneBy({ id: seniorId, removedAt: IsNull() });
    if (!user || !user.roles.includes(Role.SENIOR)) throw CommonError.notFound('senior');
    for (let attempt = 0; !user.cardNumber; attempt += 1) {
      const cardNumber = newCardNumber();
      try {
        const result = await this.repository.update({ id: seniorId, cardNumber: IsNull() }, { cardNumber });
        if (result.affected === 1) user.cardNumber = cardNumber;
        else user.cardNumber = (await this.repository.findOneByOrFail({ id: seniorId })).cardNumber;
      } catch (error) {
        if (violatedConstraint(error) !== 'uq_users_card_number' || attempt >= 3) throw error;
      }
    }
    return user;
  }

  /** A printable service card (A7-sized, name, masked ID number, card number and its QR code). */
  async cardHtml(seniorId: string): Promise<string> {
    const user = await this.cardOf(seniorId);
    const cardNumber = user.cardNumber ?? '';
    const qr = await QRCode.toString(cardNumber, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    const qrSvg = qr.replace('<svg ', '<svg role="img" aria-label="服务卡号二维码" width="120" height="120" ');
    return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>养老服务卡 - ${escapeHtml(user.name)}</title>
<style>
  body { font-family: "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #0b0c0c; background: #fff; margin: 24px; font-size: 18px; line-height: 1.5; }
  main.card { width: 86mm; min-height: 54mm; border: 2px solid #0b0c0c; border-radius: 8px; padding: 12px 16px; display: flex; gap: 16px; align-items: center; box-sizing: border-box; }
  h1 { font-size: 24px; margin: 0 0 4px; }
  p { margin: 0 0 4px; }
  .number { font-size: 24px; font-weight: 700; letter-spacing: 0.08em; font-variant-numeric: tabular-nums; }
  .label { font-size: 16px; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<main class="card">
  <div>
    <h1>养老服务卡</h1>
    <p class="label">姓名</p><p>${escapeHtml(user.name)}</p>
    <p class="label">身份证号</p><p>${escapeHtml(user.idCardMasked ?? '')}</p>
    <p class="label">卡号</p><p class="number">${groupCardNumber(cardNumber)}</p>
  </div>
  ${qrSvg}
</main>
</body>
</html>`;
  }

  /** A one-time code (8 digits, 24 h) that lets the person choose a new password; earlier codes stop working. */
  async issueResetCode(
    actor: Principal,
    userId: string,
    options: { staff?: boolean; person?: boolean } = {},
  ): Promise<{ oneTimeCode: string; expiresAt: string }> {
    const user = await this.repository.findOneBy({ id: userId, removedAt: IsNull() });
    const missing = options.staff ? 'user' : options.person ? 'person' : 'senior';
    // Staff accounts only through the administrators' route; nobody makes a code for themself.
    if (!user || user.id === actor.id) throw CommonError.notFound(missing);
    if (!options.staff && isStaff(user.roles)) throw CommonError.notFound(missing);
    if (!user.phone) {
      throw new IdentityError(
        'unprocessable',
        IdentityErrorCode.PHONE_REQUIRED,
        'This person has no phone number to sign in with, so a password cannot be set.',
      );
    }
    const oneTimeCode = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const expiresAt = new Date(Date.now() + RESET_CODE_HOURS * 3600_000);
    await this.transactions.run(async (manager) => {
      await manager.query(`UPDATE password_reset_codes SET withdrawn_at = now() WHERE user_id = $1 AND used_at IS NULL AND withdrawn_at IS NULL`, [user.id]);
      await manager.query(`INSERT INTO password_reset_codes (user_id, code_hash, issued_by, expires_at) VALUES ($1, $2, $3, $4)`, [
        user.id,
        this.codeHash(user.id, oneTimeCode),
        actor.actedBy?.id ?? actor.id,
        expiresAt,
      ]);
    });
    return { oneTimeCode, expiresAt: expiresAt.toISOString() };
  }

  private codeHash(userId: string, code: string): string {
    return createHmac('sha256', this.config.idHashKey).update(`password-reset:${userId}:${code}`).digest('hex');
  }

  /** Sets a new password with a one-time code; every token issued before stops working. */
  async resetPassword(input: { phone: string; oneTimeCode: string; newPassword: string }, address: string): Promise<void> {
    const phoneBucket = `reset:phone:${input.phone}`;
    const addressBucket = `reset:addr:${address}`;
    const [byPhone, byAddress] = await Promise.all([
      this.limiter.peek(phoneBucket, RESET_FAILURES_PER_PHONE),
      this.limiter.peek(addressBucket, RESET_FAILURES_PER_ADDRESS),
    ]);
    if (!byPhone.allowed || !byAddress.allowed) {
      throw CommonError.rateLimited(Math.max(byPhone.allowed ? 0 : byPhone.retryAfterSeconds, byAddress.allowed ? 0 : byAddress.retryAfterSeconds));
    }
    const user = await this.users.findByPhone(input.phone);
    const passwordHash = await this.users.hashPassword(input.newPassword);
    const version = user
      ? await this.transactions.run(async (manager): Promise<number | null> => {
          const codes = await manager.query<{ id: string; codeHash: string }[]>(
            `SELECT id, code_hash AS "codeHash" FROM password_reset_codes
              WHERE user_id = $1 AND used_at IS NULL AND withdrawn_at IS NULL AND expires_at > now() FOR UPDATE`,
            [user.id],
          );
          const expected = Buffer.from(this.codeHash(user.id, input.oneTimeCode));
          const code = codes.find((row) => timingSafeEqual(Buffer.from(row.codeHash), expected));
          if (!code) return null;
          await manager.query(`UPDATE password_reset_codes SET used_at = now() WHERE id = $1`, [code.id]);
          const [updated] = await manager.query<[{ tokenVersion: number }[], number]>(
            `UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() WHERE id = $1 RETURNING token_version AS "tokenVersion"`,
            [user.id, passwordHash],
          );
          return updated[0].tokenVersion;
        })
      : null;
    if (!user || version === null) {
      const window = this.config.loginWindowSeconds;
      await Promise.all([this.limiter.hit(phoneBucket, RESET_FAILURES_PER_PHONE, window), this.limiter.hit(addressBucket, RESET_FAILURES_PER_ADDRESS, window)]);
      throw IdentityError.invalidOneTimeCode();
    }
    await this.revocations.revokeBefore(user.id, version);
    await Promise.all([this.limiter.reset(phoneBucket), this.limiter.reset(`login:phone:${input.phone}`)]);
  }

  /**
   * An administrator changes someone's roles; their tokens stop working. Taking away `VOLUNTEER`
   * ends what the volunteer had taken on (`VolunteerEndings`: their claimed requests go back, and
   * their seniors are told) in the same transaction. Changing their own, the administrator gets a
   * fresh token with the new roles (`session`), as a password change gives one, so the page they
   * changed them on stays signed in.
   */
  async setRoles(
    actor: Principal,
    userId: string,
    roles: Role[],
    facilityIds: string[] = [],
  ): Promise<{ user: UserView; session: { accessToken: string; expiresInSeconds: number } | null }> {
    const unique = [...new Set(roles)];
    // Another administrator must: one alone could otherwise leave the district without any.
    if (userId === actor.id && !unique.includes(Role.ADMIN))
      throw CommonError.validation('You cannot take away your own administrator role.', [{ field: 'roles', message: 'must keep ADMIN for yourself' }]);
    const user = await this.repository.findOneBy({ id: userId, removedAt: IsNull() });
    if (!user) throw CommonError.notFound('user');
    if (tooYoungFor(unique, user.birthDate)) throw IdentityError.minorForRoles();
    try {
      const version = await this.transactions.run(async (manager) => {
        // The roles as they were, read under the row's lock, so two changes at once are told apart.
        const [rows] = await manager.query<[{ tokenVersion: number; wasVolunteer: boolean }[], number]>(
          `UPDATE users u SET roles = $2, facility_ids = $3, token_version = u.token_version + 1, updated_at = now()
             FROM (SELECT id, 'VOLUNTEER' = ANY (roles) AS was_volunteer FROM users WHERE id = $1 AND removed_at IS NULL FOR UPDATE) old
            WHERE u.id = old.id RETURNING u.token_version AS "tokenVersion", old.was_volunteer AS "wasVolunteer"`,
          [userId, unique, unique.includes(Role.MANAGER) ? [...new Set(facilityIds)] : []],
        );
        const row = rows[0];
        if (!row) throw CommonError.notFound('user');
        if (row.wasVolunteer && !unique.includes(Role.VOLUNTEER)) await this.volunteerEndings.ended(manager, userId);
        return row.tokenVersion;
      });
      await this.revocations.revokeBefore(userId, version);
    } catch (error) {
      // A birth date corrected meanwhile to a minor's: the database's own rule refuses the new role.
      if (violatedConstraint(error) === 'ck_users_adult_roles') throw IdentityError.minorForRoles();
      if (sqlState(error) === '23514') {
        throw CommonError.validation('These roles do not fit this person (a senior needs an ID number; staff need a phone).', [
          { field: 'roles', message: 'not allowed for this person' },
        ]);
      }
      throw error;
    }
    const changed = await this.repository.findOneByOrFail({ id: userId });
    return { user: toUserView(changed), session: userId === actor.id ? this.freshSession(changed) : null };
  }

  /**
   * Removed accounts, the latest removed first; with `q`, those found by it as a search finds the
   * living (a phone, an ID number, a card number or part of a name).
   */
  async removedAccounts(q: string | undefined, limit: number, offset: number): Promise<{ items: RemovedAccountView[]; total: number }> {
    const query = q === undefined ? undefined : classifyPeopleQuery(q);
    if (query?.kind === 'none') return { items: [], total: 0 };
    const [filter, value] = this.removedFilter(query);
    const [rows, counted] = await Promise.all([
      this.dataSource.query<RemovedRow[]>(
        `${REMOVED_SELECT} WHERE u.removed_at IS NOT NULL AND ${filter} ORDER BY u.removed_at DESC, u.id LIMIT $2 OFFSET $3`,
        [value, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM users u WHERE u.removed_at IS NOT NULL AND ${filter}`, [value]),
    ]);
    return { items: rows.map(toRemovedView), total: counted[0]?.total ?? 0 };
  }

  /** The condition on `u` (and its one parameter, `$1`) that finds the removed accounts a search asks for: all of them without one. */
  private removedFilter(query: PeopleQuery | undefined): [string, string | null] {
    switch (query?.kind) {
      case undefined:
        return ['$1::text IS NULL', null];
      case 'none':
        return ['$1::text IS NULL AND FALSE', null];
      case 'phone':
        return ['u.phone = $1', query.value];
      case 'idCard':
        return ['u.id_card_hash = $1', this.cipher.hash(query.value)];
      case 'card':
        return ['u.card_number = $1', query.value];
      case 'name':
        return ["u.name ILIKE '%' || $1 || '%' ESCAPE '\\'", escapeLike(query.value)];
    }
  }

  /** One removed account, as the list shows it; not removed (or no such account) → 404. */
  async removedAccount(id: string): Promise<RemovedAccountView> {
    const [row] = await this.dataSource.query<RemovedRow[]>(`${REMOVED_SELECT} WHERE u.id = $1 AND u.removed_at IS NOT NULL`, [id]);
    if (!row) throw CommonError.notFound('removed account');
    return toRemovedView(row);
  }

  /**
   * An administrator restores a removed account: it signs in again with its password, roles and
   * card as they were, and the family links it was in act again (removal never ended them). Its
   * tokens from before stay refused. Its phone, if another account has taken it since, must be
   * replaced by `phone` (409 `PHONE_TAKEN` otherwise); `phone` given replaces it anyway. Recorded
   * among the acts done for the person unless it is a staff account. Not removed → the account as
   * it is, nothing done (two administrators, or a second press).
   */
  async restore(actor: Principal, id: string, input: { phone?: string }): Promise<PersonView> {
    try {
      return await this.transactions.run(async (manager) => {
        const [rows] = await manager.query<[{ roles: Role[] }[], number]>(
          `UPDATE users SET removed_at = NULL, removed_by = NULL, phone = COALESCE($2, phone), updated_at = now() WHERE id = $1 AND removed_at IS NOT NULL RETURNING roles`,
          [id, input.phone ?? null],
        );
        const user = await manager.getRepository(UserEntity).findOneBy({ id });
        if (!user) throw CommonError.notFound('user');
        const restored = rows[0];
        if (restored && !isStaff(restored.roles)) {
          await this.users.recordActedFor({ seniorId: id, actorId: actor.id, as: 'ADMIN', action: 'POST /users/:id/restore', subjectId: null }, manager);
        }
        return toPersonView(user);
      });
    } catch (error) {
      if (violatedConstraint(error) === 'uq_users_phone_live') throw IdentityError.phoneTaken();
      throw error;
    }
  }

  /** A token for `user` as the row now stands (its roles, facilities and token version). */
  private freshSession(user: UserEntity): { accessToken: string; expiresInSeconds: number } {
    return {
      accessToken: this.tokens.issue({ id: user.id, roles: user.roles, facilityIds: user.facilityIds, tokenVersion: user.tokenVersion }),
      expiresInSeconds: this.tokens.ttlSeconds,
    };
  }

  /**
   * An administrator removes someone: they can no longer sign in and their tokens stop working. A
   * volunteer's claimed requests go back, and what the account had under way in the time bank
   * ends, in the same transaction (`VolunteerEndings`, `AccountRemovals`).
   */
  async remove(actor: Principal, userId: string): Promise<void> {
    if (userId === actor.id) throw CommonError.validation('You cannot remove yourself.', [{ field: 'id', message: 'is you' }]);
    const version = await this.transactions.run(async (manager, tx) => {
      const row = await this.endAccount(manager, tx, userId, actor.id, '', []);
      if (!row) throw CommonError.notFound('user');
      if (!isStaff(row.roles)) {
        await this.users.recordActedFor({ seniorId: userId, actorId: actor.id, as: 'ADMIN', action: 'DELETE /users/:id', subjectId: null }, manager);
      }
      return row.tokenVersion;
    });
    await this.revocations.revokeBefore(userId, version);
  }

  /**
   * The person closes their own account, as an administrator removes one (kept as removed by
   * themself), in one transaction. The `UPDATE` is guarded by the password hash that was checked
   * and by the roles an administrator closes (`closedByAdministrator`): a password changed or such
   * a role given in between closes nothing. Returns the new token version, or null when the
   * password changed (the role, by then, is refused as `CLOSE_AT_COUNTER`).
   */
  async closeOwn(userId: string, passwordHash: string, closedByAdministrator: Role[]): Promise<number | null> {
    return this.transactions.run(async (manager, tx) => {
      const row = await this.endAccount(manager, tx, userId, userId, 'AND password_hash = $3 AND NOT (roles && $4::text[])', [
        passwordHash,
        closedByAdministrator,
      ]);
      if (row) return row.tokenVersion;
      const [now] = await manager.query<{ roles: Role[] }[]>(`SELECT roles FROM users WHERE id = $1 AND removed_at IS NULL`, [userId]);
      if (now?.roles.some((role) => closedByAdministrator.includes(role))) throw IdentityError.closeAtCounter();
      return null;
    });
  }

  /**
   * Removes an account in the caller's transaction (`by`: who removes it), when it is live and
   * `condition` (with `params` from `$3`) holds: its tokens are raised past, and what it had taken
   * on or under way ends (`VolunteerEndings`, `AccountRemovals`). Undefined when nothing matched.
   */
  private async endAccount(
    manager: EntityManager,
    tx: TransactionContext,
    userId: string,
    by: string,
    condition: string,
    params: unknown[],
  ): Promise<{ tokenVersion: number; roles: Role[] } | undefined> {
    const [rows] = await manager.query<[{ tokenVersion: number; roles: Role[] }[], number]>(
      `UPDATE users SET removed_at = now(), removed_by = $2, token_version = token_version + 1, updated_at = now()
        WHERE id = $1 AND removed_at IS NULL ${condition}
        RETURNING token_version AS "tokenVersion", roles`,
      [userId, by, ...params],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.roles.includes(Role.VOLUNTEER)) await this.volunteerEndings.ended(manager, userId);
    await this.accountRemovals.removed(manager, userId, by, tx);
    return row;
  }
}
