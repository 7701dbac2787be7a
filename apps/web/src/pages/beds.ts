import { api, apiAll, openStream } from '../api';
import { byId, html, type SafeHtml, setContent } from '../dom';
import { type Field, type Option, runWizard, simpleForm, storedAnswers, type Values, type Wizard } from '../forms';
import { formatDate, formatDateTime, formatPercent } from '../format';
import { label, t } from '../i18n';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser, hasRole } from '../session';
import { cleanPhone, idNumberProblem, phoneProblem, uuidProblem } from '../validation';

export type BedStatus = 'AVAILABLE' | 'RESERVED' | 'OCCUPIED' | 'CLEANING' | 'MAINTENANCE';
export const BED_STATUSES: BedStatus[] = ['AVAILABLE', 'RESERVED', 'OCCUPIED', 'CLEANING', 'MAINTENANCE'];
const CARE_LEVELS = ['SELF_CARE', 'ASSISTED', 'NURSING'];
const PRIORITY_REASONS = ['HARDSHIP', 'LIVING_ALONE', 'AGE_80_PLUS', 'DISABILITY'];

export interface Bed {
  id: string;
  facilityId: string;
  code: string;
  room: string;
  floor: number;
  careLevel: string;
  status: BedStatus;
  version: number;
  residentId: string | null;
  holdExpiresAt: string | null;
  updatedAt: string;
}

export interface Facility {
  id: string;
  name: string;
  kind: 'NURSING_HOME' | 'REHAB_HOSPITAL' | 'CARE_CENTRE';
  street: string;
  totalBeds: number;
  occupancy: Record<BedStatus, number>;
}

interface Resident {
  id: string;
  name: string;
  idCardNumberMasked: string;
  birthDate: string;
  careLevel: string;
  bedId: string | null;
}

interface WaitlistEntry {
  id: string;
  residentId: string;
  careLevel: string;
  priorityReasons: string[];
  priorityScore: number;
  position: number | null;
  status: string;
  offeredBedId: string | null;
  createdAt: string;
}

/** Each status has its own symbol as well as its colour, so it never depends on colour alone. */
export const STATUS_SYMBOL: Record<BedStatus, string> = { AVAILABLE: '○', RESERVED: '◐', OCCUPIED: '●', CLEANING: '◇', MAINTENANCE: '✕' };

type Action = 'hold' | 'admit' | 'release' | 'discharge' | 'transfer' | 'cleaned' | 'maintenance' | 'reopen';
const ACTIONS_FROM: Record<BedStatus, Action[]> = {
  AVAILABLE: ['admit', 'hold', 'maintenance'],
  RESERVED: ['admit', 'release'],
  OCCUPIED: ['discharge', 'transfer'],
  CLEANING: ['cleaned'],
  MAINTENANCE: ['reopen'],
};
const RESULT: Record<Action, BedStatus> = {
  hold: 'RESERVED',
  admit: 'OCCUPIED',
  release: 'AVAILABLE',
  discharge: 'CLEANING',
  transfer: 'CLEANING',
  cleaned: 'AVAILABLE',
  maintenance: 'MAINTENANCE',
  reopen: 'AVAILABLE',
};

export function statusText(status: BedStatus): SafeHtml {
  return html`<span class="bed-status"><span class="status-symbol" aria-hidden="true">${STATUS_SYMBOL[status]}</span> ${label('bedStatus', status)}</span>`;
}

async function facilities(signal?: AbortSignal): Promise<Facility[]> {
  const all = await apiAll<Facility>('/facilities', signal);
  const user = currentUser();
  return hasRole('ADMIN') ? all : all.filter((facility) => user?.facilityIds.includes(facility.id));
}

async function residentsById(ids: string[], signal?: AbortSignal): Promise<Map<string, Resident>> {
  const found = new Map<string, Resident>();
  const queue = [...new Set(ids)];
  // A few at a time: a full home has hundreds of residents and the page should not flood the API.
  const workers = Array.from({ length: 6 }, async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        found.set(id, await api<Resident>(`/residents/${id}`, { signal }));
      } catch {
        // Not visible any more (moved to another facility): shown by number only.
      }
    }
  });
  await Promise.all(workers);
  return found;
}

