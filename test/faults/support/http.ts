/** Small HTTP helpers for the fault battery: JSON requests and server-sent-event streams. */

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  ms: number;
}

/** Sends a JSON request and reads the whole answer; a request that gets no answer rejects. */
export async function request<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: { auth?: { Authorization: string }; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonResponse<T>> {
  const started = Date.now();
  const response = await fetch(url, {
    method,
    headers: { ...options.auth, ...options.headers, ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let body: unknown = {};
  try {
    body = text.length > 0 ? JSON.parse(text) : {};
  } catch {
    body = { text };
  }
  return { status: response.status, body: body as T, ms: Date.now() - started };
}

export async function expectJson<T = Record<string, unknown>>(
  method: string,
  url: string,
  status: number,
  options: Parameters<typeof request>[2] = {},
): Promise<T> {
  const response = await request<T>(method, url, options);
  if (response.status !== status) throw new Error(`${method} ${url} answered ${response.status}, not ${status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface EventStream {
  /** Event blocks received so far (the text between blank lines). */
  events: string[];
  /** Resolves when the stream ends: `end` when the server closed it cleanly, `error` when it broke. */
  closed: Promise<{ how: 'end' | 'error'; at: number; error?: string }>;
  cancel(): Promise<void>;
}

/** Opens a server-sent-event stream and collects its events until it ends. */
export async function openEventStream(url: string, auth: { Authorization: string }): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { ...auth, Accept: 'text/event-stream' }, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`event stream ${url} answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = '';
  const closed = (async (): Promise<{ how: 'end' | 'error'; at: number; error?: string }> => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { how: 'end', at: Date.now() };
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          events.push(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      return { how: 'error', at: Date.now(), error: (error as Error).message };
    }
  })();
  return {
    events,
    closed,
    async cancel() {
      controller.abort();
      await closed;
    },
  };
}
