import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ActingAs, ActingFor, type ActingForPolicy, CommonError, hasRole, type Principal, Role, sqlState, TransactionRunner } from '@app/platform';
import { IdentityError, IdentityErrorCode } from './identity.errors';
import { maskPhone } from './service-card';
import { UsersService } from './users.service';

export const RELATIONS = ['SPOUSE', 'PARENT', 'CHILD', 'SIBLING', 'GRANDPARENT', 'GRANDCHILD', 'OTHER_FAMILY'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface FamilyLinkView {
  id: string;
  seniorId: string;
  relativeId: string;
  relation: Relation;
  since: string;
  senior: { name: string; cardNumber: string | null };
  relative: { name: string; phoneMasked: string | null };
}

export interface ActedForView {
  at: string;
  action: string;
  subjectId: string | null;
  senior: { id: string; name: string };
  actedBy: { id: string; name: string; as: ActingAs; relation: Relation | null };
}

interface LinkRow {
  id: string;
  seniorId: string;
  relativeId: string;
  relation: Relation;
  since: Date;
  seniorName: string;
  seniorCard: string | null;
  relativeName: string;
  relativePhone: string | null;
}

const LINK_SELECT = `SELECT l.id, l.senior_id AS "seniorId", l.relative_id AS "relativeId", l.relation, l.since,
    s.name AS "seniorName", s.card_number AS "seniorCard", r.name AS "relativeName", r.phone AS "relativePhone"
  FROM family_links l JOIN users s ON s.id = l.senior_id JOIN users r ON r.id = l.relative_id`;

function toLinkView(row: LinkRow): FamilyLinkView {
  return {
    id: row.id,
    seniorId: row.seniorId,
    relativeId: row.relativeId,
    relation: row.relation,
    since: new Date(row.since).toISOString(),
    senior: { name: row.seniorName, cardNumber: row.seniorCard },
    relative: { name: row.relativeName, phoneMasked: maskPhone(row.relativePhone?.trim() ?? null) },
  };
}

/**
 * Family links (亲情账号) and acting for a senior (代办). The platform's guard asks this service,
 * once per request that names a `seniorId`, whether the caller may act for that senior: the
 * senior themself, a relative with a live link, counter staff or an administrator. A link ended
 * is refused on the next request, since nothing is cached.
 */
@Injectable()
export class FamilyLinksService implements ActingForPolicy, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly actingFor: ActingFor,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.actingFor.use(this);
  }

  async resolve(actor: Principal, seniorId: string): Promise<Principal | null> {
    const rows = await this.dataSource.query<{ seniorRoles: Role[]; seniorVersion: number; actorName: string; relation: Relation | null }[]>(
      `SELECT s.roles AS "seniorRoles", s.token_version AS "seniorVersion", a.name AS "actorName",
              (SELECT l.relation FROM family_links l WHERE l.senior_id = s.id AND l.relative_id = a.id AND l.ended_at IS NULL) AS relation
         FROM users s, users a
        WHERE s.id = $1 AND a.id = $2 AND s.removed_at IS NULL AND a.removed_at IS NULL`,
      [seniorId, actor.id],
    );
    const row = rows[0];
    if (!row || !row.seniorRoles.includes(Role.SENIOR)) return null;
    const as: ActingAs | null = hasRole(actor, Role.ADMIN) ? 'ADMIN' : hasRole(actor, Role.COUNTER) ? 'COUNTER' : row.relation ? 'FAMILY' : null;
    if (!as) return null;
    // The senior's own rules apply, as a senior: their other roles (staff, volunteer) are not lent.
    return { id: seniorId, roles: [Role.SENIOR], facilityIds: [], tokenVersion: row.seniorVersion, actedBy: { id: actor.id, name: row.actorName, as } };
  }

  async record(principal: Principal, action: string, subjectId: string | null): Promise<void> {
    if (!principal.actedBy) return;
    await this.users.recordActedFor({ seniorId: principal.id, actorId: principal.actedBy.id, as: principal.actedBy.as, action, subjectId });
  }

  /**
   * A senior links a relative (for themself), or counter staff link one for a senior after
   * checking the ID card. The relative must have an account; they gain the FAMILY role.
   */
  async create(caller: Principal, input: { seniorId?: string; relativePhone: string; relation: Relation }): Promise<FamilyLinkView> {
    const seniorId = input.seniorId?.toLowerCase() ?? caller.id;
    const forSelf = seniorId === caller.id;
    if (forSelf ? !hasRole(caller, Role.SENIOR) : !hasRole(caller, Role.COUNTER, Role.ADMIN)) {
      // Someone who may not link for this senior learns nothing about them.
      if (forSelf) throw CommonError.forbidden('Only a senior links relatives to themself; counter staff link them for a senior.');
      throw CommonError.notFound('senior');
    }
    const [senior] = await this.dataSource.query<{ id: string; roles: Role[] }[]>(`SELECT id, roles FROM users WHERE id = $1 AND removed_at IS NULL`, [
      seniorId,
    ]);
    if (!senior || !senior.roles.includes(Role.SENIOR)) throw CommonError.notFound('senior');
    const [relative] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM users WHERE phone = $1 AND removed_at IS NULL`, [input.relativePhone]);
    if (!relative) {
      throw new IdentityError('unprocessable', IdentityErrorCode.RELATIVE_NOT_REGISTERED, 'No account has this phone number: the relative registers first.', [
        { field: 'relativePhone', message: 'has no account' },
      ]);
    }
    if (relative.id === senior.id) {
      throw new IdentityError('unprocessable', IdentityErrorCode.NOT_ELIGIBLE, 'A senior cannot be linked to themself.', [
        { field: 'relativePhone', message: 'is the senior’s own' },
      ]);
    }
    let id: string;
    try {
      id = await this.transactions.run(async (manager) => {
        const [row] = await manager.query<{ id: string }[]>(
          `INSERT INTO family_links (senior_id, relative_id, relation, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
          [senior.id, relative.id, input.relation, caller.actedBy?.id ?? caller.id],
        );
        await manager.query(`UPDATE users SET roles = array_append(roles, 'FAMILY') WHERE id = $1 AND NOT ('FAMILY' = ANY (roles))`, [relative.id]);
        return row.id;
      });
    } catch (error) {
      if (sqlState(error) === '23505') throw new IdentityError('conflict', IdentityErrorCode.ALREADY_LINKED, 'This relative is already linked to this senior.');
      throw error;
    }
    return (await this.findLive(id)) as FamilyLinkView;
  }

  private async findLive(id: string): Promise<FamilyLinkView | null> {
    const rows = await this.dataSource.query<LinkRow[]>(`${LINK_SELECT} WHERE l.id = $1 AND l.ended_at IS NULL`, [id]);
    return rows[0] ? toLinkView(rows[0]) : null;
  }

  /** The live links where the caller is the senior or the relative. */
  async listFor(caller: Principal): Promise<FamilyLinkView[]> {
    return this.linksOf(caller.id);
  }

  /**
   * The live links where this person is the senior or the relative, oldest first (the counter's
   * view of someone found). A link whose other side is removed is left out: it acts for nobody
   * (`resolve` reads living accounts only) and comes back if that account is restored.
   */
  async linksOf(userId: string): Promise<FamilyLinkView[]> {
    const rows = await this.dataSource.query<LinkRow[]>(
      `${LINK_SELECT} WHERE (l.senior_id = $1 OR l.relative_id = $1) AND l.ended_at IS NULL AND s.removed_at IS NULL AND r.removed_at IS NULL ORDER BY l.since`,
      [userId],
    );
    return rows.map(toLinkView);
  }

  /** Ends a link at once: by the senior, the relative, counter staff or an administrator. */
  async end(caller: Principal, id: string): Promise<{ id: string; endedAt: string }> {
    const staff = hasRole(caller, Role.COUNTER, Role.ADMIN);
    const rows = await this.dataSource.query<[{ id: string; endedAt: Date }[], number]>(
      `UPDATE family_links SET ended_at = now(), ended_by = $2
        WHERE id = $1 AND ended_at IS NULL AND ($3 OR senior_id = $2 OR relative_id = $2)
        RETURNING id, ended_at AS "endedAt"`,
      [id, caller.id, staff],
    );
    const row = rows[0][0];
    if (!row) throw CommonError.notFound('family link');
    return { id: row.id, endedAt: new Date(row.endedAt).toISOString() };
  }

  /** Actions others took for a senior (the senior's history), or for everyone (the administrator's view). */
  async actedFor(options: { seniorId?: string; limit: number; offset: number }): Promise<{ items: ActedForView[]; total: number }> {
    const where = options.seniorId ? 'WHERE x.senior_id = $3' : '';
    const parameters: unknown[] = [options.limit, options.offset, ...(options.seniorId ? [options.seniorId] : [])];
    interface ActedForRow {
      at: Date;
      action: string;
      subjectId: string | null;
      seniorId: string;
      seniorName: string;
      actorId: string;
      actorName: string;
      as: ActingAs;
      relation: Relation | null;
      total: number;
    }
    const rows = await this.dataSource.query<ActedForRow[]>(
      `SELECT x.at, x.action, x.subject_id AS "subjectId", x.senior_id AS "seniorId", s.name AS "seniorName",
              x.actor_id AS "actorId", a.name AS "actorName", x.acting_as AS "as",
              (SELECT l.relation FROM family_links l WHERE l.senior_id = x.senior_id AND l.relative_id = x.actor_id ORDER BY l.since DESC LIMIT 1) AS relation,
              count(*) OVER ()::int AS total
         FROM acted_for_actions x JOIN users s ON s.id = x.senior_id JOIN users a ON a.id = x.actor_id
         ${where}
        ORDER BY x.at DESC, x.id LIMIT $1 OFFSET $2`,
      parameters,
    );
    return {
      total: rows[0]?.total ?? 0,
      items: rows.map((row) => ({
        at: new Date(row.at).toISOString(),
        action: row.action,
        subjectId: row.subjectId,
        senior: { id: row.seniorId, name: row.seniorName },
        actedBy: { id: row.actorId, name: row.actorName, as: row.as, relation: row.as === 'FAMILY' ? row.relation : null },
      })),
    };
  }
}
