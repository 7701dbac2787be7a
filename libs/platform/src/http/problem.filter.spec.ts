/** Proves errors of the HTTP layer below Nest (Fastify reading the body, URI decoding) are answered in the API's own words, never quoting the request. */
import { BadRequestException, HttpException } from '@nestjs/common';
import { toProblem } from './problem.filter';

function bodyReadError(message: string, code: string, statusCode: number): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('problem documents for errors below the controllers', () => {
  it('answers malformed JSON with the documented sentence, not the parser message quoting the body', () => {
    const error = bodyReadError(`Unexpected token 'n', "null" is not valid JSON`, 'FST_ERR_CTP_INVALID_JSON_BODY', 400);
    expect(toProblem(error)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request body is not valid JSON.' });
    // Also when it arrives wrapped in an HttpException.
    const wrapped = toProblem(new BadRequestException(error.message, { cause: error }));
    expect(wrapped).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
  });

  it('answers a content type the API does not read with 415 and the documented sentence', () => {
    const cause = bodyReadError('Unsupported Media Type: application/xml', 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 415);
    const problem = toProblem(new HttpException(cause.message, 415, { cause }));
    expect(problem).toMatchObject({ status: 415, code: 'VALIDATION_FAILED', detail: 'The request body must be JSON (Content-Type: application/json).' });
  });

  it('answers a body over the limit with 413', () => {
    expect(toProblem(bodyReadError('Request body is too large', 'FST_ERR_CTP_BODY_TOO_LARGE', 413))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers a malformed percent-encoding in the path without quoting it', () => {
    const cause = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
    const problem = toProblem(new BadRequestException(cause.message, { cause }));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.detail).not.toContain('%E0');
  });
});
