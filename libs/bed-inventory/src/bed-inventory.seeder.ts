import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UsersService } from '@app/identity';
import { type DemoSeed, DemoSeeder, IdCardCipher, makeResidentId, Role, TransactionRunner } from '@app/platform';
import type { BedStatus, CareLevel, PriorityReason } from './bed-state';
import type { BedView } from './beds.view';
import { FacilitiesService } from './facilities.service';
import type { NewResident } from './residents.repository';

/** Demo logins (listed in the README, nowhere else): one manager per residential facility. */
const MANAGER_PASSWORD = 'demo-manager-2020';
/**
 * A demo login (README): a resident of the nursing home with a senior account of his own under
 * the same ID number, so his home page, his daughter's "我的家人" (the identity seeder links her)
 * and the counter show where he lives.
 */
const RESIDENT_SENIOR = { name: '张德明', phone: '13800000603', password: 'demo-senior-2020' };
const RESIDENT_SENIOR_DAUGHTER = { name: '张丽', relation: '女儿', phone: '13800000602' };
const HANGZHOU_REGION = '330104';
const DAY_MS = 86_400_000;

interface FloorSpec {
  floor: number;
  beds: number;
  careLevel: CareLevel;
}

interface FacilitySpec {
  name: string;
  kind: 'NURSING_HOME' | 'REHAB_HOSPITAL';
  street: string;
  codePrefix: string;
  managerName: string;
  managerPhone: string;
  floors: FloorSpec[];
  waitlist: { careLevel: CareLevel; reasons: PriorityReason[]; age: number }[];
}

/**
 * The two facilities of the bureau's report: the 356-bed Pengbu nursing home on five floors
 * (self-care on the ground floor, assisted living above, nursing care on the top two) and the
 * 181-bed Chengdong rehabilitation hospital (wards on floors 2 to 5). Nursing beds are scarce:
 * none of them is free, which is why the waiting lists ask for them.
 */
