import { api, apiAll, openStream } from '../api';
import { byId, html, raw, type SafeHtml, setContent } from '../dom';
import { actionFor, type Field, type Option, runWizard, simpleForm, storedAnswers, type Values, type Wizard } from '../forms';
import { formatDate, formatDateTime, formatPercent, todayIso } from '../format';
import { label, t, type TextKey } from '../i18n';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser, hasRole } from '../session';
import { cleanPhone, idNumberProblem, phoneProblem, uuidProblem } from '../validation';
import { overdueBack } from './residence';

export type BedStatus = 'AVAILABLE' | 'RESERVED' | 'OCCUPIED' | 'ON_LEAVE' | 'CLEANING' | 'MAINTENANCE';
export const BED_STATUSES: BedStatus[] = ['AVAILABLE', 'RESERVED', 'OCCUPIED', 'ON_LEAVE', 'CLEANING', 'MAINTENANCE'];
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
  expectedReturnOn?: string | null;
  updatedAt: string;
  /** What a manager may do with the bed now, from the API's table of actions, most usual first. */
  actions: BedActionOffer[];
}

/** One action the API offers on a bed: its route, the status it leads to, and what it needs. */
interface BedActionOffer {
  action: string;
  toStatus: BedStatus;
  needs: ('residentId' | 'reason' | 'expectedReturnOn' | 'toBedId')[];
}

