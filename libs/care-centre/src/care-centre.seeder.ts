import { Injectable, Logger } from '@nestjs/common';
import { UsersService, type UserView } from '@app/identity';
import { type DemoSeed, DemoSeeder, makeResidentId, Role, TransactionRunner } from '@app/platform';
import { addDays, districtDay } from './care-centre.rules';
import type { CentreStatus } from './care-centre.types';
import { CareCentresRepository } from './care-centres.repository';
import { type CareCentreView, CareCentresService } from './care-centres.service';

/** Demo logins (README): the care-centre manager 13800000103, seniors 13800000501–510. */
const MANAGER_PHONE = '13800000103';
const MANAGER_PASSWORD = 'demo-manager-2020';
const SENIOR_PASSWORD = 'demo-senior-2020';
const HANGZHOU_SHANGCHENG = '330102';
const HISTORY_DAYS = 21;

interface CentreSpec {
  street: string;
  name: string;
  status: CentreStatus;
  dayCapacity: number;
  sunshineKitchen: boolean;
  /** A social operator and the days from today until its contract ends. */
  operator?: { name: string; contractDays: number };
}

/**
 * Twenty centres on the district's streets: fifteen operating, of which six (40%) are run by
 * social operators as in the bureau's report and twelve have a sunshine kitchen; one contract
 * ends within 60 days, so the renewal warning shows.
 */
