import { Injectable, Logger } from '@nestjs/common';
import { type DemoSeed, DemoSeeder, districtTime, makeResidentId, Role } from '@app/platform';
import { UsersService } from '@app/identity';
import { ApplicationsService } from './applications.service';
import { CatalogueService, type CourseView } from './catalogue.service';
import { CourseMode } from './enrolment.types';

const DISTRICT = '杭州市上城区老年大学';
const COMMUNITY = '彭埠街道社区老年大学';
const SENIOR_PASSWORD = 'demo-senior-2020';
const HANGZHOU_SHANGCHENG = '330102';

/** Title, campus, capacity, weekday, slot; one lottery course (the most wanted one). */
const COURSES: [string, string, number, number, string, string, CourseMode?][] = [
  ['书法（楷书入门）', DISTRICT, 30, 1, '09:00', '10:30'],
  ['书法（行书提高）', DISTRICT, 25, 3, '09:00', '10:30'],
  ['智能手机入门', DISTRICT, 40, 1, '14:00', '15:30'],
  ['智能手机：微信与移动支付', DISTRICT, 40, 2, '14:00', '15:30'],
  ['智能手机：防范电信诈骗', COMMUNITY, 50, 4, '09:30', '11:00'],
  ['太极拳（二十四式）', DISTRICT, 35, 2, '07:30', '09:00'],
  ['太极剑', COMMUNITY, 25, 4, '07:30', '09:00'],
  ['合唱', DISTRICT, 60, 3, '14:00', '16:00', CourseMode.LOTTERY],
  ['越剧欣赏与演唱', DISTRICT, 30, 5, '14:00', '15:30'],
  ['国画（花鸟）', DISTRICT, 20, 2, '09:00', '11:00'],
  ['国画（山水）', DISTRICT, 20, 4, '14:00', '16:00'],
  ['摄影基础', DISTRICT, 30, 5, '09:00', '10:30'],
  ['手机摄影与修图', COMMUNITY, 35, 3, '09:30', '11:00'],
  ['英语口语', DISTRICT, 25, 1, '10:45', '12:00'],
  ['旅游英语', COMMUNITY, 25, 5, '14:00', '15:30'],
  ['中医养生', DISTRICT, 80, 4, '09:00', '10:30'],
  ['八段锦', COMMUNITY, 40, 1, '07:30', '08:30'],
  ['广场舞', COMMUNITY, 60, 2, '18:30', '20:00'],
  ['电子琴', DISTRICT, 20, 3, '10:45', '12:00'],
  ['葫芦丝', COMMUNITY, 25, 5, '09:30', '11:00'],
  ['诗词鉴赏', DISTRICT, 40, 2, '10:45', '12:00'],
  ['剪纸', COMMUNITY, 20, 4, '14:00', '15:30'],
  ['茶艺', DISTRICT, 20, 5, '10:45', '12:00'],
  ['营养与烹饪', COMMUNITY, 30, 1, '14:00', '15:30'],
  ['电脑基础', DISTRICT, 30, 3, '16:15', '17:45'],
  ['围棋', COMMUNITY, 24, 2, '14:00', '16:00'],
];

const OWN_SENIORS = ['沈阿婆', '钱老伯', '蒋桂芳', '韩金宝', '朱月娥', '秦国庆', '许秀兰', '何长林', '吕美华', '施建平'];

function birthDateForAge(age: number, now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear() - age, now.getUTCMonth(), now.getUTCDate() - 20)).toISOString().slice(0, 10);
}

/**
 * Demo data of enrolment: an open term (opened yesterday, closing in two weeks) with two dozen
 * courses at the district and a community senior university, the choir in lottery mode, and a
 * few applications by demo seniors, accepted through the same path as real ones (a worker
 * allocates them as soon as it runs).
 */
@DemoSeeder(40)
@Injectable()
export class EnrolmentDemoSeeder implements DemoSeed {
  private readonly logger = new Logger(EnrolmentDemoSeeder.name);

  constructor(
    private readonly users: UsersService,
    private readonly catalogue: CatalogueService,
    private readonly applications: ApplicationsService,
  ) {}

  async seed(): Promise<void> {
    const now = new Date();
    const term = await this.catalogue.createTerm({
      name: `${now.getUTCFullYear()} 年秋季学期`,
      opensAt: districtTime(now, -1, '09:00'),
      closesAt: districtTime(now, 14, '17:00'),
      maxCoursesPerSenior: 3,
      minAge: 55,
    });
    const courses: CourseView[] = [];
    for (const [title, campus, capacity, weekday, startTime, endTime, mode] of COURSES) {
      courses.push(
        await this.catalogue.createCourse({ termId: term.id, title, campus, capacity, weekday, startTime, endTime, mode: mode ?? CourseMode.FIRST_COME }),
      );
    }
    const seniorIds = await this.seniors(now);
    let applied = 0;
    for (const [index, seniorId] of seniorIds.entries()) {
      const picks = [courses[index % courses.length], courses[(index * 7 + 3) % courses.length], courses[7]];
      for (const course of picks) {
        if (!course) continue;
        await this.applications.apply({ id: seniorId, roles: [Role.SENIOR], facilityIds: [] }, course.id, undefined);
        applied += 1;
      }
    }
    this.logger.log(`enrolment demo: ${courses.length} courses, ${applied} applications`);
  }

  /** The time bank's demo seniors when present (13800000301–310), else ten of enrolment's own (401–410). */
  private async seniors(now: Date): Promise<string[]> {
    const found: string[] = [];
    for (let n = 301; n <= 310; n += 1) {
      const user = await this.users.findByPhone(`13800000${n}`);
      if (user && user.roles.includes(Role.SENIOR)) found.push(user.id);
    }
    if (found.length > 0) return found;
    const hash = await this.users.hashPassword(SENIOR_PASSWORD);
    const created: string[] = [];
    for (const [index, name] of OWN_SENIORS.entries()) {
      const user = await this.users.create(
        {
          name,
          phone: `13800000${401 + index}`,
          password: SENIOR_PASSWORD,
          roles: [Role.SENIOR],
          idCardNumber: makeResidentId(HANGZHOU_SHANGCHENG, birthDateForAge(62 + index * 2, now), 400 + index),
        },
        { passwordHash: hash },
      );
      created.push(user.id);
    }
    return created;
  }
}
