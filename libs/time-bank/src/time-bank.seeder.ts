import { Injectable } from '@nestjs/common';
import { type DemoSeed, DemoSeeder, districtTime, makeResidentId, type Principal, Role } from '@app/platform';
import { UsersService, type UserView } from '@app/identity';
import { GiftsService } from './gifts.service';
import { RedemptionsService } from './redemptions.service';
import { RequestsService } from './requests.service';
import { ServiceRecordsService } from './service-records.service';
import { Relationship, ServiceType } from './time-bank.types';

/** Demo logins (README): volunteers 13800000201–205, seniors 13800000301–310. */
const VOLUNTEER_PASSWORD = 'demo-volunteer-2020';
const SENIOR_PASSWORD = 'demo-senior-2020';
const HANGZHOU_SHANGCHENG = '330102';
/** A senior of the care centres' demo data (seeded before this), who attends the demo manager's centre. */
const CARE_CENTRE_SENIOR_PHONE = '13800000501';
/** The care-centre manager of the care centres' demo data, whose centre `…501` attends. */
const CARE_CENTRE_MANAGER_PHONE = '13800000103';

const VOLUNTEERS: { name: string; age?: number; skills: ServiceType[] }[] = [
  { name: '陈志强', age: 65, skills: [ServiceType.COMPANIONSHIP, ServiceType.ESCORT] },
  { name: '刘芳', skills: [ServiceType.CLEANING, ServiceType.MEAL_DELIVERY] },
  { name: '赵磊', skills: [ServiceType.SHOPPING, ServiceType.ESCORT] },
  { name: '孙丽', skills: [ServiceType.HEALTH_CHECK, ServiceType.COMPANIONSHIP] },
  { name: '周杰', skills: [ServiceType.CLEANING, ServiceType.OTHER] },
];

const SENIORS: { name: string; age: number; street: string; wants: ServiceType }[] = [
  { name: '王秀英', age: 78, street: '彭埠街道', wants: ServiceType.COMPANIONSHIP },
  { name: '李建国', age: 82, street: '彭埠街道', wants: ServiceType.ESCORT },
  { name: '张桂兰', age: 71, street: '笕桥街道', wants: ServiceType.CLEANING },
  { name: '刘德华', age: 67, street: '笕桥街道', wants: ServiceType.SHOPPING },
  { name: '陈淑珍', age: 88, street: '丁兰街道', wants: ServiceType.HEALTH_CHECK },
  { name: '杨福生', age: 75, street: '丁兰街道', wants: ServiceType.MEAL_DELIVERY },
  { name: '黄玉梅', age: 63, street: '九堡街道', wants: ServiceType.CLEANING },
  { name: '吴长顺', age: 80, street: '九堡街道', wants: ServiceType.COMPANIONSHIP },
  { name: '徐凤英', age: 69, street: '四季青街道', wants: ServiceType.ESCORT },
  { name: '孙永福', age: 85, street: '四季青街道', wants: ServiceType.OTHER },
];

/** A birth date `age` years and about a month before today, as YYYY-MM-DD. */
function birthDateForAge(age: number, now: Date): string {
  const date = new Date(Date.UTC(now.getUTCFullYear() - age, now.getUTCMonth(), now.getUTCDate() - 40));
  return date.toISOString().slice(0, 10);
}

function principalOf(user: Pick<UserView, 'id' | 'roles' | 'facilityIds'>): Principal {
  return { id: user.id, roles: user.roles, facilityIds: user.facilityIds };
}

/**
 * Demo data of the time bank: five volunteers (one aged 65, so they can redeem) with confirmed
 * services, ten seniors with open requests, a claimed request, services waiting for their elders
 * and one under review, a gift and a few redemptions.
 * Everything goes through the services, so the demo ledger is as sound as a real one.
 */
@DemoSeeder(30)
@Injectable()
export class TimeBankDemoSeeder implements DemoSeed {
  constructor(
    private readonly users: UsersService,
    private readonly services: ServiceRecordsService,
    private readonly redemptions: RedemptionsService,
    private readonly gifts: GiftsService,
    private readonly requests: RequestsService,
  ) {}