const CENTRES: CentreSpec[] = [
  { street: '湖滨街道', name: '湖滨街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 40, sunshineKitchen: true },
  {
    street: '清波街道',
    name: '清波街道居家养老服务照料中心',
    status: 'OPERATING',
    dayCapacity: 35,
    sunshineKitchen: true,
    operator: { name: '杭州颐乐养老服务有限公司', contractDays: 45 },
  },
  { street: '小营街道', name: '小营街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 50, sunshineKitchen: true },
  {
    street: '望江街道',
    name: '望江街道居家养老服务照料中心',
    status: 'OPERATING',
    dayCapacity: 30,
    sunshineKitchen: true,
    operator: { name: '杭州夕阳红社会工作服务社', contractDays: 400 },
  },
  { street: '南星街道', name: '南星街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 30, sunshineKitchen: false },
  { street: '紫阳街道', name: '紫阳街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 25, sunshineKitchen: true },
  {
    street: '四季青街道',
    name: '四季青街道居家养老服务照料中心',
    status: 'OPERATING',
    dayCapacity: 45,
    sunshineKitchen: true,
    operator: { name: '杭州康乐居家养老服务中心', contractDays: 520 },
  },
  { street: '凯旋街道', name: '凯旋街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 30, sunshineKitchen: true },
  {
    street: '采荷街道',
    name: '采荷街道居家养老服务照料中心',
    status: 'OPERATING',
    dayCapacity: 35,
    sunshineKitchen: false,
    operator: { name: '杭州银龄汇养老服务有限公司', contractDays: 210 },
  },
  { street: '闸弄口街道', name: '闸弄口街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 25, sunshineKitchen: true },
  {
    street: '笕桥街道',
    name: '笕桥街道居家养老服务照料中心',
    status: 'OPERATING',
    dayCapacity: 40,
    sunshineKitchen: true,
    operator: { name: '杭州福寿康养老服务有限公司', contractDays: 300 },
  },
  { street: '彭埠街道', name: '彭埠街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 45, sunshineKitchen: true },
  { street: '九堡街道', name: '九堡街道居家养老服务照料中心', status: 'OPERATING', dayCapacity: 40, sunshineKitchen: false },
  {
    street: '丁兰街道',
    name: '丁兰街道居家养老服务照料中心',
    status: 'OPERATING',
    dayCapacity: 35,
    sunshineKitchen: true,
    operator: { name: '杭州乐龄社区服务中心', contractDays: 150 },
  },
  { street: '湖滨街道', name: '东坡路社区照料中心', status: 'OPERATING', dayCapacity: 20, sunshineKitchen: true },
  { street: '彭埠街道', name: '云峰社区照料中心', status: 'RENOVATING', dayCapacity: 25, sunshineKitchen: true },
  {
    street: '九堡街道',
    name: '三村社区照料中心',
    status: 'RENOVATING',
    dayCapacity: 30,
    sunshineKitchen: false,
    operator: { name: '杭州颐乐养老服务有限公司', contractDays: 700 },
  },
  { street: '丁兰街道', name: '皋城社区照料中心', status: 'RENOVATING', dayCapacity: 20, sunshineKitchen: false },
  { street: '笕桥街道', name: '黎明社区照料中心', status: 'PLANNED', dayCapacity: 30, sunshineKitchen: true },
  { street: '四季青街道', name: '三堡社区照料中心', status: 'PLANNED', dayCapacity: 25, sunshineKitchen: false },
];

const SENIORS: { name: string; age: number }[] = [
  { name: '钱桂芳', age: 76 },
  { name: '孙国强', age: 81 },
  { name: '周玉兰', age: 73 },
  { name: '吴建华', age: 69 },
  { name: '郑秀珍', age: 84 },
  { name: '王福根', age: 78 },
  { name: '冯爱娣', age: 71 },
  { name: '陈阿毛', age: 88 },
  { name: '褚美华', age: 66 },
  { name: '卫长林', age: 80 },
];

/** A birth date `age` years and about two months before `today`. */
function birthDateForAge(age: number, today: string): string {
  const shifted = addDays(today, -60);
  return `${Number(shifted.slice(0, 4)) - age}${shifted.slice(4, 8)}${shifted.slice(5, 7) === '02' ? '28' : shifted.slice(8)}`;
}

/**
 * Demo data of the care centres: the centres above, a manager of the first three, ten seniors
 * who attend them, and three weeks of check-ins and services written in bulk.
 */
@Injectable()
@DemoSeeder(20)
export class CareCentreSeeder implements DemoSeed {
  private readonly logger = new Logger(CareCentreSeeder.name);

  constructor(
    private readonly centres: CareCentresService,
    private readonly repository: CareCentresRepository,
    private readonly users: UsersService,
    private readonly tx: TransactionRunner,
  ) {}

  async seed(): Promise<void> {
    const existing = await this.centres.list({}, 1, 0);
    if (existing.total > 0) return;
    const today = districtDay(new Date());

    const created: CareCentreView[] = [];
    for (const spec of CENTRES) {
      created.push(
        await this.centres.create({
          name: spec.name,
          street: spec.street,
          operatorKind: spec.operator ? 'SOCIAL_OPERATOR' : 'GOVERNMENT',
          operatorName: spec.operator?.name,
          contractEndsOn: spec.operator ? addDays(today, spec.operator.contractDays) : undefined,
          status: spec.status,
          dayCapacity: spec.dayCapacity,
          sunshineKitchen: spec.sunshineKitchen,
        }),
      );
    }
    const managed = created.slice(0, 3);
    const manager = await this.users.create({
      name: '林照料',
      phone: MANAGER_PHONE,
      password: MANAGER_PASSWORD,
      roles: [Role.MANAGER],
      facilityIds: managed.map((centre) => centre.id),
    });

    const seniorHash = await this.users.hashPassword(SENIOR_PASSWORD);
    const seniors: UserView[] = [];
    for (const [index, spec] of SENIORS.entries()) {
      seniors.push(
        await this.users.create(
          {
            name: spec.name,
            phone: `138000005${String(index + 1).padStart(2, '0')}`,
            password: SENIOR_PASSWORD,
            roles: [Role.SENIOR],
            idCardNumber: makeResidentId(HANGZHOU_SHANGCHENG, birthDateForAge(spec.age, today), 500 + index),
          },
          { passwordHash: seniorHash },
        ),
      );
    }

    const attendance = seniors.map((senior, index) => ({ seniorId: senior.id, centreId: managed[index % managed.length].id }));
    await this.tx.run((entityManager) =>
      this.repository.insertDemoHistory(entityManager, { attendance, recordedBy: manager.id, from: addDays(today, -HISTORY_DAYS), to: addDays(today, -1) }),
    );
    this.logger.log(`care centres: ${created.length} centres, ${seniors.length} seniors, ${HISTORY_DAYS} days of attendance and services`);
  }
}
