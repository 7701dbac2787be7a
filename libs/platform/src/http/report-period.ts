import { CommonError } from './domain-error';

/** The longest period a report or an export covers in one request (a year, leap day included). */
export const REPORT_MAX_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A period of whole Shanghai calendar days and the instants that bound it: [start, end). */
export interface ReportPeriod {
  from: string;
  to: string;
  days: number;
  start: Date;
  end: Date;
}

/** The calendar day (YYYY-MM-DD) in Shanghai at `at`: the district's days, whatever the server's zone. */
export function shanghaiDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * The period of a statement or an export: `from` and `to` (YYYY-MM-DD, both included) as given,
 * or with neither the current month in Shanghai. One end alone, `from` after `to`, or more than
 * 366 days is a 400 VALIDATION_FAILED. The DTO has already checked that each is a real date.
 */
export function reportPeriod(from: string | undefined, to: string | undefined, now = new Date()): ReportPeriod {
  if ((from === undefined) !== (to === undefined)) {
    const missing = from === undefined ? 'from' : 'to';
    throw CommonError.validation('Give both from and to, or neither for the current month.', [
      { field: missing, message: 'is required when the other end is given' },
    ]);
  }
  if (from === undefined || to === undefined) {
    const today = shanghaiDay(now);
    const [year, month] = today.split('-').map(Number);
    from = `${today.slice(0, 7)}-01`;
    to = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  }
  if (from > to) throw CommonError.validation('from must not be after to.', [{ field: 'from', message: 'must not be after to' }]);
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + DAY_MS);
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (days > REPORT_MAX_DAYS) {
    throw CommonError.validation(`The period may cover at most ${REPORT_MAX_DAYS} days.`, [
      { field: 'to', message: `must be at most ${REPORT_MAX_DAYS - 1} days after from` },
    ]);
  }
  return { from, to, days, start, end };
}

/** `2026年12月3日 09:05` in Shanghai time, for files people read. */
export function shanghaiDateTime(at: Date): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}年${get('month')}月${get('day')}日 ${get('hour')}:${get('minute')}`;
}