/** A bed on the staff board: the bed and its resident's name. */
interface BoardBed extends Bed {
  residentName: string | null;
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
  leaveDays?: number;
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
export const STATUS_SYMBOL: Record<BedStatus, string> = { AVAILABLE: '○', RESERVED: '◐', OCCUPIED: '●', ON_LEAVE: '△', CLEANING: '◇', MAINTENANCE: '✕' };

/** Added to the leave's symbol on a bed whose resident is overdue back, and the status filter's value that lists them. */
const OVERDUE_MARK = '!';
const OVERDUE_FILTER = 'OVERDUE';

/** The actions this page has words and a wizard for; which of them a bed allows now comes from the API (`bed.actions`). */
type Action = 'hold' | 'admit' | 'release' | 'discharge' | 'transfer' | 'cleaned' | 'maintenance' | 'reopen' | 'leave' | 'return';
const ACTIONS: Action[] = ['hold', 'admit', 'release', 'discharge', 'transfer', 'cleaned', 'maintenance', 'reopen', 'leave', 'return'];

/** The bed's actions this page can offer, in the API's order. */

/** The day the resident is expected back, and that it has passed when it has. */
function expectedReturnText(bed: Pick<Bed, 'status' | 'expectedReturnOn'>): string | null {
  if (!bed.expectedReturnOn) return null;
  const date = formatDate(bed.expectedReturnOn);
  return overdueBack(bed) ? t('bed.expectedReturnPassed', { date }) : date;
}

/** Where a bed is, its care level, and (when they apply) who is in it, until when it is held and when its resident returns. */
function bedFacts(bed: Pick<Bed, 'floor' | 'room' | 'careLevel' | 'status' | 'residentId' | 'holdExpiresAt' | 'expectedReturnOn'>, resident: string): SafeHtml {
  return html`${fact('bed.place', `${t('board.floor', { floor: bed.floor })} · ${t('board.room', { room: bed.room })}`)}
  ${fact('field.careLevel', label('careLevel', bed.careLevel))} ${fact('bed.resident', bed.residentId && resident)}
  ${fact('bed.holdUntil', bed.holdExpiresAt && formatDateTime(bed.holdExpiresAt))} ${fact('bed.expectedReturn', expectedReturnText(bed))}`;
}

/** One row of a bed's facts (a <dt>/<dd> pair), or nothing when the fact does not apply. */
function fact(key: TextKey, value: string | null | undefined): SafeHtml | '' {
  return value
    ? html`<div>
        <dt>${t(key)}</dt>
        <dd>${value}</dd>
      </div>`
    : '';
}
function offeredActions(bed: Bed): (BedActionOffer & { action: Action })[] {
  return (bed.actions ?? []).filter((offer): offer is BedActionOffer & { action: Action } => isAction(offer.action));
}

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
        // Not visible any more (moved to another facility), or not readable now: the page says so, never the id.
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
      <ul class="cards">
        ${list.map((facility) =>
          facility.kind === 'CARE_CENTRE'
            ? html`<li class="card">
                <h2 class="card-title">${facility.name}</h2>
                <p>${label('facilityKind', facility.kind)} · ${facility.street}</p>
                <div class="button-group">
                  <a class="button button--primary" href="/care-centres/${facility.id}">${actionFor(t('facilities.centre'), facility.name)}</a>
                </div>
              </li>`
            : html`<li class="card">
                <h2 class="card-title">${facility.name}</h2>
                <p>${label('facilityKind', facility.kind)} · ${facility.street}</p>
                <p>
                  ${t('board.occupancyLine', { occupied: facility.occupancy.OCCUPIED + (facility.occupancy.ON_LEAVE ?? 0), total: facility.totalBeds, available: facility.occupancy.AVAILABLE })}
                </p>
                <div class="button-group">
                  <a class="button button--primary" href="/facilities/${facility.id}">${actionFor(t('facilities.board'), facility.name)}</a>
                  <a class="button button--secondary" href="/facilities/${facility.id}/residents">${actionFor(t('facilities.residents'), facility.name)}</a>
                  <a class="button button--secondary" href="/facilities/${facility.id}/waitlist">${actionFor(t('facilities.waitlist'), facility.name)}</a>
                </div>
              </li>`,
        )}
      </ul>`,
  );
}

function countByStatus(beds: Iterable<Bed>): Record<BedStatus, number> {
  const counts: Record<BedStatus, number> = { AVAILABLE: 0, RESERVED: 0, OCCUPIED: 0, ON_LEAVE: 0, CLEANING: 0, MAINTENANCE: 0 };
  for (const bed of beds) counts[bed.status] += 1;
  return counts;
}

/** Occupancy figures with a bar per status; every bar carries its number and name in text. */
export function statusBars(counts: Record<BedStatus, number>, total: number): SafeHtml {
  return html`<ul class="bars">
    ${BED_STATUSES.map((status) => {
      const share = total > 0 ? (counts[status] ?? 0) / total : 0;
      return html`<li class="bar-row">
        <span class="bar-label">${statusText(status)}</span
        ><span class="bar-track" aria-hidden="true"
          ><svg class="bar-svg" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
            <rect class="bar-fill bar-fill--${status}" x="0" y="0" height="10" width="${(share * 100).toFixed(2)}"></rect></svg></span
        ><span class="bar-value" data-count="${status}">${counts[status] ?? 0}</span>
      </li>`;
    })}
  </ul>`;
}

/*
 * The staff bed board (a desk page: dense, text ≥ 16 px, targets ≥ 24 px). Floors are sections,
 * rooms compact groups, each bed a tile with its code, its status as a symbol (named in the
 * legend and in the tile's accessible name) and its resident's name. Filters and search hide
 * tiles in place; arrow keys move between tiles (one tab stop, roving tabindex); a live change
 * replaces the one tile it concerns. Selecting a tile opens a panel with the bed's actions.
 */

/** The figures line: occupancy (on-leave beds count as occupied), totals by status. */
function boardFigures(beds: Map<string, BoardBed>): SafeHtml {
  const counts = countByStatus(beds.values());
  const total = beds.size;
  const occupied = counts.OCCUPIED + counts.ON_LEAVE;
  const late = [...beds.values()].filter(overdueBack).length;
  return html`<dl class="board-figures">
    <div>
      <dt>${t('board.rate')}</dt>
      <dd id="occupancy-rate">${formatPercent(total ? occupied / total : 0)}</dd>
    </div>
    <div>
      <dt>${t('board.total')}</dt>
      <dd>${total}</dd>
    </div>
    ${BED_STATUSES.map(
      (status) =>
        html`<div>
          <dt><span aria-hidden="true">${STATUS_SYMBOL[status]} </span>${label('bedStatus', status)}</dt>
          <dd id="count-${status}">${counts[status]}</dd>
        </div>`,
    )}
    ${
      late > 0
        ? html`<div class="board-figure--overdue">
            <dt><span aria-hidden="true">${OVERDUE_MARK} </span>${t('board.overdue')}</dt>
            <dd id="count-overdue">${late}</dd>
          </div>`
        : ''
    }
  </dl>`;
}

/** A tile's second line: who is in the bed, or what the bed is waiting for. */
function tileSecondLine(bed: BoardBed): string {
  if (bed.residentName) return bed.residentName;
  return bed.residentId ? t('board.someone') : label('bedStatus', bed.status);
}

function bedTile(bed: BoardBed): SafeHtml {
  const late = overdueBack(bed);
  return html`<button
    type="button"
    class="bed-tile bed-tile--${bed.status}${late ? ' bed-tile--overdue' : ''}"
    data-bed-id="${bed.id}"
    data-status="${bed.status}"
    data-care-level="${bed.careLevel}"
    data-floor="${bed.floor}"
    tabindex="-1"
  >
    <span class="bed-tile-code"><span class="status-symbol" aria-hidden="true">${STATUS_SYMBOL[bed.status]}${late ? OVERDUE_MARK : ''}</span> ${bed.code}</span
    ><span class="visually-hidden"
      >${label('bedStatus', bed.status)}${late ? `${t('list.comma')}${t('board.overdue')}` : ''}${t('list.comma')}${label('careLevel', bed.careLevel)}</span
    ><span class="bed-tile-who">${tileSecondLine(bed)}</span>
  </button>`;
}

function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'zh-CN', { numeric: true });
}

function floorsOf(beds: BoardBed[]): [number, [string, BoardBed[]][]][] {
  const floors = new Map<number, Map<string, BoardBed[]>>();
  for (const bed of beds) {
    const rooms = floors.get(bed.floor) ?? new Map<string, BoardBed[]>();
    rooms.set(bed.room, [...(rooms.get(bed.room) ?? []), bed]);
    floors.set(bed.floor, rooms);
  }
  return [...floors.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([floor, rooms]) => [
      floor,
      [...rooms.entries()].sort((a, b) => byNumber(a[0], b[0])).map(([room, list]) => [room, list.sort((a, b) => byNumber(a.code, b.code))]),
    ]);
}

function floorsMarkup(beds: BoardBed[]): SafeHtml {
  return html`${floorsOf(beds).map(
    ([floor, rooms]) =>
      html`<section class="board-floor" data-floor="${floor}" aria-labelledby="floor-${floor}">
        <h2 class="board-floor-title" id="floor-${floor}">${t('board.floor', { floor })}</h2>
        <div class="board-rooms">
          ${rooms.map(([room, list]) => html`<div class="board-room" role="group" aria-label="${t('board.room', { room })}">${list.map(bedTile)}</div>`)}
        </div>
      </section>`,
  )}`;
}

interface BoardFilter {
  status: string;
  careLevel: string;
  floor: string;
  q: string;
}

function matches(bed: BoardBed, filter: BoardFilter): boolean {
  if (filter.status === OVERDUE_FILTER ? !overdueBack(bed) : filter.status && bed.status !== filter.status) return false;
  if (filter.careLevel && bed.careLevel !== filter.careLevel) return false;
  if (filter.floor && String(bed.floor) !== filter.floor) return false;
  const q = filter.q.trim().toLowerCase();
  if (q && !bed.code.toLowerCase().includes(q) && !(bed.residentName ?? '').toLowerCase().includes(q)) return false;
  return true;
}

function filtersMarkup(beds: BoardBed[], filter: BoardFilter): SafeHtml {
  const floors = [...new Set(beds.map((b) => b.floor))].sort((a, b) => a - b);
  const select = (id: string, text: string, value: string, options: [string, string][]) =>
    html`<div class="board-filter">
      <label for="${id}">${text}</label
      ><select id="${id}" class="board-select">
        <option value="">${t('board.all')}</option>
        ${options.map(([v, l]) => html`<option value="${v}" ${v === value ? raw(' selected') : ''}>${l}</option>`)}
      </select>
    </div>`;
  return html`<form class="board-filters" id="board-filters" role="search" aria-label="${t('board.filters')}">
    ${select('filter-status', t('field.status'), filter.status, [
      ...BED_STATUSES.map((s): [string, string] => [s, `${STATUS_SYMBOL[s]} ${label('bedStatus', s)}`]),
      [OVERDUE_FILTER, `${STATUS_SYMBOL.ON_LEAVE}${OVERDUE_MARK} ${t('board.overdue')}`],
    ])}
    ${select(
      'filter-care',
      t('field.careLevel'),
      filter.careLevel,
      CARE_LEVELS.map((c) => [c, label('careLevel', c)]),
    )}
    ${select(
      'filter-floor',
      t('board.floors'),
      filter.floor,
      floors.map((f) => [String(f), t('board.floor', { floor: f })]),
    )}
    <div class="board-filter board-filter--search">
      <label for="filter-q">${t('board.search')}</label><input type="search" id="filter-q" class="board-search" value="${filter.q}" autocomplete="off" />
    </div>
    <p class="board-shown" id="board-shown" aria-live="polite"></p>
    <p class="board-hint" id="board-hint">${t('board.keys')}</p>
  </form>`;
}

/** The panel of the selected bed: where it is, who is in it, what can be done with it. */
function detailMarkup(bed: BoardBed): SafeHtml {
  return html`<div class="board-detail-head">
      <h2 id="bed-detail-title">${t('bed.title', { code: bed.code })}</h2>
      <button type="button" class="button button--tool board-detail-close" id="bed-detail-close">${t('board.close')}</button>
    </div>
    <p class="board-detail-status">${statusText(bed.status)}</p>
    <dl class="board-detail-facts">${bedFacts(bed, bed.residentName ?? t('board.someone'))}</dl>
    <ul class="board-detail-actions">
      ${offeredActions(bed).map((offer) => html`<li><a class="button button--secondary" href="/beds/${bed.id}/${offer.action}/${firstStep(offer)}">${t(`action.${offer.action}`)}</a></li>`)}
      <li><a class="button button--secondary" href="/beds/${bed.id}">${t('board.details')}</a></li>
    </ul>`;
}

async function boardPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const [list, board] = await Promise.all([
    facilities(ctx.signal),
    api<{ items: BoardBed[]; total: number }>(`/facilities/${id}/board`, { signal: ctx.signal }),
  ]);
  const facility = list.find((f) => f.id === id);
  const byBed = new Map(board.items.map((bed) => [bed.id, bed]));
  const filter: BoardFilter = {
    status: ctx.query.get('status') ?? '',
    careLevel: ctx.query.get('careLevel') ?? '',
    floor: ctx.query.get('floor') ?? '',
    q: ctx.query.get('q') ?? '',
  };
  renderPage(
    ctx,
    `${t('board.title')} - ${facility?.name ?? ''}`,
    html`<div class="board">
      <div class="board-head">
        <h1>${t('board.title')} <span class="board-facility">${facility?.name ?? ''}</span></h1>
        <p class="board-links">
          <a href="/facilities/${id}/residents">${t('facilities.residents')}</a><a href="/facilities/${id}/waitlist">${t('facilities.waitlist')}</a
          ><span id="board-live">${t('board.liveOn')}</span>
        </p>
      </div>
      <div id="board-figures">${boardFigures(byBed)}</div>
      ${filtersMarkup(board.items, filter)}
      <div class="visually-hidden" aria-live="polite" id="board-announce"></div>
      <div id="board-floors" class="board-floors" aria-describedby="board-hint">${floorsMarkup(board.items)}</div>
      <section class="board-detail" id="bed-detail" aria-labelledby="bed-detail-title" hidden></section>
    </div>`,
    { wide: true },
  );
  const floorsEl = byId('board-floors');
  const detail = byId('bed-detail');
  if (!floorsEl || !detail) return;
  const tileOf = (bedId: string): HTMLButtonElement | null => floorsEl.querySelector<HTMLButtonElement>(`.bed-tile[data-bed-id="${bedId}"]`);
  const visibleTiles = (): HTMLButtonElement[] =>
    [...floorsEl.querySelectorAll<HTMLButtonElement>('.bed-tile')].filter((tile) => !tile.hidden && !tile.closest('[hidden]'));
  let current: string | null = null;
  let selected: string | null = null;

  /** One tab stop: the current tile (or the first visible one) takes tabindex 0, every other -1. */
  const setCurrent = (bedId: string | null, focus = false): void => {
    const tiles = visibleTiles();
    const target = (bedId && tiles.find((tile) => tile.dataset.bedId === bedId)) || tiles[0];
    const previous = current ? tileOf(current) : null;
    if (previous) previous.tabIndex = -1;
    current = target?.dataset.bedId ?? null;
    if (target) {
      target.tabIndex = 0;
      if (focus) target.focus();
    }
  };

  const applyFilter = (): void => {
    let shown = 0;
    for (const tile of floorsEl.querySelectorAll<HTMLButtonElement>('.bed-tile')) {
      const bed = byBed.get(tile.dataset.bedId ?? '');
      const visible = !!bed && matches(bed, filter);
      tile.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const room of floorsEl.querySelectorAll<HTMLElement>('.board-room')) room.hidden = !room.querySelector('.bed-tile:not([hidden])');
    for (const floor of floorsEl.querySelectorAll<HTMLElement>('.board-floor')) floor.hidden = !floor.querySelector('.board-room:not([hidden])');
    const count = byId('board-shown');
    if (count) count.textContent = t('board.shown', { shown, total: byBed.size });
    setCurrent(current);
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== '') as [string, string][]).toString();
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}`);
  };

  const showDetail = (bedId: string): void => {
    const bed = byBed.get(bedId);
    if (!bed) return;
    selected = bedId;
    setContent(detail, detailMarkup(bed));
    detail.hidden = false;
    for (const tile of floorsEl.querySelectorAll('.bed-tile[aria-current]')) tile.removeAttribute('aria-current');
    tileOf(bedId)?.setAttribute('aria-current', 'true');
  };
  const closeDetail = (): void => {
    const back = selected;
    selected = null;
    detail.hidden = true;
    setContent(detail, '');
    for (const tile of floorsEl.querySelectorAll('.bed-tile[aria-current]')) tile.removeAttribute('aria-current');
    if (back) setCurrent(back, true);
  };

  const form = byId<HTMLFormElement>('board-filters');
  form?.addEventListener('submit', (event) => event.preventDefault());
  form?.addEventListener('input', (event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    if (target.id === 'filter-status') filter.status = target.value;
    if (target.id === 'filter-care') filter.careLevel = target.value;
    if (target.id === 'filter-floor') filter.floor = target.value;
    if (target.id === 'filter-q') filter.q = target.value;
    applyFilter();
  });

  floorsEl.addEventListener('click', (event) => {
    const tile = (event.target as Element).closest<HTMLButtonElement>('.bed-tile');
    if (!tile?.dataset.bedId) return;
    setCurrent(tile.dataset.bedId);
    showDetail(tile.dataset.bedId);
    byId('bed-detail-title')?.setAttribute('tabindex', '-1');
    byId('bed-detail-title')?.focus();
  });
  floorsEl.addEventListener('keydown', (event) => {
    const tile = (event.target as Element).closest<HTMLButtonElement>('.bed-tile');
    if (!tile) return;
    const tiles = visibleTiles();
    const index = tiles.indexOf(tile);
    let next: HTMLButtonElement | undefined;
    if (event.key === 'ArrowRight') next = tiles[index + 1];
    else if (event.key === 'ArrowLeft') next = tiles[index - 1];
    else if (event.key === 'Home') next = tiles[0];
    else if (event.key === 'End') next = tiles[tiles.length - 1];
    else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      // The tile in the next row (up or down) nearest to this one's centre.
      const here = tile.getBoundingClientRect();
      const x = here.left + here.width / 2;
      const down = event.key === 'ArrowDown';
      let best: { tile: HTMLButtonElement; dy: number; dx: number } | null = null;
      for (const other of tiles) {
        const r = other.getBoundingClientRect();
        const dy = down ? r.top - here.bottom : here.top - r.bottom;
        if (dy < -1) continue;
        const dx = Math.abs(r.left + r.width / 2 - x);
        if (!best || dy < best.dy - 2 || (Math.abs(dy - best.dy) <= 2 && dx < best.dx)) best = { tile: other, dy, dx };
      }
      next = best?.tile;
    } else return;
    event.preventDefault();
    if (next) setCurrent(next.dataset.bedId ?? null, true);
  });
  detail.addEventListener('click', (event) => {
    if ((event.target as Element).closest('#bed-detail-close')) closeDetail();
  });
  detail.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDetail();
  });
  applyFilter();

  /** A live change: the one tile is replaced, the figures recounted; nothing else is touched. */
  const patch = (bed: BoardBed): void => {
    const tile = tileOf(bed.id);
    const hadFocus = tile !== null && document.activeElement === tile;
    byBed.set(bed.id, bed);
    if (tile) {
      tile.outerHTML = bedTile(bed).value;
      const fresh = tileOf(bed.id);
      if (fresh) {
        fresh.hidden = !matches(bed, filter);
        if (current === bed.id) fresh.tabIndex = 0;
        if (selected === bed.id) fresh.setAttribute('aria-current', 'true');
        if (hadFocus) fresh.focus();
        const room = fresh.closest<HTMLElement>('.board-room');
        if (room) room.hidden = !room.querySelector('.bed-tile:not([hidden])');
        const floor = fresh.closest<HTMLElement>('.board-floor');
        if (floor) floor.hidden = !floor.querySelector('.board-room:not([hidden])');
      }
    }
    const figures = byId('board-figures');
    if (figures) setContent(figures, boardFigures(byBed));
    if (selected === bed.id) showDetail(bed.id);
  };
  const updateBed = (incoming: Bed): void => {
    const known = byBed.get(incoming.id);
    if (known && known.version >= incoming.version) return;
    // The live event carries the bed; the name comes from what the board knows, or one look-up.
    const sameResident = known && known.residentId === incoming.residentId;
    const bed: BoardBed = { ...incoming, residentName: sameResident ? known.residentName : null };
    patch(bed);
    const announce = byId('board-announce');
    if (announce && known?.status !== bed.status) announce.textContent = t('board.changed', { code: bed.code, status: label('bedStatus', bed.status) });
    if (!sameResident && bed.residentId) {
      void residentsById([bed.residentId], ctx.signal).then((found) => {
        const now = byBed.get(bed.id);
        const name = found.get(bed.residentId ?? '')?.name;
        if (name && now && now.version === bed.version) patch({ ...now, residentName: name });
      });
    }
  };
  let connectedOnce = false;
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
        if (connectedOnce)
          void api<{ items: BoardBed[] }>(`/facilities/${id}/board`, { signal: ctx.signal })
            .then((fresh) =>
              fresh.items.forEach((bed) => {
                const known = byBed.get(bed.id);
                if (!known || known.version < bed.version) patch(bed);
              }),
            )
            .catch(() => undefined);
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
  const [bed, history] = await Promise.all([
    api<Bed>(`/beds/${id}`, { signal: ctx.signal }),
    api<{ items: BedEvent[]; total: number }>(`/beds/${id}/history?limit=200`, { signal: ctx.signal }),
  ]);
  const residents = await residentsById(
    [bed.residentId, ...history.items.map((e) => e.residentId)].filter((r): r is string => !!r),
    ctx.signal,
  );
  const resident = bed.residentId ? residents.get(bed.residentId) : undefined;
  const events = [...history.items].reverse();
  renderPage(
    ctx,
    t('bed.title', { code: bed.code }),
    html`<p><a class="back-link" href="/facilities/${bed.facilityId}">${t('board.title')}</a></p>
      <h1>${t('bed.title', { code: bed.code })}</h1>
      <div class="status-panel status-panel--bed bed--${bed.status}"><p class="status-headline">${statusText(bed.status)}</p></div>
      <dl class="facts">
        ${bedFacts(bed, resident ? t('list.aside', { main: resident.name, note: resident.idCardNumberMasked }) : t('board.someone'))}
        <div>
          <dt>${t('bed.updated')}</dt>
          <dd>${formatDateTime(bed.updatedAt)}</dd>
        </div>
      </dl>
      <h2>${t('bed.actions')}</h2>
      <div class="button-group button-group--stack">
        ${offeredActions(bed).map(
          (offer, index) =>
            html`<a class="button ${index === 0 ? 'button--primary' : 'button--secondary'}" href="/beds/${bed.id}/${offer.action}/${firstStep(offer)}"
              >${t(`action.${offer.action}`)}</a
            >`,
        )}
      </div>
      <h2>${t('bed.history')}</h2>
      <ol class="history">
        ${events.map(
          (event) =>
            html`<li class="history-item">
              <p class="history-what">
                ${label('bedAction', event.action)}:
                ${event.fromStatus ? html`${label('bedStatus', event.fromStatus)} → ` : ''}${label('bedStatus', event.toStatus)}
              </p>
              <p class="meta">
                ${formatDateTime(event.at)}${event.residentId ? ` · ${residents.get(event.residentId)?.name ?? ''}` : ''}${event.reason ? ` · ${event.reason}` : ''}
              </p>
            </li>`,
        )}
      </ol>`,
  );
}

