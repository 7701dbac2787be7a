import { http, type TestStack, type TestUser } from '@app/testing';

let centreCounter = 0;

export interface CentreInput {
  name?: string;
  street?: string;
  operatorKind?: 'GOVERNMENT' | 'SOCIAL_OPERATOR';
  operatorName?: string;
  contractEndsOn?: string;
  status?: 'PLANNED' | 'RENOVATING' | 'OPERATING';
  dayCapacity?: number;
  sunshineKitchen?: boolean;
}

/** The body of a valid centre (government-run and operating unless told otherwise). */
export function centreBody(input: CentreInput = {}): Record<string, unknown> {
  centreCounter += 1;
  const operatorKind = input.operatorKind ?? 'GOVERNMENT';
  return {
    name: input.name ?? `测试照料中心${process.pid}-${centreCounter}`,
    street: input.street ?? '湖滨街道',
    operatorKind,
    ...(operatorKind === 'SOCIAL_OPERATOR'
      ? { operatorName: input.operatorName ?? '杭州颐乐养老服务有限公司', contractEndsOn: input.contractEndsOn ?? '2030-12-31' }
      : {}),
    status: input.status ?? 'OPERATING',
    dayCapacity: input.dayCapacity ?? 30,
    sunshineKitchen: input.sunshineKitchen ?? true,
  };
}

/** Creates a centre over HTTP as the administrator and returns its id. */
export async function createCentre(stack: TestStack, admin: TestUser, input: CentreInput = {}): Promise<string> {
  const response = await http(stack).post('/api/v1/care-centres').set(admin.auth).send(centreBody(input)).expect(201);
  return response.body.id as string;
}

/** The calendar day in Shanghai at `at`, as the server computes it. */
export function shanghaiDay(at = new Date()): string {
  return new Date(at.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** `day` shifted by `days`. */
export function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
