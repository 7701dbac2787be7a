import { getLang } from './session';

/** Every time is shown in the district's own time zone, whatever the device says. */
const ZONE = 'Asia/Shanghai';
const ZH_WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Parts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
});
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function partsOf(date: Date): Parts {
  const map: Record<string, string> = {};
  for (const part of partsFormat.formatToParts(date)) map[part.type] = part.value;
  return {
    year: Number(map.year),
    month: Number(map.month),
    day: Number(map.day),
    weekday: SHORT_DAYS.indexOf(map.weekday ?? 'Sun'),
    hour: Number(map.hour) % 24,
    minute: Number(map.minute),
  };
}

/** "上午9:00" / "9:00 am" from hours and minutes. */
export function formatClock(hour: number, minute: number): string {
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const mm = String(minute).padStart(2, '0');
  if (getLang() === 'en') return `${h12}:${mm} ${hour < 12 ? 'am' : 'pm'}`;
  return `${hour < 12 ? '上午' : '下午'}${h12}:${mm}`;
}

function formatDay(p: Pick<Parts, 'year' | 'month' | 'day' | 'weekday'>): string {
  if (getLang() === 'en') return `${EN_WEEKDAYS[p.weekday]} ${p.day} ${EN_MONTHS[p.month - 1]} ${p.year}`;
  return `${p.year}年${p.month}月${p.day}日(星期${ZH_WEEKDAYS[p.weekday]})`;
}

/** 2026年12月3日(星期四)上午9:00 — the date style of docs/quality.md. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const p = partsOf(date);
  return getLang() === 'en' ? `${formatDay(p)}, ${formatClock(p.hour, p.minute)}` : `${formatDay(p)}${formatClock(p.hour, p.minute)}`;
}

/** The time of day of an instant, in the district's zone: 上午9:05 / 9:05 am. */
export function formatTime(value: string): string {
  const p = partsOf(new Date(value));
  return formatClock(p.hour, p.minute);
}

/** 2026年12月3日(星期四) from an ISO date (YYYY-MM-DD) or a time. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const only = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (only) {
    const [year, month, day] = [Number(only[1]), Number(only[2]), Number(only[3])];
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    return formatDay({ year, month, day, weekday });
  }
  return formatDay(partsOf(new Date(value)));
}

/** Course weekday (1 = Monday … 7 = Sunday). */
export function formatWeekday(weekday: number): string {
  const index = weekday % 7;
  return getLang() === 'en' ? `${EN_WEEKDAYS[index]}s` : `每周${ZH_WEEKDAYS[index]}`;
}

/** "14:30" → 下午2:30. */
export function formatTimeOfDay(hhmm: string): string {
  const match = /^(\d{1,2}):(\d{2})/.exec(hhmm);
  if (!match) return hhmm;
  return formatClock(Number(match[1]), Number(match[2]));
}

/** Minutes as hours and minutes: 90 → 1小时30分钟. */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? '−' : '';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  const rest = abs % 60;
  if (getLang() === 'en') {
    const parts = [hours ? `${hours} h` : '', rest || !hours ? `${rest} min` : ''].filter(Boolean);
    return sign + parts.join(' ');
  }
  const parts = [hours ? `${hours}小时` : '', rest || !hours ? `${rest}分钟` : ''].filter(Boolean);
  return sign + parts.join('');
}

export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

/** Today in the district's time zone, as YYYY-MM-DD. */
export function todayIso(): string {
  const p = partsOf(new Date());
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export { zonedIso } from './when';

/** The current time of day in the district's zone, as HH:MM. */
export function nowClock(): string {
  const p = partsOf(new Date());
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
