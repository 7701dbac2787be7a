/** Proves errors of the HTTP layer below Nest (body parser, URI decoding) are answered in the API's own words, never quoting the request. */
import { BadRequestException, HttpException } from '@nestjs/common';
import { toProblem } from './problem.filter';

function bodyParserError(message: string, type: string, status: number): Error {
  return Object.assign(new SyntaxError(message), { type, status, statusCode: status, expose: true });
}

describe('problem documents for errors below the controllers', () => {
  it('answers malformed JSON with the documented sentence, not the parser message quoting the body', () => {
    const cause = bodyParserError(`Unexpected token 'n', "null" is not valid JSON`, 'entity.parse.failed', 400);
    const problem = toProblem(new BadRequestException(cause.message, { cause }));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request body is not valid JSON.' });
  });

  it('answers an unsupported charset with 415 and the documented sentence', () => {
    const cause = bodyParserError('unsupported charset "LATIN1"', 'charset.unsupported', 415);
    const problem = toProblem(new HttpException(cause.message, 415, { cause }));
    expect(problem).toMatchObject({ status: 415, code: 'VALIDATION_FAILED', detail: 'The request body must be JSON (Content-Type: application/json).' });
  });

  it('answers a malformed percent-encoding in the path without quoting it', () => {
    const cause = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
    const problem = toProblem(new BadRequestException(cause.message, { cause }));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.detail).not.toContain('%E0');
  });
});
