/** Proves how a prepared statement is sent (named, or as text when switched off) and that a failed one is logged with its text. */
import { QueryFailedError } from 'typeorm';
import { preparedStatement, statementFor, statementText } from './prepared';
import { describeDatabaseError } from './query-logger';

const MOVE = preparedStatement('bed_probe', 'SELECT *\n  FROM bed_probe($1)');

describe('prepared statements', () => {
  it('are sent by name when on, and as their text alone when off', () => {
    expect(statementFor(MOVE, true)).toEqual({ name: 'bed_probe', text: MOVE.text });
    expect(statementFor(MOVE, false)).toBe(MOVE.text);
  });

  it('give their text to whatever reads a query as SQL', () => {
    expect(statementText(MOVE)).toBe(MOVE.text);
    expect(statementText('SELECT 1')).toBe('SELECT 1');
    expect(statementText({ name: 'x' })).toBeUndefined();
    expect(statementText(null)).toBeUndefined();
  });

  it('are logged, when they fail, with their text on one line and never their parameters', () => {
    const driverError = Object.assign(new Error('invalid input syntax for type uuid: "陈秀英"'), { code: '22P02', routine: 'string_to_uuid' });
    const failed = new QueryFailedError(MOVE as unknown as string, ['陈秀英'], driverError);
    for (const described of [describeDatabaseError(failed), describeDatabaseError(failed, MOVE)]) {
      expect(described).toMatchObject({
        sqlState: '22P02',
        statement: 'SELECT * FROM bed_probe($1)',
        message: 'invalid input syntax for type uuid: "[value]"',
      });
      expect(JSON.stringify(described)).not.toContain('陈秀英');
    }
  });
});
