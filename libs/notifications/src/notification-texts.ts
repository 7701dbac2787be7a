import type { NotificationKind, NotificationParams } from './notification.types';

export type Lang = 'zh' | 'en';

const SERVICE_TYPES: Record<string, { zh: string; en: string }> = {
  COMPANIONSHIP: { zh: '陪伴聊天', en: 'companionship' },
  CLEANING: { zh: '打扫卫生', en: 'cleaning' },
  ESCORT: { zh: '陪同出行', en: 'escort' },
  MEAL_DELIVERY: { zh: '送餐', en: 'meal delivery' },
  SHOPPING: { zh: '代购', en: 'shopping' },
  HEALTH_CHECK: { zh: '上门探访', en: 'home visit' },
  OTHER: { zh: '其他服务', en: 'other service' },
};

/** A time in Shanghai, short: 12月5日 14:00 / 5 Dec 14:00. */
export function shanghaiTime(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const month = Number(parts.month);
  const dayOfMonth = Number(parts.day);
  return lang === 'zh' ? `${month}月${dayOfMonth}日 ${parts.hour}:${parts.minute}` : `${dayOfMonth} ${months[month - 1]} ${parts.hour}:${parts.minute}`;
}

/**
 * Minutes as the pages show them (`formatMinutes` in the web app): 2小时, 1小时30分钟, 45分钟 /
 * 2 h, 1 h 30 min, 45 min, so a message and the balance it points to read alike.
 */
export function duration(minutes: number | undefined, lang: Lang): string {
  const total = Math.max(0, Math.trunc(minutes ?? 0));
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  const [h, m, join] = lang === 'zh' ? ['小时', '分钟', ''] : [' h', ' min', ' '];
  return [hours ? `${hours}${h}` : '', rest || !hours ? `${rest}${m}` : ''].filter(Boolean).join(join);
}

