import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CommonErrorCode } from './domain-error';

/** What Node's HTTP parser refuses before the application runs, as the contract's problems. */
function parserProblem(code: string | undefined): { status: number; title: string; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, title: 'Request Header Fields Too Large', detail: 'The address or the headers of the request are too long (16 KB at most).' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, title: 'Request Timeout', detail: 'The request did not arrive in time.' };
  return { status: 400, title: 'Bad Request', detail: 'The request could not be read as HTTP.' };
}

/**
 * Answers requests that Node's HTTP parser refuses (an address or headers over 16 KB, a broken
 * request line) with application/problem+json like every other error, instead of Node's bare
 * status line, and closes the connection.
 */
export function answerParserErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, title, detail } = parserProblem(error.code);
    const code = CommonErrorCode.VALIDATION_FAILED;
    const body = JSON.stringify({ type: `https://eldercare.example/problems/${code.toLowerCase().replace(/_/g, '-')}`, title, status, detail, code });
    socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