/** The wizard's first step: the first thing the action needs, or straight to "check your answers". */
function firstStep(offer: BedActionOffer): string {
  if (offer.needs.includes('residentId')) return 'resident';
  if (offer.needs.includes('reason')) return 'reason';
  if (offer.needs.includes('toBedId')) return 'to-bed';
  return 'check';
}

/** The reason question of an action that asks one; any other asks the plain "Reason". */
const REASON_QUESTION: Partial<Record<string, TextKey>> = {
  release: 'bedAction.qReason.release',
  discharge: 'bedAction.qReason.discharge',
  maintenance: 'bedAction.qReason.maintenance',
  leave: 'bedAction.qReason.leave',
};
function isAction(value: string): value is Action {
  return (ACTIONS as string[]).includes(value);
}

/** A bed action as a short wizard: the one answer it needs, then "check your answers", then the move. */
async function bedActionPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const action = ctx.params.action ?? '';
  if (!isAction(action)) return navigate(`/beds/${id}`, { replace: true });
  const bed = await api<Bed>(`/beds/${id}`, { signal: ctx.signal });
  const offer = offeredActions(bed).find((o) => o.action === action);
  if (!offer) {
    flash(t('bed.notNow', { status: label('bedStatus', bed.status) }));
    return navigate(`/beds/${id}`, { replace: true });
  }
  const base = `/beds/${id}/${action}`;
  const steps: Wizard['steps'] = [];
  const names = new Map<string, string>();
  let bedOptions: Option[] = [];
  if (offer.needs.includes('residentId')) {
    const waitlist = bed.status === 'RESERVED' ? [] : await apiAll<WaitlistEntry>(`/facilities/${bed.facilityId}/waitlist`, ctx.signal).catch(() => []);
    const candidates =
      bed.status === 'RESERVED' && bed.residentId
        ? [bed.residentId]
        : [...waitlist.filter((e) => e.status === 'WAITING' || e.status === 'OFFERED').map((e) => e.residentId)];
    const fromQuery = ctx.query.get('residentId') ?? storedAnswers(`bed.${id}.${action}`).residentId;
    if (typeof fromQuery === 'string' && fromQuery && bed.status !== 'RESERVED') candidates.unshift(fromQuery);
    const residents = await residentsById(candidates, ctx.signal);
    // The resident just registered for this bed first, then those whose care level is the bed's,
    // in the waiting list's order; the others after them, each saying that theirs differs.
    const rank = (r: Resident): number => (r.id === fromQuery ? 0 : r.careLevel === bed.careLevel ? 1 : 2);
    const options: Option[] = [...new Set(candidates)]
      .map((rid) => residents.get(rid))
      .filter((r): r is Resident => !!r && !r.bedId)
      .sort((a, b) => rank(a) - rank(b))
      .map((r) => {
        names.set(r.id, r.name);
        const entry = waitlist.find((e) => e.residentId === r.id);
        const level = r.careLevel === bed.careLevel ? label('careLevel', r.careLevel) : t('bedAction.otherLevel', { level: label('careLevel', r.careLevel) });
        return {
          value: r.id,
          label: r.name,
          hint: `${level} · ${r.idCardNumberMasked}${entry?.position ? ` · ${t('waitlist.position', { n: entry.position })}` : ''}`,
        };
      });
    steps.push({
      id: 'resident',
      intro: html`${options.length === 0 ? html`<p>${t('bedAction.noResidents')}</p>` : ''}
        <p><a href="/facilities/${bed.facilityId}/residents/new?then=${encodeURIComponent(`${base}/resident`)}">${t('bedAction.newResident')}</a></p>`,
      fields: [{ name: 'residentId', label: t(action === 'hold' ? 'bedAction.qHoldFor' : 'bedAction.qAdmit'), type: 'radio', options }],
    });
  }
  if (offer.needs.includes('reason')) {
    steps.push({
      id: 'reason',
      fields: [
        {
          name: 'reason',
          label: t(REASON_QUESTION[action] ?? 'bedAction.reason'),
          type: 'textarea',
          validate: (v) => (v.length > 200 ? t('form.tooLong', { max: 200 }) : null),
        },
      ],
    });
  }
  if (offer.needs.includes('expectedReturnOn')) {
    steps.push({
      id: 'return-on',
      fields: [
        {
          name: 'expectedReturnOn',
          label: t('bedAction.qReturnOn'),
          hint: t('bedAction.returnOnHint'),
          type: 'date',
          validate: (v) => (v < todayIso() ? t('bedAction.returnOnPast') : null),
        },
      ],
    });
  }
  if (offer.needs.includes('toBedId')) {
    const free = await apiAll<Bed>(`/facilities/${bed.facilityId}/beds?status=AVAILABLE`, ctx.signal);
    bedOptions = free.map((b) => ({
      value: b.id,
      label: t('board.bedOption', { code: b.code, place: t('board.floorRoom', { floor: b.floor, room: b.room }), level: label('careLevel', b.careLevel) }),
    }));
    steps.push({
      id: 'to-bed',
      fields: [{ name: 'toBedId', label: t('bedAction.qTransfer'), type: 'select', options: [{ value: '', label: t('form.selectOne') }, ...bedOptions] }],
    });
  }
  const resident = bed.residentId ? (await residentsById([bed.residentId], ctx.signal)).get(bed.residentId) : undefined;
  const wizard: Wizard = {
    key: `bed.${id}.${action}`,
    base,
    title: t(`action.${action}`),
    backHref: `/beds/${id}`,
    initial: ctx.query.get('residentId')
      ? { residentId: ctx.query.get('residentId') ?? '' }
      : bed.status === 'RESERVED' && bed.residentId
        ? { residentId: bed.residentId }
        : {},
    steps,
    checkHeading: t('wizard.checkHeading'),
    summary: (v: Values) => [
      { label: t('bedAction.bed'), value: t('list.aside', { main: bed.code, note: t('board.floorRoom', { floor: bed.floor, room: bed.room }) }) },
      { label: t('bedAction.now'), value: statusText(bed.status) },
      { label: t('bedAction.after'), value: statusText(offer.toStatus) },
      ...(resident && !v.residentId ? [{ label: t('bed.resident'), value: resident.name }] : []),
      ...(v.residentId ? [{ label: t('bed.resident'), value: names.get(String(v.residentId)) ?? String(v.residentId), step: 'resident' }] : []),
      ...(v.reason ? [{ label: t('bedAction.reason'), value: String(v.reason), step: 'reason' }] : []),
      ...(v.expectedReturnOn ? [{ label: t('bed.expectedReturn'), value: formatDate(String(v.expectedReturnOn)), step: 'return-on' }] : []),
      ...(v.toBedId ? [{ label: t('bedAction.toBed'), value: bedOptions.find((o) => o.value === v.toBedId)?.label ?? '', step: 'to-bed' }] : []),
    ],
    submitLabel: t(`action.confirm.${action}`),
    warning: action === 'discharge' || action === 'maintenance',
    explain: (error) => (error.code === 'ILLEGAL_TRANSITION' ? t('bedAction.changed') : undefined),
    submit: async (v) => {
      // The body carries what the action needs, as answered.
      const body = Object.fromEntries(offer.needs.filter((field) => v[field]).map((field) => [field, v[field]]));
      await api(`/beds/${id}/${action}`, { method: 'POST', body, headers: { 'If-Match': `"${bed.version}"` } });
      return { to: `/beds/${id}`, message: t('bedAction.done', { code: bed.code, status: label('bedStatus', offer.toStatus) }) };
    },
  };
  runWizard(ctx, wizard);
}

