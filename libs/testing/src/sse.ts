import http from 'node:http';
import { createParser } from 'eventsource-parser';

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

/**
 * A server-sent-events reader over plain HTTP, for tests and benchmarks of live streams. Events
 * without a name are `message`, as in a browser. `onEvent`, when given, sees each event the
 * moment it is parsed (a benchmark times deliveries with it).
 */
export function openSse(url: string, headers: Record<string, string> = {}, onEvent?: (event: SseEvent) => void): SseClient {
  const events: SseEvent[] = [];
  const waiters: { match: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }[] = [];
  const parser = createParser({
    onEvent(message) {
      const parsed = { event: message.event ?? 'message', data: message.data };
      onEvent?.(parsed);
      events.push(parsed);
      for (const waiter of [...waiters]) {
        if (waiter.match(parsed)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(parsed);
        }
      }
    },
  });
  let resolveReady: (value: { status: number; contentType: string }) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<{ status: number; contentType: string }>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
    resolveReady({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.feed(chunk));
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