  async seed(): Promise<void> {
    const now = new Date();
    const volunteerHash = await this.users.hashPassword(VOLUNTEER_PASSWORD);
    const seniorHash = await this.users.hashPassword(SENIOR_PASSWORD);
    const admin = await this.users.ensureAdmin();

    const volunteers: UserView[] = [];
    for (const [index, spec] of VOLUNTEERS.entries()) {
      const user = await this.users.create(
        {
          name: spec.name,
          phone: `138000002${String(index + 1).padStart(2, '0')}`,
          password: VOLUNTEER_PASSWORD,
          roles: [Role.VOLUNTEER],
          idCardNumber: spec.age ? makeResidentId(HANGZHOU_SHANGCHENG, birthDateForAge(spec.age, now), 200 + index) : undefined,
        },
        { passwordHash: volunteerHash },
      );
      await this.requests.setSkills(user.id, spec.skills);
      volunteers.push(user);
    }

    const seniors: UserView[] = [];
    for (const [index, spec] of SENIORS.entries()) {
      seniors.push(
        await this.users.create(
          {
            name: spec.name,
            phone: `138000003${String(index + 1).padStart(2, '0')}`,
            password: SENIOR_PASSWORD,
            roles: [Role.SENIOR],
            idCardNumber: makeResidentId(HANGZHOU_SHANGCHENG, birthDateForAge(spec.age, now), 300 + index),
          },
          { passwordHash: seniorHash },
        ),
      );
    }

    // Confirmed services: each volunteer served three seniors on three different days.
    for (const [v, volunteer] of volunteers.entries()) {
      for (let n = 0; n < 3; n += 1) {
        const senior = seniors[(v * 3 + n) % seniors.length];
        if (!senior) continue;
        const skill = VOLUNTEERS[v]?.skills[n % 2] ?? ServiceType.COMPANIONSHIP;
        const startedAt = districtTime(now, -(n * 7 + v + 2), ['09:00', '14:30', '10:00'][n] ?? '09:00');
        const record = await this.services.record(volunteer.id, {
          recipientId: senior.id,
          serviceType: skill,
          startedAt: startedAt.toISOString(),
          durationMinutes: 60 + 30 * ((v + n) % 4),
          note: '演示数据',
        });
        await this.services.confirm(principalOf(senior), record.id);
      }
    }
    // Two services still waiting for their elders' word: one for `…302`, one for `…301`, whose
    // daughter (the demo's relative) can confirm it for her.
    const [firstVolunteer, secondVolunteer] = volunteers;
    const [firstSenior, secondSenior] = seniors;
    if (!firstVolunteer || !secondVolunteer || !firstSenior || !secondSenior) return;
    await this.services.record(secondVolunteer.id, {
      recipientId: secondSenior.id,
      serviceType: ServiceType.CLEANING,
      startedAt: districtTime(now, -1, '15:00').toISOString(),
      durationMinutes: 90,
    });
    await this.services.record(firstVolunteer.id, {
      recipientId: firstSenior.id,
      serviceType: ServiceType.COMPANIONSHIP,
      startedAt: districtTime(now, -1, '10:00').toISOString(),
      durationMinutes: 60,
    });

    // A service under review: `…501`, who attends a centre of the demo care-centre manager (`…103`), said the
    // cleaning did not happen; its volunteer asked staff to look again (that manager and the admin
    // see it under "review services").
    const centreSenior = await this.users.findByPhone(CARE_CENTRE_SENIOR_PHONE);
    const lastVolunteer = volunteers[volunteers.length - 1];
    if (centreSenior && lastVolunteer) {
      const disputed = await this.services.record(lastVolunteer.id, {
        recipientId: centreSenior.id,
        serviceType: ServiceType.CLEANING,
        startedAt: districtTime(now, -3, '14:00').toISOString(),
        durationMinutes: 120,
      });
      await this.services.reject({ id: centreSenior.id, roles: [Role.SENIOR], facilityIds: [] }, disputed.id, '那天我去女儿家了，没有人来打扫');
      await this.services.requestReview(principalOf(lastVolunteer), disputed.id, '下午两点到的，是老人的儿子开的门，打扫了厨房和卫生间');
    }
    // Another of her services, which that manager asked her about at the centre and confirmed for
    // her: it is on her "我的家人" page under what others did for her.
    const centreManager = await this.users.findByPhone(CARE_CENTRE_MANAGER_PHONE);
    const fourthVolunteer = volunteers[3];
    if (centreSenior && centreManager && fourthVolunteer) {
      const asked = await this.services.record(fourthVolunteer.id, {
        recipientId: centreSenior.id,
        serviceType: ServiceType.COMPANIONSHIP,
        startedAt: districtTime(now, -4, '10:00').toISOString(),
        durationMinutes: 60,
      });
      await this.services.confirm(principalOf(centreManager), asked.id);
    }

    // Open requests, one per senior, in the coming days; the first is already claimed.
    const requestIds: string[] = [];
    for (const [index, senior] of seniors.entries()) {
      const spec = SENIORS[index];
      if (!spec) continue;
      const request = await this.requests.post(senior.id, {
        serviceType: spec.wants,
        wantedAt: districtTime(now, index + 1, ['09:00', '14:30', '10:00', '15:00', '09:30'][index % 5] ?? '09:00').toISOString(),
        durationMinutes: 60 + 30 * (index % 3),
        street: spec.street,
        note: '演示数据',
      });
      requestIds.push(request.id);
    }
    const claimedRequest = requestIds[0];
    if (claimedRequest) await this.requests.claim(firstVolunteer.id, claimedRequest);

    // Redemptions by the 65-year-old volunteer: one completed, one held; and a gift to a senior who books with it.
    // A booking is for a time to come (docs/time-bank.md, Rules), so the completed one is this hour's.
    const completed = await this.redemptions.book(
      firstVolunteer.id,
      { serviceType: ServiceType.HEALTH_CHECK, minutes: 60, scheduledFor: now.toISOString(), note: '社区体检' },
      undefined,
    );
    await this.redemptions.complete(principalOf(admin), completed.body.id);
    await this.redemptions.book(
      firstVolunteer.id,
      { serviceType: ServiceType.ESCORT, minutes: 90, scheduledFor: districtTime(now, 3, '08:30').toISOString(), note: '陪同就医' },
      undefined,
    );
    await this.gifts.give(secondVolunteer.id, { toUserId: firstSenior.id, minutes: 120, relationship: Relationship.GRANDPARENT }, undefined);
    await this.redemptions.book(
      firstSenior.id,
      { serviceType: ServiceType.CLEANING, minutes: 60, scheduledFor: districtTime(now, 2, '10:00').toISOString() },
      undefined,
    );
  }
}