async function residentsPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  // Those in its beds in pages of 200, not one request each, nor its years of discharged residents.
  const [list, beds, kept] = await Promise.all([
    facilities(ctx.signal),
    apiAll<Bed>(`/facilities/${id}/beds`, ctx.signal),
    apiAll<Resident>(`/facilities/${id}/residents?inBed=true`, ctx.signal).catch(() => [] as Resident[]),
  ]);
  const facility = list.find((f) => f.id === id);
  const withResident = beds.filter((bed) => bed.residentId).sort((a, b) => a.code.localeCompare(b.code, 'zh-CN', { numeric: true }));
  const residents = new Map(kept.map((resident) => [resident.id, resident]));
  renderPage(
    ctx,
    `${t('facilities.residents')} - ${facility?.name ?? ''}`,
    html`<p><a class="back-link" href="/facilities/${id}">${t('board.title')}</a></p>
      <p class="caption">${facility?.name ?? ''}</p>
      <h1>${t('facilities.residents')}</h1>
      <div class="button-group"><a class="button button--primary" href="/facilities/${id}/residents/new">${t('bedAction.newResident')}</a></div>
      ${withResident.length === 0 ? html`<p>${t('residents.none')}</p>` : ''}
      <ul class="cards">
        ${withResident.map((bed) => {
          const r = residents.get(bed.residentId ?? '');
          return html`<li class="card">
            <h2 class="card-title">${r?.name ?? t('residents.unreadable')}</h2>
            <dl class="facts">
              <div>
                <dt>${t('bedAction.bed')}</dt>
                <dd><a href="/beds/${bed.id}">${bed.code}</a> · ${statusText(bed.status)}</dd>
              </div>
              ${fact('bed.expectedReturn', expectedReturnText(bed))}
              ${
                r
                  ? html`<div>
                        <dt>${t('field.careLevel')}</dt>
                        <dd>${label('careLevel', r.careLevel)}</dd>
                      </div>
                      <div>
                        <dt>${t('field.birthDate')}</dt>
                        <dd>${formatDate(r.birthDate)}</dd>
                      </div>
                      <div>
                        <dt>${t('field.idNumber')}</dt>
                        <dd>${r.idCardNumberMasked}</dd>
                      </div>`
                  : ''
              }
            </dl>
          </li>`;
        })}
      </ul>`,
  );
}