const FACILITIES: FacilitySpec[] = [
  {
    name: '彭埠颐养院',
    kind: 'NURSING_HOME',
    street: '彭埠街道',
    codePrefix: 'P',
    managerName: '赵院长',
    managerPhone: '13800000101',
    floors: [
      { floor: 1, beds: 72, careLevel: 'SELF_CARE' },
      { floor: 2, beds: 72, careLevel: 'ASSISTED' },
      { floor: 3, beds: 72, careLevel: 'ASSISTED' },
      { floor: 4, beds: 72, careLevel: 'NURSING' },
      { floor: 5, beds: 68, careLevel: 'NURSING' },
    ],
    waitlist: [
      { careLevel: 'NURSING', reasons: ['HARDSHIP', 'LIVING_ALONE'], age: 83 },
      { careLevel: 'NURSING', reasons: ['AGE_80_PLUS', 'DISABILITY'], age: 87 },
      { careLevel: 'NURSING', reasons: [], age: 74 },
      { careLevel: 'NURSING', reasons: ['LIVING_ALONE'], age: 79 },
      { careLevel: 'NURSING', reasons: ['HARDSHIP'], age: 68 },
    ],
  },
  {
    name: '城东新城康复护理院',
    kind: 'REHAB_HOSPITAL',
    street: '彭埠街道城东新城',
    codePrefix: 'C',
    managerName: '钱护士长',
    managerPhone: '13800000102',
    floors: [
      { floor: 2, beds: 46, careLevel: 'ASSISTED' },
      { floor: 3, beds: 46, careLevel: 'NURSING' },
      { floor: 4, beds: 46, careLevel: 'NURSING' },
      { floor: 5, beds: 43, careLevel: 'NURSING' },
    ],
    waitlist: [
      { careLevel: 'NURSING', reasons: ['DISABILITY'], age: 72 },
      { careLevel: 'NURSING', reasons: ['HARDSHIP', 'AGE_80_PLUS'], age: 82 },
      { careLevel: 'NURSING', reasons: [], age: 66 },
    ],
  },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭';
const GIVEN = [
  '秀英',
  '桂英',
  '玉兰',
  '建国',
  '国强',
  '秀珍',
  '凤英',
  '福根',
  '阿毛',
  '金娣',
  '美华',
  '长林',
  '志明',
  '淑芬',
  '根宝',
  '杏花',
  '雪梅',
  '德明',
  '宝林',
  '月娥',
];

/** Status of the n-th bed: about 82% occupied (2% of them on leave), 4% reserved, 2% cleaning, 2% maintenance, the rest free (never a nursing bed). */
function statusOf(n: number, careLevel: CareLevel): BedStatus {
  const slot = n % 50;
  if (slot === 40) return 'ON_LEAVE';
  if (slot <= 39) return 'OCCUPIED';
  if (slot <= 42) return 'RESERVED';
  if (slot === 43) return 'CLEANING';
  if (slot === 44) return 'MAINTENANCE';
  return careLevel === 'NURSING' ? 'OCCUPIED' : 'AVAILABLE';
}

/** A demo resident: the row to insert, with its id chosen ahead and its contacts as JSON. */
interface ResidentSeed extends Omit<NewResident, 'facilityId' | 'emergencyContacts'> {
  id: string;
  contacts: string;
}

/** A demo bed: the fields of the view it will have, with the hold's expiry as a date. */
interface BedSeed extends Pick<BedView, 'id' | 'code' | 'room' | 'floor' | 'careLevel' | 'status' | 'version' | 'residentId' | 'expectedReturnOn'> {
  holdExpiresAt: Date | null;
}

/**
 * Demo data of the bed inventory: the two facilities, every bed (one INSERT per facility),
 * residents with stays and holds, a replayable history for every bed, a manager per facility
 * and a short waiting list for nursing beds.
 */
@Injectable()
@DemoSeeder(10)
export class BedInventorySeeder implements DemoSeed {
  private readonly logger = new Logger(BedInventorySeeder.name);
  private residentCounter = 0;

  constructor(
    private readonly facilities: FacilitiesService,
    private readonly users: UsersService,
    private readonly cipher: IdCardCipher,
    private readonly tx: TransactionRunner,
  ) {}

  async seed(): Promise<void> {
    const existing = await this.facilities.list('NURSING_HOME', 1, 0);
    if (existing.total > 0) return;
    const passwordHash = await this.users.hashPassword(MANAGER_PASSWORD);
    for (const spec of FACILITIES) {
      const facilityId = await this.tx.run(async (m) => {
        const facility = await this.facilities.createIn(m, { name: spec.name, kind: spec.kind, street: spec.street });
        await this.seedFacility(m, facility.id, spec);
        return facility.id;
      });
      await this.users.create(
        { name: spec.managerName, phone: spec.managerPhone, password: MANAGER_PASSWORD, roles: [Role.MANAGER], facilityIds: [facilityId] },
        { passwordHash },
      );
      this.logger.log(`${spec.kind} with ${spec.floors.reduce((sum, f) => sum + f.beds, 0)} beds loaded`);
    }
    await this.seedResidentSenior();
  }

  /**
   * Gives the resident of the nursing home's first occupied bed on the second floor the name, ID
   * number and daughter of the demo senior, then opens that senior's account.
   */
  private async seedResidentSenior(): Promise<void> {
    const idCardNumber = await this.tx.run(async (m) => {
      const rows: { id: string; birthDate: string }[] = await m.query(
        `SELECT r.id, r.birth_date::text AS "birthDate"
           FROM beds b JOIN facilities f ON f.id = b.facility_id JOIN residents r ON r.id = b.resident_id
          WHERE f.kind = 'NURSING_HOME' AND b.floor = 2 AND b.status = 'OCCUPIED'
          ORDER BY b.code LIMIT 1`,
      );
      const [resident] = rows;
      if (!resident) throw new Error('The demo nursing home has no occupied bed on its second floor.');
      const number = makeResidentId(HANGZHOU_REGION, resident.birthDate, 999);
      const protectedId = this.cipher.protect(number);
      await m.query(
        `UPDATE residents SET name = $2, id_card_ciphertext = $3, id_card_hash = $4, id_card_masked = $5, emergency_contacts = $6::jsonb
          WHERE id = $1`,
        [resident.id, RESIDENT_SENIOR.name, protectedId.ciphertext, protectedId.hash, protectedId.masked, JSON.stringify([RESIDENT_SENIOR_DAUGHTER])],
      );
      return number;
    });
    await this.users.create({ ...RESIDENT_SENIOR, roles: [Role.SENIOR], idCardNumber });
  }

  private resident(careLevel: CareLevel, age?: number): ResidentSeed {
    this.residentCounter += 1;
    const n = this.residentCounter;
    const years = age ?? 65 + (n % 28);
    const month = String(1 + (n % 12)).padStart(2, '0');
    const day = String(1 + (n % 28)).padStart(2, '0');
    const birthDate = `${new Date().getUTCFullYear() - years - 1}-${month}-${day}`;
    const protectedId = this.cipher.protect(makeResidentId(HANGZHOU_REGION, birthDate, n));
    const name = SURNAMES[n % SURNAMES.length] + GIVEN[(n * 7) % GIVEN.length];
    const child = SURNAMES[n % SURNAMES.length] + ['伟', '敏', '静', '强', '磊', '洁'][n % 6];
    const contacts = [{ name: child, relation: n % 2 === 0 ? '儿子' : '女儿', phone: `139${String(10_000_000 + n * 7919).slice(-8)}` }];
    return { id: randomUUID(), name, ...protectedId, birthDate, careLevel, contacts: JSON.stringify(contacts) };
  }

  private async seedFacility(m: EntityManager, facilityId: string, spec: FacilitySpec): Promise<void> {
    const now = Date.now();
    const opened = new Date(now - 800 * DAY_MS);
    const beds: BedSeed[] = [];
    const residents: ResidentSeed[] = [];
    const stays: { bedId: string; residentId: string; startedAt: Date; endedAt: Date | null; reason: string | null }[] = [];
    const holds: { bedId: string; residentId: string; createdAt: Date; expiresAt: Date }[] = [];
    const events: {
      bedId: string;
      at: Date;
      action: string;
      from: BedStatus | null;
      to: BedStatus;
      residentId: string | null;
      reason: string | null;
      version: number;
      expectedReturnOn?: string;
    }[] = [];
    const day = (offsetDays: number): string => new Date(now + offsetDays * DAY_MS + 8 * 3600_000).toISOString().slice(0, 10);

    let n = 0;
    for (const floor of spec.floors) {
      for (let i = 0; i < floor.beds; i += 1) {
        n += 1;
        const roomNumber = floor.floor * 100 + Math.floor(i / 2) + 1;
        const code = `${spec.codePrefix}${roomNumber}-${i % 2 === 0 ? 'A' : 'B'}`;
        const status = statusOf(n, floor.careLevel);
        const id = randomUUID();
        events.push({ bedId: id, at: opened, action: 'CREATE', from: null, to: 'AVAILABLE', residentId: null, reason: null, version: 1 });
        let residentId: string | null = null;
        let holdExpiresAt: Date | null = null;
        let expectedReturnOn: string | null = null;
        let version = 1;
        // Admitted up to two years ago and as recently as yesterday; a bed on leave since the last
        // three days was taken at least five days back, so its leave follows its admission.
        const since = new Date(now - ((status === 'ON_LEAVE' ? 5 : 1) + ((n * 37) % 700)) * DAY_MS);
        if (status === 'OCCUPIED' || status === 'ON_LEAVE' || status === 'CLEANING') {
          const resident = this.resident(floor.careLevel);
          residents.push(resident);
          version += 1;
          events.push({ bedId: id, at: since, action: 'ADMIT', from: 'AVAILABLE', to: 'OCCUPIED', residentId: resident.id, reason: null, version });
          if (status === 'OCCUPIED' && n % 50 === 39 && since.getTime() < now - 30 * DAY_MS) {
            // A leave that is over: five days in hospital, three weeks ago.
            events.push({
              bedId: id,
              at: new Date(now - 25 * DAY_MS),
              action: 'LEAVE',
              from: 'OCCUPIED',
              to: 'ON_LEAVE',
              residentId: resident.id,
              reason: '住院治疗',
              version: ++version,
              expectedReturnOn: day(-20),
            });
            events.push({
              bedId: id,
              at: new Date(now - 20 * DAY_MS),
              action: 'RETURN',
              from: 'ON_LEAVE',
              to: 'OCCUPIED',
              residentId: resident.id,
              reason: null,
              version: ++version,
            });
          }
          if (status === 'ON_LEAVE') {
            version += 1;
            // One leave in three (a visit home two days ago) was due back yesterday and is not yet
            // recorded back, as the board marks.
            expectedReturnOn = n % 150 === 40 ? day(-1) : day(3);
            events.push({
              bedId: id,
              at: new Date(now - (1 + (n % 3)) * DAY_MS),
              action: 'LEAVE',
              from: 'OCCUPIED',
              to: 'ON_LEAVE',
              residentId: resident.id,
              reason: n % 2 === 0 ? '回家探亲' : '住院治疗',
              version,
              expectedReturnOn,
            });
          }
          if (status === 'OCCUPIED' || status === 'ON_LEAVE') {
            residentId = resident.id;
            stays.push({ bedId: id, residentId: resident.id, startedAt: since, endedAt: null, reason: null });
          } else {
            const left = new Date(now - 3 * 3600_000);
            version += 1;
            stays.push({ bedId: id, residentId: resident.id, startedAt: since, endedAt: left, reason: '康复出院' });
            events.push({ bedId: id, at: left, action: 'DISCHARGE', from: 'OCCUPIED', to: 'CLEANING', residentId: resident.id, reason: '康复出院', version });
          }
        } else if (status === 'RESERVED') {
          const resident = this.resident(floor.careLevel);
          residents.push(resident);
          residentId = resident.id;
          const heldAt = new Date(now - ((n % 20) + 1) * 3600_000);
          holdExpiresAt = new Date(heldAt.getTime() + 48 * 3600_000);
          version += 1;
          holds.push({ bedId: id, residentId: resident.id, createdAt: heldAt, expiresAt: holdExpiresAt });
          events.push({ bedId: id, at: heldAt, action: 'HOLD', from: 'AVAILABLE', to: 'RESERVED', residentId: resident.id, reason: null, version });
        } else if (status === 'MAINTENANCE') {
          version += 1;
          events.push({
            bedId: id,
            at: new Date(now - 2 * DAY_MS),
            action: 'MAINTENANCE',
            from: 'AVAILABLE',
            to: 'MAINTENANCE',
            residentId: null,
            reason: '更换电动护理床',
            version,
          });
        }
        beds.push({
          id,
          code,
          room: String(roomNumber),
          floor: floor.floor,
          careLevel: floor.careLevel,
          status,
          version,
          residentId,
          holdExpiresAt,
          expectedReturnOn,
        });
      }
    }
    const waiting = spec.waitlist.map((w) => ({ ...w, resident: this.resident(w.careLevel, w.age) }));
    residents.push(...waiting.map((w) => w.resident));

    await m.query(
      `INSERT INTO residents (id, facility_id, name, id_card_ciphertext, id_card_hash, id_card_masked, birth_date, care_level, emergency_contacts)
       SELECT r.id, $1, r.name, r.ciphertext, r.hash, r.masked, r.birth_date, r.care_level, r.contacts::jsonb
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[], $9::text[])
           AS r(id, name, ciphertext, hash, masked, birth_date, care_level, contacts)`,
      [
        facilityId,
        residents.map((r) => r.id),
        residents.map((r) => r.name),
        residents.map((r) => r.ciphertext),
        residents.map((r) => r.hash),
        residents.map((r) => r.masked),
        residents.map((r) => r.birthDate),
        residents.map((r) => r.careLevel),
        residents.map((r) => r.contacts),
      ],
    );
    await m.query(
      `INSERT INTO beds (id, facility_id, code, room, floor, care_level, status, version, resident_id, hold_expires_at, leave_expected_return_on, created_at, updated_at)
       SELECT b.id, $1, b.code, b.room, b.floor, b.care_level, b.status, b.version, b.resident_id, b.hold_expires_at, b.expected_return_on, $11, now()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::int[], $9::uuid[], $10::timestamptz[], $12::date[])
           AS b(id, code, room, floor, care_level, status, version, resident_id, hold_expires_at, expected_return_on)`,
      [
        facilityId,
        beds.map((b) => b.id),
        beds.map((b) => b.code),
        beds.map((b) => b.room),
        beds.map((b) => b.floor),
        beds.map((b) => b.careLevel),
        beds.map((b) => b.status),
        beds.map((b) => b.version),
        beds.map((b) => b.residentId),
        beds.map((b) => b.holdExpiresAt),
        opened,
        beds.map((b) => b.expectedReturnOn),
      ],
    );
    await m.query(
      `INSERT INTO stays (bed_id, resident_id, started_at, ended_at, end_reason)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::text[])`,
      [stays.map((s) => s.bedId), stays.map((s) => s.residentId), stays.map((s) => s.startedAt), stays.map((s) => s.endedAt), stays.map((s) => s.reason)],
    );
    await m.query(
      `INSERT INTO holds (bed_id, resident_id, created_at, expires_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[])`,
      [holds.map((h) => h.bedId), holds.map((h) => h.residentId), holds.map((h) => h.createdAt), holds.map((h) => h.expiresAt)],
    );
    // Events go in in the order they happened per bed; the identity column keeps that order.
    await m.query(
      `INSERT INTO bed_events (bed_id, facility_id, at, actor_id, action, from_status, to_status, resident_id, reason, version, expected_return_on)
       SELECT e.bed_id, $1, e.at, NULL, e.action, e.from_status, e.to_status, e.resident_id, e.reason, e.version, e.expected_return_on
         FROM unnest($2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::int[], $10::date[])
           WITH ORDINALITY AS e(bed_id, at, action, from_status, to_status, resident_id, reason, version, expected_return_on, n)
        ORDER BY e.n`,
      [
        facilityId,
        events.map((e) => e.bedId),
        events.map((e) => e.at),
        events.map((e) => e.action),
        events.map((e) => e.from),
        events.map((e) => e.to),
        events.map((e) => e.residentId),
        events.map((e) => e.reason),
        events.map((e) => e.version),
        events.map((e) => e.expectedReturnOn ?? null),
      ],
    );
    await m.query(
      `INSERT INTO waitlist_entries (facility_id, resident_id, care_level, priority_reasons, created_at)
       SELECT $1, w.resident_id, w.care_level, string_to_array(w.reasons, ',')::text[], w.created_at
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[]) AS w(resident_id, care_level, reasons, created_at)`,
      [
        facilityId,
        waiting.map((w) => w.resident.id),
        waiting.map((w) => w.careLevel),
        waiting.map((w) => w.reasons.join(',')),
        waiting.map((_, i) => new Date(now - (30 - i * 4) * DAY_MS)),
      ],
    );
  }
}