function day(isoDate: string | undefined, lang: Lang): string {
  if (!isoDate || !/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return '';
  const [y, m, d] = isoDate.split('-').map(Number);
  return lang === 'zh' ? `${y}年${m}月${d}日` : `${d}/${m}/${y}`;
}

/** Why staff cancelled a booking, from its code; nothing for a code it does not know, or none. */
const CANCEL_REASONS: Record<string, { zh: string; en: string }> = {
  NO_STAFF: { zh: '当时安排不出人手', en: 'nobody free' },
  NOT_AT_HOME: { zh: '上门时家中无人', en: 'nobody home' },
  ASKED_TO_CANCEL: { zh: '按老人或家人的要求', en: 'as asked' },
  OTHER: { zh: '其他原因', en: 'other reason' },
};

function cancelReason(code: string | undefined, lang: Lang): string {
  const text = code ? CANCEL_REASONS[code]?.[lang] : undefined;
  if (!text) return '';
  return lang === 'zh' ? `（${text}）` : ` (${text})`;
}

function service(type: string | undefined, lang: Lang): string {
  return (type && SERVICE_TYPES[type]?.[lang]) ?? (lang === 'zh' ? '服务' : 'a service');
}

/**
 * The short title and body of a notification in the reader's language. Made from the kind and
 * its few parameters at read time, so nothing but names, times and minutes can ever appear.
 */
export function renderText(kind: NotificationKind, params: NotificationParams, lang: Lang): { title: string; body: string } {
  const zh = lang === 'zh';
  const who = params.seniorName ? (zh ? `您的家人${params.seniorName}：` : `${params.seniorName}: `) : '';
  const course = params.course ?? '';
  // A senior's own request, or, to a relative, the senior's: 您… / 您的家人王秀英：…; your / the.
  const yours = who || (zh ? '您' : '');
  const your = who ? 'the' : 'your';
  const lead = (text: string): string => (who ? `${who}${text}` : `${text.charAt(0).toUpperCase()}${text.slice(1)}`);
  const when = shanghaiTime(params.at, lang);
  const what = service(params.serviceType, lang);
  const amount = duration(params.minutes, lang);
  switch (kind) {
    case 'SEAT_CONFIRMED':
      return zh ? { title: '报名成功', body: `${who}“${course}”已录取。` } : { title: 'Place confirmed', body: lead(`a place on “${course}” is confirmed.`) };
    case 'SEAT_WAITLISTED':
      return zh
        ? { title: '已进入候补', body: `${who}“${course}”已满，已排入候补名单。` }
        : { title: 'On the waiting list', body: `${who}“${course}” is full; on the waiting list.` };
    case 'SEAT_PROMOTED':
      return zh
        ? { title: '候补转正', body: `${who}“${course}”有空位，已从候补转为录取。` }
        : { title: 'Place confirmed', body: lead(`a place on “${course}” came free and is now confirmed.`) };
    case 'SEAT_REJECTED':
      return zh
        ? { title: '未能录取', body: `${who}“${course}”未能录取，详情请查看报名记录。` }
        : { title: 'Not admitted', body: `${who}“${course}” could not be given; see the application.` };
    case 'SEAT_CANCELLED':
      return zh
        ? { title: '报名已取消', body: `${who}“${course}”的报名已被取消，原因请查看报名记录。` }
        : { title: 'Application cancelled', body: lead(`the application for “${course}” was cancelled; see it for why.`) };
    case 'COURSE_MOVED':
      return zh
        ? { title: '上课地点有变', body: `${who}“${course}”改到${params.campus ?? ''}上课，请按新地点去上课。` }
        : { title: 'The class moves', body: lead(`“${course}” now meets at ${params.campus ?? ''}.`) };
    case 'MAY_REAPPLY':
      return zh
        ? { title: '可以再报名', body: `${who}有一门课停开了，之前没能录取的“${course}”现在可以再报名。` }
        : { title: 'You may apply again', body: lead(`a course was cancelled, so “${course}”, refused before, may now be applied for again.`) };
    case 'BED_OFFERED':
      return zh
        ? {
            title: '床位已为您保留',
            body: `${who}${params.facility ?? ''}${params.bed ?? ''}床位保留至${shanghaiTime(params.at, lang)}，请尽快联系机构办理入住。`,
          }
        : {
            title: 'A bed is held for you',
            body: lead(`bed ${params.bed ?? ''} at ${params.facility ?? ''} is held until ${shanghaiTime(params.at, lang)}. Contact the home to move in.`),
          };
    case 'HOLD_EXPIRING':
      return zh
        ? { title: '床位保留即将到期', body: `${who}${params.facility ?? ''}的床位保留将于${shanghaiTime(params.at, lang)}到期。` }
        : { title: 'Bed hold ends soon', body: lead(`the bed held at ${params.facility ?? ''} is released at ${shanghaiTime(params.at, lang)}.`) };
    case 'BED_TRANSFERRED':
      return zh
        ? { title: '床位有调整', body: `${who || '您的'}床位已调整到${params.facility ?? ''}${params.bed ?? ''}床${who ? '，探望时请到新床位' : ''}。` }
        : { title: 'Bed changed', body: lead(`${your} bed is now ${params.bed ?? ''} at ${params.facility ?? ''}.${who ? ' Visit there from now on.' : ''}`) };
    case 'LEAVE_OVERDUE':
      return zh
        ? {
            title: '住户请假逾期未归',
            body: `${params.facility ?? ''}${params.bed ?? ''}床的${params.resident ?? ''}原定${day(params.expectedOn, lang)}回院，还没有登记回来，请与家属联系。`,
          }
        : {
            title: 'Overdue back from leave',
            body: `Bed ${params.bed ?? ''} at ${params.facility ?? ''}: ${params.resident ?? ''} was due back from leave on ${day(params.expectedOn, lang)}, and no return is recorded. Call the family.`,
          };
    case 'REQUEST_CLAIMED':
      return zh
        ? { title: '志愿者已接单', body: `${yours}${when}的${what}需求已有志愿者接单。` }
        : { title: 'A volunteer is coming', body: lead(`a volunteer took ${your} request for ${what} at ${when}.`) };
    case 'REQUEST_EXPIRED':
      return zh
        ? { title: '求助没有志愿者接单', body: `${yours}${when}的${what}需求没有志愿者接单，已经关闭。如果还需要，请重新发布。` }
        : {
            title: 'No volunteer took the request',
            body: lead(`nobody took ${your} request for ${what} at ${when}, so it is closed. Ask again if help is still needed.`),
          };
    case 'REQUEST_CANCELLED':
      return zh
        ? { title: '求助已取消', body: `老人取消了${when}的${what}求助，您不用去了。谢谢您！` }
        : {
            title: 'Request cancelled',
            body: `The senior cancelled the request for ${what} at ${when}; you need not go. Thank you!`,
          };
    case 'REQUEST_CANCELLED_LATE':
      return zh
        ? { title: '求助已关闭', body: `老人关闭了${when}的${what}求助。如果您去服务过，请登记这次服务，老人确认后存入时间。` }
        : {
            title: 'Request closed',
            body: `The senior closed the request for ${what} at ${when}. If you did go, log it: it is banked once they confirm.`,
          };
    case 'REQUEST_RELEASED':
      return zh
        ? { title: '志愿者来不了了', body: `${yours}${when}的${what}需求，原来接单的志愿者来不了了。求助已重新发出，其他志愿者可以接单。` }
        : { title: 'The volunteer cannot come', body: lead(`the volunteer for ${your} ${what} request at ${when} cannot come. It is open again for others.`) };
    case 'REQUEST_RELEASED_LATE':
      return zh
        ? { title: '志愿者没能来', body: `${yours}${when}的${what}求助，接单的志愿者没能来。时间已过，求助已关闭；如还需要帮忙，请再发一个求助。` }
        : {
            title: 'The volunteer could not come',
            body: lead(`the volunteer for ${your} ${what} request at ${when} could not come. It is closed; ask again if needed.`),
          };
    case 'REQUEST_UNREPORTED':
      return zh
        ? {
            title: '服务做完了吗？',
            body: `您接的${when}的${what}求助还没有登记。做完了请点“服务做完了”，没去成请点“我去不了了”。`,
          }
        : {
            title: 'Did the service happen?',
            body: `The ${what} you took for ${when} is not reported. Tap “Service done”, or “I cannot go” if you did not go.`,
          };
    case 'SERVICE_TO_CONFIRM':
      return zh
        ? { title: '请确认服务', body: `志愿者记录了${amount}${service(params.serviceType, lang)}，请确认。` }
        : {
            title: 'Please confirm a service',
            body: `A volunteer recorded ${amount} of ${service(params.serviceType, lang)}. Please confirm.`,
          };
    case 'SERVICE_UNCONFIRMED':
      return zh
        ? {
            title: '有服务还在等确认',
            body: who
              ? `${who}志愿者登记的${when}${what}（${amount}）还在等确认。问过老人后，可以在“我的家人”里代为确认。`
              : `志愿者登记的${when}${what}（${amount}）还在等您确认。做了请确认，时间才存进志愿者的账户；没有这回事也请说一声。`,
          }
        : {
            title: 'A service still waits',
            body: who
              ? `${who}the ${what} of ${when} (${amount}) still waits. Ask them, then confirm it under My family.`
              : `The ${what} of ${when} (${amount}) still waits for you. Confirm it to bank the time, or say it did not happen.`,
          };
    case 'SERVICE_REJECTED':
      return zh
        ? { title: '老人说服务没有做', body: `您登记的${when}${what}（${amount}），老人说没有这回事，不存时间。点开可以看老人的说明。` }
        : {
            title: 'A service was turned down',
            body: `The senior says the ${what} you logged for ${when} (${amount}) did not happen; no time is banked. Open it for why.`,
          };
    case 'SERVICE_REVIEW_REQUESTED':
      return zh
        ? {
            title: '有志愿服务等待复核',
            body: `老人说${when}的${what}（${amount}）没有做，志愿者申请了复核。请问清楚后在“复核志愿服务”里决定。`,
          }
        : {
            title: 'A service awaits review',
            body: `The senior says the ${what} of ${when} (${amount}) did not happen; the volunteer asks for a review.`,
          };
    case 'SERVICE_REVIEW_CONFIRMED':
      return zh
        ? { title: '复核结果：服务已确认', body: `您登记的${when}${what}（${amount}）经工作人员复核，已确认，时间已存入。` }
        : {
            title: 'Reviewed: service confirmed',
            body: `Staff reviewed the ${what} you logged for ${when} (${amount}) and confirmed it; the time is banked.`,
          };
    case 'SERVICE_REVIEW_UPHELD':
      return zh
        ? {
            title: '复核结果：维持老人的说法',
            body: `您登记的${when}${what}（${amount}）经工作人员复核，维持老人的说法，不存时间。点开可以看说明。`,
          }
        : {
            title: 'Reviewed: turned down',
            body: `Staff reviewed the ${what} you logged for ${when} (${amount}) and upheld the senior's word. Open it for why.`,
          };
    case 'SERVICE_CONFIRMED_ON_REVIEW':
      return zh
        ? { title: '服务经复核已确认', body: `志愿者登记的${when}${what}（${amount}），您说没有做；工作人员复核后确认了。点开可以看说明。` }
        : {
            title: 'Service confirmed on review',
            body: `You said the ${what} of ${when} (${amount}) did not happen; staff reviewed it and confirmed it. Open it for why.`,
          };
    case 'BOOKING_CANCELLED':
      return zh
        ? {
            title: '预约的服务已取消',
            body: `${yours}${when}用时间预约的${what}，工作人员已取消${cancelReason(params.reason, lang)}，${amount}已退回账户。`,
          }
        : {
            title: 'Booked service cancelled',
            body: lead(`staff cancelled ${your} booking for ${what} at ${when}${cancelReason(params.reason, lang)}; ${amount} returned to the account.`),
          };
    case 'BOOKING_UNSETTLED':
      return zh
        ? {
            title: '预约的服务待登记',
            body: `${params.holder ?? ''}${when}用时间预约的${what}（${amount}）过了一天还没有登记：做了请登记，没做请取消并说明原因。`,
          }
        : {
            title: 'Booked service to settle',
            body: `Not settled a day on: the ${what} ${params.holder ?? 'a senior'} booked for ${when} (${amount}). Record it as given, or cancel it.`,
          };
    case 'MINUTES_RECEIVED':
      return zh ? { title: '时间银行到账', body: `您收到${amount}。` } : { title: 'Minutes received', body: `Your time bank received ${amount}.` };
    case 'CONTRACT_ENDING':
      return zh
        ? { title: '运营合同即将到期', body: `${params.centre ?? ''}的运营合同于${day(params.endsOn, lang)}到期。` }
        : { title: 'Operator contract ends soon', body: `The operator contract of ${params.centre ?? ''} ends on ${day(params.endsOn, lang)}.` };
  }
}

/** The variables of an SMS template: the same few parameters, as short strings (Chinese). */
export function smsTemplateParams(params: NotificationParams): Record<string, string> {
  const out: Record<string, string> = {};
  const cut = (value: string): string => (value.length > 20 ? `${value.slice(0, 19)}…` : value);
  if (params.seniorName) out.name = cut(params.seniorName);
  if (params.holder) out.holder = cut(params.holder);
  if (params.course) out.course = cut(params.course);
  if (params.campus) out.campus = cut(params.campus);
  if (params.facility) out.facility = cut(params.facility);
  if (params.bed) out.bed = cut(params.bed);
  if (params.centre) out.centre = cut(params.centre);
  if (params.serviceType) out.service = service(params.serviceType, 'zh');
  if (params.minutes !== undefined) out.minutes = String(params.minutes);
  if (params.minutes !== undefined) out.duration = duration(params.minutes, 'zh');
  if (params.at) out.time = shanghaiTime(params.at, 'zh');
  if (params.resident) out.resident = cut(params.resident);
  const date = params.endsOn ?? params.expectedOn;
  if (date) out.date = day(date, 'zh');
  const reason = params.reason ? CANCEL_REASONS[params.reason]?.zh : undefined;
  if (reason) out.reason = reason;
  return out;
}

/** `en` when the reader asked for English first, else Chinese. */
export function langOf(acceptLanguage: string | undefined): Lang {
  return acceptLanguage && /^\s*en\b/i.test(acceptLanguage) ? 'en' : 'zh';
}
