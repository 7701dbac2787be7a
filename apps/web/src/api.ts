import { createParser } from 'eventsource-parser';
import { clearSession, getToken } from './session';

/** A problem+json answer from the API (docs/api.md, "Conventions"), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: { field: string; message: string }[] = [],
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send no token, even when signed in (sign-in and registration). */
  anonymous?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

let onSignedOut: () => void = () => undefined;
/** Called when the server no longer accepts the token, so the page can ask the person to sign in again. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export async function apiRaw<T>(path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = options.anonymous ? null : getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'network unreachable');
  }
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    const problem = (body ?? {}) as { code?: string; detail?: string; title?: string; errors?: { field: string; message: string }[] };
    if (response.status === 401 && token) {
      // Only the token in use signs the person out. A request sent with one since replaced (a
      // password just changed, on this tab or another) goes again with the new one: a 401 is
      // answered before anything is done, so sending it again does nothing twice.
      const current = getToken();
      if (current && current !== token) return apiRaw<T>(path, options);
      if (current === token) {
        clearSession();
        onSignedOut();
      }
    }
    throw new ApiError(response.status, problem.code ?? `HTTP_${response.status}`, problem.detail ?? problem.title ?? '', problem.errors ?? []);
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  return (await apiRaw<T>(path, options)).body;
}

/** Every item of a paged list (limit 200 per request). */
export async function apiAll<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  const join = path.includes('?') ? '&' : '?';
  for (let offset = 0; ; offset += 200) {
    const page = await api<{ items: T[]; total: number }>(`${path}${join}limit=200&offset=${offset}`, { signal });
    items.push(...page.items);
    if (page.items.length < 200 || items.length >= page.total) return items;
  }
}

/**
 * A random version-4 UUID for an `Idempotency-Key`. Built from `crypto.getRandomValues`, which
 * browsers offer on every page, not `crypto.randomUUID`, which they offer only over https or on
 * localhost: the pages are also used over plain http inside a centre's own network.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Reads a server-sent-events stream with fetch, because EventSource cannot send the
 * Authorization header. Reconnects after a drop (with a growing pause) until `signal` aborts;
 * `onOpen` runs on every (re)connection so the caller can reload what it may have missed.
 */
export function openStream(
  path: string,
  handlers: { onEvent: (event: StreamEvent) => void; onOpen?: () => void; onState?: (connected: boolean) => void },
  signal: AbortSignal,
): void {
  let pause = 1000;
  const connect = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const token = getToken();
        const response = await fetch(`/api/v1${path}`, {
          headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        pause = 1000;
        handlers.onState?.(true);
        handlers.onOpen?.();
        // A fresh parser per connection: half an event from a dropped connection is discarded.
        const parser = createParser({ onEvent: (message) => handlers.onEvent({ event: message.event ?? 'message', data: message.data }) });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(chunk.value);
      } catch {
        if (signal.aborted) return;
      }
      handlers.onState?.(false);
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 15_000);
    }
  };
  void connect();
}

/**
 * Downloads a file the API makes (a report or an export): fetched with the token, which a plain
 * link cannot send, then saved under the name the server gives in Content-Disposition
 * (`filename*`, the Chinese name) or `fallbackName`.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const token = getToken();
  const response = await fetch(`/api/v1${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(response.status, problem.code ?? `HTTP_${response.status}`, problem.detail ?? '');
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Every `button[data-download]` on any page downloads its file when pressed (`data-download` is
 * the API path, `data-name` the fallback name); a failure is said in the element whose id
 * `data-status` names. Installed once, so buttons work on pages that re-render.
 */
export function interceptDownloads(failed: () => string): void {
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-download]');
    if (!button || button.disabled) return;
    const status = document.getElementById(button.dataset.status ?? '');
    button.disabled = true;
    if (status) status.textContent = '';
    downloadFile(button.dataset.download ?? '', button.dataset.name ?? 'export')
      .catch(() => {
        if (status) status.textContent = failed();
      })
      .finally(() => (button.disabled = false));
  });
}