async function facilitiesPage(ctx: PageContext): Promise<void> {
  const list = await facilities(ctx.signal);
  renderPage(
    ctx,
    t('facilities.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('facilities.title')}</h1>
      ${list.length === 0 ? html`<p>${t('facilities.none')}</p>` : ''}
      <ul class="cards">${list.map((facility) =>
        facility.kind === 'CARE_CENTRE'
          ? html`<li class="card"><h2 class="card-title">${facility.name}</h2><p>${label('facilityKind', facility.kind)} · ${facility.street}</p>
              <div class="button-group"><a class="button button--primary" href="/care-centres/${facility.id}">${t('facilities.centre')}<span class="visually-hidden">：${facility.name}</span></a></div></li>`
          : html`<li class="card"><h2 class="card-title">${facility.name}</h2><p>${label('facilityKind', facility.kind)} · ${facility.street}</p>
              <p>${t('board.occupancyLine', { occupied: facility.occupancy.OCCUPIED, total: facility.totalBeds, available: facility.occupancy.AVAILABLE })}</p>
              <div class="button-group"><a class="button button--primary" href="/facilities/${facility.id}">${t('facilities.board')}<span class="visually-hidden">：${facility.name}</span></a>
              <a class="button button--secondary" href="/facilities/${facility.id}/residents">${t('facilities.residents')}<span class="visually-hidden">：${facility.name}</span></a>
              <a class="button button--secondary" href="/facilities/${facility.id}/waitlist">${t('facilities.waitlist')}<span class="visually-hidden">：${facility.name}</span></a></div></li>`,
      )}</ul>`,
  );
}

function bedCard(bed: Bed): SafeHtml {
  return html`<li><a class="bed bed--${bed.status}" href="/beds/${bed.id}" data-bed-id="${bed.id}" data-status="${bed.status}">
    <span class="bed-code">${bed.code}</span>${statusText(bed.status)}<span class="bed-level">${label('careLevel', bed.careLevel)}</span></a></li>`;
}

function countByStatus(beds: Iterable<Bed>): Record<BedStatus, number> {
  const counts: Record<BedStatus, number> = { AVAILABLE: 0, RESERVED: 0, OCCUPIED: 0, CLEANING: 0, MAINTENANCE: 0 };
  for (const bed of beds) counts[bed.status] += 1;
  return counts;
}

/** Occupancy figures with a bar per status; every bar carries its number and name in text. */
export function statusBars(counts: Record<BedStatus, number>, total: number): SafeHtml {
  return html`<ul class="bars">${BED_STATUSES.map((status) => {
    const share = total > 0 ? counts[status] / total : 0;
    return html`<li class="bar-row"><span class="bar-label">${statusText(status)}</span><span class="bar-track" aria-hidden="true"><svg class="bar-svg" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false"><rect class="bar-fill bar-fill--${status}" x="0" y="0" height="10" width="${(share * 100).toFixed(2)}"></rect></svg></span><span class="bar-value" data-count="${status}">${counts[status]}</span></li>`;
  })}</ul>`;
}

function boardFigures(beds: Map<string, Bed>): SafeHtml {
  const counts = countByStatus(beds.values());
  const total = beds.size;
  return html`<div class="figures">
      <div class="figure figure--main"><p class="figure-label">${t('board.rate')}</p><p class="figure-value" id="occupancy-rate">${formatPercent(total ? counts.OCCUPIED / total : 0)}</p></div>
      <div class="figure"><p class="figure-label">${t('board.total')}</p><p class="figure-value">${total}</p></div>
      <div class="figure"><p class="figure-label">${label('bedStatus', 'AVAILABLE')}</p><p class="figure-value" id="available-count">${counts.AVAILABLE}</p></div>
    </div>${statusBars(counts, total)}`;
}

function floorsMarkup(beds: Bed[]): SafeHtml {
  const floors = new Map<number, Map<string, Bed[]>>();
  for (const bed of beds) {
    const rooms = floors.get(bed.floor) ?? new Map<string, Bed[]>();
    rooms.set(bed.room, [...(rooms.get(bed.room) ?? []), bed]);
    floors.set(bed.floor, rooms);
  }
  const ordered = [...floors.entries()].sort((a, b) => a[0] - b[0]);
  return html`${ordered.length > 1 ? html`<nav aria-label="${t('board.floors')}" class="floor-nav"><ul>${ordered.map(([floor]) => html`<li><a href="#floor-${floor}">${t('board.floor', { floor })}</a></li>`)}</ul></nav>` : ''}
    ${ordered.map(
      ([floor, rooms]) => html`<section class="floor" aria-labelledby="floor-${floor}"><h2 id="floor-${floor}" tabindex="-1">${t('board.floor', { floor })}</h2>
        ${[...rooms.entries()]
          .sort((a, b) => a[0].localeCompare(b[0], 'zh-CN', { numeric: true }))
          .map(([room, list]) => html`<div class="room"><h3>${t('board.room', { room })}</h3><ul class="beds">${list.sort((a, b) => a.code.localeCompare(b.code, 'zh-CN', { numeric: true })).map(bedCard)}</ul></div>`)}
      </section>`,
    )}`;
}

async function boardPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const [list, beds] = await Promise.all([facilities(ctx.signal), apiAll<Bed>(`/facilities/${id}/beds`, ctx.signal)]);
  const facility = list.find((f) => f.id === id);
  const byBed = new Map(beds.map((bed) => [bed.id, bed]));
  renderPage(
    ctx,
    `${t('board.title')} - ${facility?.name ?? ''}`,
    html`<p><a class="back-link" href="/facilities">${t('facilities.title')}</a></p>
      <p class="caption">${facility?.name ?? ''}</p>
      <h1>${t('board.title')}</h1>
      <div class="button-group"><a class="button button--secondary" href="/facilities/${id}/residents">${t('facilities.residents')}</a><a class="button button--secondary" href="/facilities/${id}/waitlist">${t('facilities.waitlist')}</a></div>
      <h2>${t('board.figures')}</h2>
      <div id="board-figures">${boardFigures(byBed)}</div>
      <p class="meta"><span id="board-live">${t('board.liveOn')}</span></p>
      <div class="visually-hidden" aria-live="polite" id="board-announce"></div>
      <p class="hint">${t('board.hint')}</p>
      <div id="board-floors">${floorsMarkup(beds)}</div>`,
  );
  let connectedOnce = false;
  const updateBed = (bed: Bed): void => {
    const known = byBed.get(bed.id);
    if (known && known.version > bed.version) return;
    byBed.set(bed.id, bed);
    const card = ctx.main.querySelector(`[data-bed-id="${bed.id}"]`)?.parentElement;
    if (card) card.outerHTML = bedCard(bed).value;
    const figures = byId('board-figures');
    if (figures) setContent(figures, boardFigures(byBed));
    const announce = byId('board-announce');
    if (announce && known?.status !== bed.status) announce.textContent = t('board.changed', { code: bed.code, status: label('bedStatus', bed.status) });
  };
  openStream(
    `/facilities/${id}/bed-events`,
    {
      onEvent: (event) => {
        if (event.event !== 'bed' && event.event !== 'message') return;
        try {
          updateBed(JSON.parse(event.data) as Bed);
        } catch {
          // Not a bed: ignore.
        }
      },
      onOpen: () => {
        // After a dropped connection, reload the beds so a change made meanwhile is not missed.
        if (connectedOnce) void apiAll<Bed>(`/facilities/${id}/beds`, ctx.signal).then((fresh) => fresh.forEach(updateBed)).catch(() => undefined);
        connectedOnce = true;
      },
      onState: (connected) => {
        const state = byId('board-live');
        if (state) state.textContent = connected ? t('board.liveOn') : t('board.liveOff');
      },
    },
    ctx.signal,
  );
}

interface BedEvent {
  at: string;
  action: string;
  fromStatus: BedStatus | null;
  toStatus: BedStatus;
  residentId: string | null;
  reason: string | null;
}

async function bedPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const [bed, history] = await Promise.all([api<Bed>(`/beds/${id}`, { signal: ctx.signal }), api<{ items: BedEvent[]; total: number }>(`/beds/${id}/history?limit=200`, { signal: ctx.signal })]);
  const residents = await residentsById([bed.residentId, ...history.items.map((e) => e.residentId)].filter((r): r is string => !!r), ctx.signal);
  const resident = bed.residentId ? residents.get(bed.residentId) : undefined;
  const events = [...history.items].reverse();
  renderPage(
    ctx,
    t('bed.title', { code: bed.code }),
    html`<p><a class="back-link" href="/facilities/${bed.facilityId}">${t('board.title')}</a></p>
      <h1>${t('bed.title', { code: bed.code })}</h1>
      <div class="status-panel status-panel--bed bed--${bed.status}"><p class="status-headline">${statusText(bed.status)}</p></div>
      <dl class="facts">
        <div><dt>${t('bed.place')}</dt><dd>${t('board.floor', { floor: bed.floor })} · ${t('board.room', { room: bed.room })}</dd></div>
        <div><dt>${t('field.careLevel')}</dt><dd>${label('careLevel', bed.careLevel)}</dd></div>
        ${bed.residentId ? html`<div><dt>${t('bed.resident')}</dt><dd>${resident ? `${resident.name}（${resident.idCardNumberMasked}）` : bed.residentId}</dd></div>` : ''}
        ${bed.holdExpiresAt ? html`<div><dt>${t('bed.holdUntil')}</dt><dd>${formatDateTime(bed.holdExpiresAt)}</dd></div>` : ''}
        <div><dt>${t('bed.updated')}</dt><dd>${formatDateTime(bed.updatedAt)}</dd></div>
      </dl>
      <h2>${t('bed.actions')}</h2>
      <div class="button-group button-group--stack">${ACTIONS_FROM[bed.status].map(
        (action, index) => html`<a class="button ${index === 0 ? 'button--primary' : 'button--secondary'}" href="/beds/${bed.id}/${action}/${firstStep(action)}">${t(`action.${action}`)}</a>`,
      )}</div>
      <h2>${t('bed.history')}</h2>
      <ol class="history">${events.map(
        (event) => html`<li class="history-item"><p class="history-what">${label('bedAction', event.action)}: ${event.fromStatus ? html`${label('bedStatus', event.fromStatus)} → ` : ''}${label('bedStatus', event.toStatus)}</p>
          <p class="meta">${formatDateTime(event.at)}${event.residentId ? ` · ${residents.get(event.residentId)?.name ?? ''}` : ''}${event.reason ? ` · ${event.reason}` : ''}</p></li>`,
      )}</ol>`,
  );
}

function firstStep(action: Action): string {
  switch (action) {
    case 'hold':
    case 'admit':
      return 'resident';
    case 'release':
    case 'discharge':
    case 'maintenance':
      return 'reason';
    case 'transfer':
      return 'to-bed';
    case 'cleaned':
    case 'reopen':
      return 'check';
  }
}

function isAction(value: string): value is Action {
  return ['hold', 'admit', 'release', 'discharge', 'transfer', 'cleaned', 'maintenance', 'reopen'].includes(value);
}

/** A bed action as a short wizard: the one answer it needs, then "check your answers", then the move. */
async function bedActionPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const action = ctx.params.action ?? '';
  if (!isAction(action)) return navigate(`/beds/${id}`, { replace: true });
  const bed = await api<Bed>(`/beds/${id}`, { signal: ctx.signal });
  if (!ACTIONS_FROM[bed.status].includes(action)) {
    flash(t('bed.notNow', { status: label('bedStatus', bed.status) }));
    return navigate(`/beds/${id}`, { replace: true });
  }
  const base = `/beds/${id}/${action}`;
  const steps: Wizard['steps'] = [];
  const names = new Map<string, string>();
  let bedOptions: Option[] = [];
  if (action === 'hold' || action === 'admit') {
    const waitlist = bed.status === 'RESERVED' ? [] : await apiAll<WaitlistEntry>(`/facilities/${bed.facilityId}/waitlist`, ctx.signal).catch(() => []);
    const candidates = bed.status === 'RESERVED' && bed.residentId ? [bed.residentId] : [...waitlist.filter((e) => e.status === 'WAITING' || e.status === 'OFFERED').map((e) => e.residentId)];
    const fromQuery = ctx.query.get('residentId') ?? storedAnswers(`bed.${id}.${action}`).residentId;
    if (typeof fromQuery === 'string' && fromQuery && bed.status !== 'RESERVED') candidates.unshift(fromQuery);
    const residents = await residentsById(candidates, ctx.signal);
    const options: Option[] = [...new Set(candidates)]
      .map((rid) => residents.get(rid))
      .filter((r): r is Resident => !!r && !r.bedId)
      .map((r) => {
        names.set(r.id, r.name);
        const entry = waitlist.find((e) => e.residentId === r.id);
        return { value: r.id, label: r.name, hint: `${label('careLevel', r.careLevel)} · ${r.idCardNumberMasked}${entry?.position ? ` · ${t('waitlist.position', { n: entry.position })}` : ''}` };
      });
    steps.push({
      id: 'resident',
      intro: html`${options.length === 0 ? html`<p>${t('bedAction.noResidents')}</p>` : ''}<p><a href="/facilities/${bed.facilityId}/residents/new?then=${encodeURIComponent(`${base}/resident`)}">${t('bedAction.newResident')}</a></p>`,
      fields: [{ name: 'residentId', label: t(action === 'hold' ? 'bedAction.qHoldFor' : 'bedAction.qAdmit'), type: 'radio', options }],
    });
  }
  if (action === 'release' || action === 'discharge' || action === 'maintenance') {
    steps.push({ id: 'reason', fields: [{ name: 'reason', label: t(`bedAction.qReason.${action}`), type: 'textarea', validate: (v) => (v.length > 200 ? t('form.tooLong', { max: 200 }) : null) }] });
  }
  if (action === 'transfer') {
    const free = await apiAll<Bed>(`/facilities/${bed.facilityId}/beds?status=AVAILABLE`, ctx.signal);
    bedOptions = free.map((b) => ({ value: b.id, label: `${b.code}（${t('board.floor', { floor: b.floor })} ${t('board.room', { room: b.room })}，${label('careLevel', b.careLevel)}）` }));
    steps.push({ id: 'to-bed', fields: [{ name: 'toBedId', label: t('bedAction.qTransfer'), type: 'select', options: [{ value: '', label: t('form.selectOne') }, ...bedOptions] }] });
  }
  const resident = bed.residentId ? (await residentsById([bed.residentId], ctx.signal)).get(bed.residentId) : undefined;
  const wizard: Wizard = {
    key: `bed.${id}.${action}`,
    base,
    title: t(`action.${action}`),
    backHref: `/beds/${id}`,
    initial: ctx.query.get('residentId') ? { residentId: ctx.query.get('residentId') ?? '' } : bed.status === 'RESERVED' && bed.residentId ? { residentId: bed.residentId } : {},
    steps,
    checkHeading: t('wizard.checkHeading'),
    summary: (v: Values) => [
      { label: t('bedAction.bed'), value: `${bed.code}（${t('board.floor', { floor: bed.floor })} ${t('board.room', { room: bed.room })}）` },
      { label: t('bedAction.now'), value: statusText(bed.status) },
      { label: t('bedAction.after'), value: statusText(RESULT[action]) },
      ...(resident && !v.residentId ? [{ label: t('bed.resident'), value: resident.name }] : []),
      ...(v.residentId ? [{ label: t('bed.resident'), value: names.get(String(v.residentId)) ?? String(v.residentId), step: 'resident' }] : []),
      ...(v.reason ? [{ label: t('bedAction.reason'), value: String(v.reason), step: 'reason' }] : []),
      ...(v.toBedId ? [{ label: t('bedAction.toBed'), value: bedOptions.find((o) => o.value === v.toBedId)?.label ?? '', step: 'to-bed' }] : []),
    ],
    submitLabel: t(`action.confirm.${action}`),
    warning: action === 'discharge' || action === 'maintenance',
    submit: async (v) => {
      const body = action === 'hold' || action === 'admit' ? { residentId: v.residentId } : action === 'transfer' ? { toBedId: v.toBedId } : v.reason ? { reason: v.reason } : undefined;
      await api(`/beds/${id}/${action}`, { method: 'POST', body: body ?? {}, headers: { 'If-Match': `"${bed.version}"` } });
      return { to: `/beds/${id}`, message: t('bedAction.done', { code: bed.code, status: label('bedStatus', RESULT[action]) }) };
    },
  };
  runWizard(ctx, wizard);
}

async function residentsPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const [list, beds] = await Promise.all([facilities(ctx.signal), apiAll<Bed>(`/facilities/${id}/beds`, ctx.signal)]);
  const facility = list.find((f) => f.id === id);
  const withResident = beds.filter((bed) => bed.residentId).sort((a, b) => a.code.localeCompare(b.code, 'zh-CN', { numeric: true }));
  const residents = await residentsById(withResident.map((bed) => bed.residentId ?? ''), ctx.signal);
  renderPage(
    ctx,
    `${t('facilities.residents')} - ${facility?.name ?? ''}`,
    html`<p><a class="back-link" href="/facilities/${id}">${t('board.title')}</a></p>
      <p class="caption">${facility?.name ?? ''}</p>
      <h1>${t('facilities.residents')}</h1>
      <div class="button-group"><a class="button button--primary" href="/facilities/${id}/residents/new">${t('bedAction.newResident')}</a></div>
      ${withResident.length === 0 ? html`<p>${t('residents.none')}</p>` : ''}
      <ul class="cards">${withResident.map((bed) => {
        const r = residents.get(bed.residentId ?? '');
        return html`<li class="card"><h2 class="card-title">${r?.name ?? bed.residentId}</h2><dl class="facts">
          <div><dt>${t('bedAction.bed')}</dt><dd><a href="/beds/${bed.id}">${bed.code}</a> · ${statusText(bed.status)}</dd></div>
          ${r ? html`<div><dt>${t('field.careLevel')}</dt><dd>${label('careLevel', r.careLevel)}</dd></div><div><dt>${t('field.birthDate')}</dt><dd>${formatDate(r.birthDate)}</dd></div><div><dt>${t('field.idNumber')}</dt><dd>${r.idCardNumberMasked}</dd></div>` : ''}
        </dl></li>`;
      })}</ul>`,
  );
}

function newResidentPage(ctx: PageContext): void {
  const id = ctx.params.id ?? '';
  const then = ctx.query.get('then');
  const fields: Field[] = [
    { name: 'name', label: t('field.name'), type: 'text', width: 'medium', validate: (v) => (v.length > 60 ? t('form.tooLong', { max: 60 }) : null) },
    { name: 'idCardNumber', label: t('field.idNumber'), hint: t('resident.idHint'), type: 'text', width: 'medium', autocomplete: 'off', validate: idNumberProblem },
    { name: 'careLevel', label: t('field.careLevel'), type: 'radio', options: CARE_LEVELS.map((value) => ({ value, label: label('careLevel', value) })) },
    { name: 'contactName', label: t('resident.contactName'), type: 'text', width: 'medium' },
    { name: 'contactRelation', label: t('resident.contactRelation'), hint: t('resident.relationHint'), type: 'text', width: 'medium' },
    { name: 'contactPhone', label: t('resident.contactPhone'), type: 'tel', width: 'medium', validate: phoneProblem },
  ];
  simpleForm(ctx, {
    title: t('resident.newTitle'),
    before: html`<p><a class="back-link" href="${then && then.startsWith('/') ? then : `/facilities/${id}/residents`}">${t('nav.back')}</a></p>`,
    intro: html`<p>${t('resident.intro')}</p>`,
    fields,
    submitLabel: t('resident.submit'),
    onSubmit: async (v) => {
      const resident = await api<Resident>('/residents', {
        method: 'POST',
        body: {
          name: v.name,
          idCardNumber: String(v.idCardNumber).toUpperCase(),
          careLevel: v.careLevel,
          facilityId: id,
          emergencyContacts: [{ name: v.contactName, relation: v.contactRelation, phone: cleanPhone(String(v.contactPhone)) }],
        },
      });
      flash(t('resident.done', { name: resident.name }));
      if (then && then.startsWith('/')) return navigate(`${then}?residentId=${resident.id}`);
      navigate(`/facilities/${id}/waitlist/new?residentId=${resident.id}`);
    },
  });
}

async function waitlistPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const [list, entries] = await Promise.all([facilities(ctx.signal), apiAll<WaitlistEntry>(`/facilities/${id}/waitlist`, ctx.signal)]);
  const facility = list.find((f) => f.id === id);
  const residents = await residentsById(entries.map((e) => e.residentId), ctx.signal);
  renderPage(
    ctx,
    `${t('facilities.waitlist')} - ${facility?.name ?? ''}`,
    html`<p><a class="back-link" href="/facilities/${id}">${t('board.title')}</a></p>
      <p class="caption">${facility?.name ?? ''}</p>
      <h1>${t('facilities.waitlist')}</h1>
      <p>${t('waitlist.intro')}</p>
      <div class="button-group"><a class="button button--primary" href="/facilities/${id}/residents/new">${t('waitlist.add')}</a></div>
      ${entries.length === 0 ? html`<p>${t('waitlist.none')}</p>` : ''}
      <ol class="cards">${entries.map(
        (entry) => html`<li class="card"><h2 class="card-title">${entry.position ? html`<span class="tag">${t('waitlist.position', { n: entry.position })}</span> ` : ''}${residents.get(entry.residentId)?.name ?? entry.residentId}</h2>
          <dl class="facts">
            <div><dt>${t('field.status')}</dt><dd>${label('waitlistStatus', entry.status)}</dd></div>
            <div><dt>${t('field.careLevel')}</dt><dd>${label('careLevel', entry.careLevel)}</dd></div>
            <div><dt>${t('waitlist.score')}</dt><dd>${entry.priorityScore}</dd></div>
            <div><dt>${t('waitlist.reasons')}</dt><dd>${entry.priorityReasons.length ? entry.priorityReasons.map((r) => label('priority', r)).join('、') : t('form.none')}</dd></div>
            <div><dt>${t('waitlist.since')}</dt><dd>${formatDateTime(entry.createdAt)}</dd></div>
          </dl></li>`,
      )}</ol>`,
  );
}

/**
 * Adds a registered resident to the waiting list. The resident arrives from their registration
 * (`?residentId=`) and is shown by name and masked ID number; the page never asks for an id.
 */
async function waitlistAddPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const residentId = ctx.query.get('residentId') ?? '';
  const back = html`<p><a class="back-link" href="/facilities/${id}/waitlist">${t('nav.back')}</a></p>`;
  const resident = uuidProblem(residentId) ? undefined : (await residentsById([residentId], ctx.signal)).get(residentId);
  if (!resident) {
    const then = encodeURIComponent(`/facilities/${id}/waitlist/new`);
    renderPage(ctx, t('waitlist.addTitle'), html`${back}<h1>${t('waitlist.addTitle')}</h1><p><a class="button" href="/facilities/${id}/residents/new?then=${then}">${t('bedAction.newResident')}</a></p>`);
    return;
  }
  simpleForm(ctx, {
    title: t('waitlist.addTitle'),
    before: back,
    intro: html`<dl class="summary"><div><dt>${t('bed.resident')}</dt><dd>${resident.name}（${resident.idCardNumberMasked}）</dd></div></dl>`,
    values: { priorityReasons: [] },
    fields: [
      { name: 'careLevel', label: t('field.careLevel'), type: 'radio', options: CARE_LEVELS.map((value) => ({ value, label: label('careLevel', value) })) },
      { name: 'priorityReasons', label: t('waitlist.reasons'), hint: t('waitlist.reasonsHint'), type: 'checkbox', optional: true, options: PRIORITY_REASONS.map((value) => ({ value, label: label('priority', value) })) },
    ],
    submitLabel: t('waitlist.submit'),
    onSubmit: async (v) => {
      await api(`/facilities/${id}/waitlist`, { method: 'POST', body: { residentId: resident.id, careLevel: v.careLevel, priorityReasons: v.priorityReasons } });
      flash(t('waitlist.done'));
      navigate(`/facilities/${id}/waitlist`);
    },
  });
}

export const bedRoutes: Route[] = [
  { pattern: '/facilities', page: facilitiesPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/facilities/:id', page: boardPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/facilities/:id/residents', page: residentsPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/facilities/:id/residents/new', page: newResidentPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/facilities/:id/waitlist', page: waitlistPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/facilities/:id/waitlist/new', page: waitlistAddPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/beds/:id', page: bedPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/beds/:id/:action/:step', page: bedActionPage, roles: ['MANAGER', 'ADMIN'] },
];
