import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Observable, Subscription } from 'rxjs';

/** One server-sent event. */
export interface BoardEvent {
  type: string;
  data: unknown;
}

/** A client that has this much unsent data is not reading: it is disconnected (its EventSource reconnects). */
export const MAX_UNSENT_BYTES = 1024 * 1024;
/** A comment line this often keeps idle proxies from closing the stream. */
export const KEEP_ALIVE_MS = 25_000;

export function formatEvent(event: BoardEvent): string {
  // JSON has no raw line breaks, so the data is always one `data:` line.
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * Streams `text/event-stream` to one client, each chunk of events (see `formatEvent`) in a single
 * write: a burst of changes costs one socket write per board, not one per change. The stream
 * ends when the client leaves, when the source completes (e.g. at shutdown), or when the client
 * stops reading.
 */
export function streamEvents(request: IncomingMessage, response: ServerResponse, chunks: Observable<string>): void {
  request.socket.setKeepAlive(true);
  request.socket.setNoDelay(true);
  request.socket.setTimeout(0);
  response.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'private, no-cache, no-store, must-revalidate, max-age=0, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.write('\n');

  let ended = false;
  const subscription = new Subscription();
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    subscription.unsubscribe();
    if (!response.writableEnded) response.end();
  };
  const send = (text: string): void => {
    if (ended) return;
    response.write(text);
    if (response.writableLength > MAX_UNSENT_BYTES) {
      response.destroy();
      end();
    }
  };
  const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  response.once('close', end);
  request.once('close', end);
  // Added to a subscription that has ended already (a source that completed at once), it is dropped at once.
  subscription.add(
    chunks.subscribe({
      next: (text) => send(text),
      error: () => end(),
      complete: () => end(),
    }),
  );
}
