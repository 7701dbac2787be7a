import http, { type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent exactly as given (already percent-encoded where it should be). */
  path: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  /** Content-Type for a string or Buffer body (JSON bodies default to application/json). */
  contentType?: string;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  contentType: string;
  /** The body as text; empty for an event stream (closed once its headers arrived). */
  text: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: unknown;
}

/**
 * One HTTP request with full control of the path, headers and raw body, so hostile input reaches
 * the server untouched by a client library. An event stream is answered as soon as its headers
 * arrive and then closed, so a route that streams cannot hang a test.
 */
export function send(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  let payload: Buffer | undefined;
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.body !== undefined) {
    if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) {
      payload = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
      headers['Content-Type'] ??= request.contentType ?? 'application/json';
    } else {
      payload = Buffer.from(JSON.stringify(request.body), 'utf8');
      headers['Content-Type'] ??= 'application/json';
    }
    headers['Content-Length'] = String(payload.length);
  }
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith('text/event-stream')) {
        res.destroy();
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, contentType, text: '', json: undefined });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        if (/json/.test(contentType)) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, contentType, text, json });
      });
    });
    req.setTimeout(request.timeoutMs ?? 15_000, () => req.destroy(new Error(`${request.method} ${request.path.slice(0, 200)} timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** The route's path with every `:param` replaced by `value`, under the API prefix when it has one. */
export function concretePath(route: { path: string; openApiPath: string }, value: string | ((name: string) => string)): string {
  const replace = (name: string): string => (typeof value === 'string' ? value : value(name));
  const filled = route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => replace(name));
  return route.openApiPath.startsWith('/api/v1') ? `/api/v1${filled}` : filled;
}
