import type { Duplex } from 'node:stream';
import { CommonErrorCode } from './domain-error';
import { type Problem, problem } from './problem.filter';

/** What Node's HTTP parser refuses before the application runs, as the contract's problems. */
function parserProblem(code: string | undefined): Problem {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return problem(431, CommonErrorCode.VALIDATION_FAILED, 'The address or the headers of the request are too long (16 KB at most).');
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return problem(408, CommonErrorCode.VALIDATION_FAILED, 'The request did not arrive in time.');
  return problem(400, CommonErrorCode.VALIDATION_FAILED, 'The request could not be read as HTTP.');
}

/**
 * Answers requests that Node's HTTP parser refuses (an address or headers over 16 KB, a broken
 * request line) with application/problem+json like every other error, instead of a bare status
 * line, and closes the connection. The HTTP server's `clientErrorHandler`.
 */
export function answerParserError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = parserProblem(error.code);
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
