import http from 'node:http';

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseClient {
  events: SseEvent[];
  /** Resolves when an event satisfying `match` has arrived (already or later). */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
  /** Resolves once the response headers arrived. */
  ready: Promise<{ status: number; contentType: string }>;
}

/** A small server-sent-events reader over plain HTTP, for tests of live streams. */
export function openSse(url: string, headers: Record<string, string> = {}): SseClient {
  const events: SseEvent[] = [];
  const waiters: { match: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }[] = [];
  let buffer = '';
  let resolveReady: (value: { status: number; contentType: string }) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<{ status: number; contentType: string }>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
    resolveReady({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let boundary = buffer.indexOf('\n\n');
      while (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (data.length === 0) continue;
        const parsed = { event, data: data.join('\n') };
        events.push(parsed);
        for (const waiter of [...waiters]) {
          if (waiter.match(parsed)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(parsed);
          }
        }
      }
    });
  });
  req.on('error', (error) => rejectReady(error));
  return {
    events,
    ready,
    next(match, timeoutMs = 5000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('SSE event did not arrive in time')), timeoutMs);
        waiters.push({
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        });
      });
    },
    close() {
      req.destroy();
    },
  };
}
