/** Proves every kind has a short title and body in Chinese and English, that a relative's text names the senior, and that times are shown in Shanghai time. */
import { duration, renderText, shanghaiTime, smsTemplateParams } from './notification-texts';
import { FAMILY_KINDS, NOTIFICATION_KINDS } from './notification.types';

const PARAMS = {
  course: '书法入门',
  campus: '杭州市上城区老年大学九堡分校',
  facility: '彭埠颐养院',
  bed: 'A-101',
  centre: '湖滨照料中心',
  serviceType: 'CLEANING',
  minutes: 90,
  at: '2026-12-04T06:30:00Z',
  endsOn: '2026-12-31',
  // The longest reason a booking is cancelled for, and a long holder's name, so the lengths below hold with them.
  reason: 'ASKED_TO_CANCEL',
  holder: '欧阳秀英',
  resident: '欧阳秀英',
  expectedOn: '2026-12-07',
};

describe('notification texts', () => {
  it('gives every kind a short title and body in both languages', () => {
    for (const kind of NOTIFICATION_KINDS) {
      for (const lang of ['zh', 'en'] as const) {
        const { title, body } = renderText(kind, PARAMS, lang);
        expect(title.length).toBeGreaterThan(1);
        expect(title.length).toBeLessThanOrEqual(30);
        expect(body.length).toBeGreaterThan(4);
        expect(body.length).toBeLessThanOrEqual(120);
      }
    }
  });

  it('begins every English text with a capital letter, a figure or a quoted name', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const { title, body } = renderText(kind, PARAMS, 'en');
      expect(`${kind}: ${title}`).toMatch(/^\w+: [A-Z0-9“]/);
      expect(`${kind}: ${body}`).toMatch(/^\w+: [A-Z0-9“]/);
    }
  });

  it('keeps a relative’s text short too, with the senior’s name in it', () => {
    for (const kind of FAMILY_KINDS) {
      for (const lang of ['zh', 'en'] as const) {
        const { body } = renderText(kind, { ...PARAMS, serviceType: 'MEAL_DELIVERY', at: '2026-12-14T06:30:00Z', seniorName: '欧阳秀英' }, lang);
        expect(body).toContain('欧阳秀英');
        expect(body.length).toBeLessThanOrEqual(120);
      }
    }
  });

  it('says why staff cancelled a booking, from its code alone', () => {
    const params = { serviceType: 'MEAL_DELIVERY', minutes: 20, at: '2026-12-04T06:30:00Z' };
    expect(renderText('BOOKING_CANCELLED', { ...params, reason: 'NOT_AT_HOME' }, 'zh').body).toBe(
      '您12月4日 14:30用时间预约的送餐，工作人员已取消（上门时家中无人），20分钟已退回账户。',
    );
    expect(renderText('BOOKING_CANCELLED', { ...params, reason: 'NO_STAFF', seniorName: '王秀英' }, 'en').body).toBe(
      '王秀英: staff cancelled the booking for meal delivery at 4 Dec 14:30 (nobody free); 20 min returned to the account.',
    );
    // No reason, or a code it does not know: no words are made up for it.
    for (const reason of [undefined, '老人住院了']) {
      expect(renderText('BOOKING_CANCELLED', { ...params, reason }, 'zh').body).toBe('您12月4日 14:30用时间预约的送餐，工作人员已取消，20分钟已退回账户。');
    }
  });

  it('tells a relative of the senior’s request, and the senior of their own', () => {
    const params = { serviceType: 'SHOPPING', at: '2026-12-04T06:30:00Z' };
    expect(renderText('REQUEST_CLAIMED', params, 'zh').body).toBe('您12月4日 14:30的代购需求已有志愿者接单。');
    expect(renderText('REQUEST_CLAIMED', { ...params, seniorName: '王秀英' }, 'zh').body).toBe('您的家人王秀英：12月4日 14:30的代购需求已有志愿者接单。');
    expect(renderText('REQUEST_CLAIMED', params, 'en').body).toBe('A volunteer took your request for shopping at 4 Dec 14:30.');
    expect(renderText('REQUEST_CLAIMED', { ...params, seniorName: '王秀英' }, 'en').body).toBe(
      '王秀英: a volunteer took the request for shopping at 4 Dec 14:30.',
    );
  });

  it('reminds the elder of a service to confirm, and tells a relative where to confirm it for them', () => {
    const params = { serviceType: 'SHOPPING', minutes: 45, at: '2026-12-04T06:30:00Z' };
    expect(renderText('SERVICE_UNCONFIRMED', params, 'zh').body).toBe(
      '志愿者登记的12月4日 14:30代购（45分钟）还在等您确认。做了请确认，时间才存进志愿者的账户；没有这回事也请说一声。',
    );
    expect(renderText('SERVICE_UNCONFIRMED', { ...params, seniorName: '王秀英' }, 'zh').body).toBe(
      '您的家人王秀英：志愿者登记的12月4日 14:30代购（45分钟）还在等确认。问过老人后，可以在“我的家人”里代为确认。',
    );
  });

  it('tells a resident her new bed, and a relative where to visit her', () => {
    const params = { facility: '彭埠颐养院', bed: 'P212-B' };
    expect(renderText('BED_TRANSFERRED', params, 'zh').body).toBe('您的床位已调整到彭埠颐养院P212-B床。');
    expect(renderText('BED_TRANSFERRED', { ...params, seniorName: '冯玉兰' }, 'zh').body).toBe(
      '您的家人冯玉兰：床位已调整到彭埠颐养院P212-B床，探望时请到新床位。',
    );
    expect(renderText('BED_TRANSFERRED', params, 'en').body).toBe('Your bed is now P212-B at 彭埠颐养院.');
    expect(renderText('BED_TRANSFERRED', { ...params, seniorName: '冯玉兰' }, 'en').body).toBe(
      '冯玉兰: the bed is now P212-B at 彭埠颐养院. Visit there from now on.',
    );
  });

  it('tells a facility’s managers which resident is overdue back from leave, and since which day', () => {
    const params = { facility: '彭埠颐养院', bed: 'P120-B', resident: '杜秀英', expectedOn: '2026-12-07' };
    expect(renderText('LEAVE_OVERDUE', params, 'zh')).toEqual({
      title: '住户请假逾期未归',
      body: '彭埠颐养院P120-B床的杜秀英原定2026年12月7日回院，还没有登记回来，请与家属联系。',
    });
    expect(renderText('LEAVE_OVERDUE', params, 'en').body).toBe(
      'Bed P120-B at 彭埠颐养院: 杜秀英 was due back from leave on 7/12/2026, and no return is recorded. Call the family.',
    );
    expect(smsTemplateParams(params)).toEqual({ facility: '彭埠颐养院', bed: 'P120-B', resident: '杜秀英', date: '2026年12月7日' });
  });

  it('names the senior in a relative’s text', () => {
    expect(renderText('SEAT_CONFIRMED', { course: '太极拳', seniorName: '王秀英' }, 'zh').body).toBe('您的家人王秀英：“太极拳”已录取。');
    expect(renderText('SEAT_CONFIRMED', { course: '太极拳', seniorName: '王秀英' }, 'en').body).toBe('王秀英: a place on “太极拳” is confirmed.');
  });

  it('gives minutes as the pages do: hours, then what is left', () => {
    expect(duration(120, 'zh')).toBe('2小时');
    expect(duration(90, 'zh')).toBe('1小时30分钟');
    expect(duration(45, 'zh')).toBe('45分钟');
    expect(duration(0, 'zh')).toBe('0分钟');
    expect(duration(90, 'en')).toBe('1 h 30 min');
    expect(duration(60, 'en')).toBe('1 h');
    expect(renderText('MINUTES_RECEIVED', { minutes: 120 }, 'zh').body).toBe('您收到2小时。');
    expect(renderText('SERVICE_TO_CONFIRM', { minutes: 60, serviceType: 'COMPANIONSHIP' }, 'zh').body).toBe('志愿者记录了1小时陪伴聊天，请确认。');
    expect(smsTemplateParams({ minutes: 150 })).toEqual({ minutes: '150', duration: '2小时30分钟' });
  });

  it('shows times in Shanghai time', () => {
    expect(shanghaiTime('2026-12-04T06:30:00Z', 'zh')).toBe('12月4日 14:30');
    expect(shanghaiTime('2026-12-04T16:05:00Z', 'en')).toBe('5 Dec 00:05');
  });

  it('passes SMS templates only the few named variables, cut to 20 characters', () => {
    const vars = smsTemplateParams({ ...PARAMS, course: '一门名字非常非常非常非常非常非常长的课程名称' });
    expect(Object.keys(vars).sort()).toEqual([
      'bed',
      'campus',
      'centre',
      'course',
      'date',
      'duration',
      'facility',
      'holder',
      'minutes',
      'reason',
      'resident',
      'service',
      'time',
    ]);
    expect(vars.course?.length).toBe(20);
    expect(vars.service).toBe('打扫卫生');
    expect(vars.reason).toBe('按老人或家人的要求');
    expect(smsTemplateParams({ reason: '老人住院了' })).toEqual({});
    expect(smsTemplateParams({ holder: '等登记的老人', minutes: 20 })).toEqual({ holder: '等登记的老人', minutes: '20', duration: '20分钟' });
  });
});