function newResidentPage(ctx: PageContext): void {
  const id = ctx.params.id ?? '';
  const then = ctx.query.get('then');
  const fields: Field[] = [
    { name: 'name', label: t('field.name'), type: 'text', width: 'medium', validate: (v) => (v.length > 60 ? t('form.tooLong', { max: 60 }) : null) },
    {
      name: 'idCardNumber',
      label: t('field.idNumber'),
      hint: t('resident.idHint'),
      type: 'text',
      width: 'medium',
      autocomplete: 'off',
      validate: idNumberProblem,
    },
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
  const residents = await residentsById(
    entries.map((e) => e.residentId),
    ctx.signal,
  );
  renderPage(
    ctx,
    `${t('facilities.waitlist')} - ${facility?.name ?? ''}`,
    html`<p><a class="back-link" href="/facilities/${id}">${t('board.title')}</a></p>
      <p class="caption">${facility?.name ?? ''}</p>
      <h1>${t('facilities.waitlist')}</h1>
      <p>${t('waitlist.intro')}</p>
      <div class="button-group"><a class="button button--primary" href="/facilities/${id}/residents/new">${t('waitlist.add')}</a></div>
      ${entries.length === 0 ? html`<p>${t('waitlist.none')}</p>` : ''}
      <ol class="cards">
        ${entries.map(
          (entry) =>
            html`<li class="card">
              <h2 class="card-title">
                ${entry.position ? html`<span class="tag">${t('waitlist.position', { n: entry.position })}</span> ` : ''}${residents.get(entry.residentId)?.name ?? t('residents.unreadable')}
              </h2>
              <dl class="facts">
                <div>
                  <dt>${t('field.status')}</dt>
                  <dd>${label('waitlistStatus', entry.status)}</dd>
                </div>
                <div>
                  <dt>${t('field.careLevel')}</dt>
                  <dd>${label('careLevel', entry.careLevel)}</dd>
                </div>
                <div>
                  <dt>${t('waitlist.score')}</dt>
                  <dd>${entry.priorityScore}</dd>
                </div>
                <div>
                  <dt>${t('waitlist.reasons')}</dt>
                  <dd>${entry.priorityReasons.length ? entry.priorityReasons.map((r) => label('priority', r)).join(t('list.enumeration')) : t('form.none')}</dd>
                </div>
                <div>
                  <dt>${t('waitlist.since')}</dt>
                  <dd>${formatDateTime(entry.createdAt)}</dd>
                </div>
              </dl>
              <div class="button-group">
                <a class="button button--secondary" href="/facilities/${id}/waitlist/${entry.id}/withdraw"
                  >${actionFor(t('waitlist.withdraw'), residents.get(entry.residentId)?.name ?? '')}</a
                >
              </div>
            </li>`,
        )}
      </ol>`,
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
    renderPage(
      ctx,
      t('waitlist.addTitle'),
      html`${back}
        <h1>${t('waitlist.addTitle')}</h1>
        <p><a class="button" href="/facilities/${id}/residents/new?then=${then}">${t('bedAction.newResident')}</a></p>`,
    );
    return;
  }
  simpleForm(ctx, {
    title: t('waitlist.addTitle'),
    before: back,
    intro: html`<dl class="summary">
      <div>
        <dt>${t('bed.resident')}</dt>
        <dd>${t('list.aside', { main: resident.name, note: resident.idCardNumberMasked })}</dd>
      </div>
    </dl>`,
    values: { priorityReasons: [] },
    fields: [
      { name: 'careLevel', label: t('field.careLevel'), type: 'radio', options: CARE_LEVELS.map((value) => ({ value, label: label('careLevel', value) })) },
      {
        name: 'priorityReasons',
        label: t('waitlist.reasons'),
        hint: t('waitlist.reasonsHint'),
        type: 'checkbox',
        optional: true,
        options: PRIORITY_REASONS.map((value) => ({ value, label: label('priority', value) })),
      },
    ],
    submitLabel: t('waitlist.submit'),
    onSubmit: async (v) => {
      await api(`/facilities/${id}/waitlist`, {
        method: 'POST',
        body: { residentId: resident.id, careLevel: v.careLevel, priorityReasons: v.priorityReasons },
      });
      flash(t('waitlist.done'));
      navigate(`/facilities/${id}/waitlist`);
    },
  });
}

/** Takes an entry off the waiting list, with a reason; the person is shown by name, never by id. */
async function waitlistWithdrawPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const entryId = ctx.params.entryId ?? '';
  const entries = await apiAll<WaitlistEntry>(`/facilities/${id}/waitlist`, ctx.signal);
  const entry = entries.find((e) => e.id === entryId);
  const back = html`<p><a class="back-link" href="/facilities/${id}/waitlist">${t('nav.back')}</a></p>`;
  if (!entry) {
    renderPage(
      ctx,
      t('waitlist.withdrawTitle'),
      html`${back}
        <h1>${t('waitlist.withdrawTitle')}</h1>
        <p>${t('waitlist.none')}</p>`,
    );
    return;
  }
  const resident = (await residentsById([entry.residentId], ctx.signal)).get(entry.residentId);
  const name = resident?.name ?? '';
  simpleForm(ctx, {
    title: t('waitlist.withdrawTitle'),
    before: back,
    intro: html`<dl class="summary">
        <div>
          <dt>${t('bed.resident')}</dt>
          <dd>${resident ? t('list.aside', { main: name, note: resident.idCardNumberMasked }) : name}</dd>
        </div>
        <div>
          <dt>${t('field.status')}</dt>
          <dd>${label('waitlistStatus', entry.status)}</dd>
        </div>
      </dl>
      <p>${t('waitlist.withdrawIntro')}</p>`,
    fields: [
      { name: 'reason', label: t('waitlist.withdrawReason'), type: 'textarea', validate: (v) => (v.length > 200 ? t('form.tooLong', { max: 200 }) : null) },
    ],
    submitLabel: t('waitlist.withdrawSubmit'),
    onSubmit: async (v) => {
      await api(`/facilities/${id}/waitlist/${entry.id}/withdraw`, { method: 'POST', body: { reason: v.reason } });
      flash(t('waitlist.withdrawDone', { name }));
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
  { pattern: '/facilities/:id/waitlist/:entryId/withdraw', page: waitlistWithdrawPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/beds/:id', page: bedPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/beds/:id/:action/:step', page: bedActionPage, roles: ['MANAGER', 'ADMIN'] },
];
