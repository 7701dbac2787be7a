/** Proves that a failed query is logged with its statement and SQLSTATE but without its parameter values, both by the database logger and wherever the error itself is logged, checked with a name that would show. */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createStackWithAdmin, http, logFileOfRun, type TestStack, type TestUser, waitFor } from '@app/testing';

describe('failed-query logs', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin()));
  afterAll(async () => stack.close());

  /** The run's log lines that mention `text`, parsed. */
  function linesWith(text: string): Record<string, unknown>[] {
    return readFileSync(logFileOfRun(), 'utf8')
      .split('\n')
      .filter((line) => line.includes(text))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('logs the statement and the SQLSTATE of a failed query, never the values', async () => {
    const tag = randomBytes(4).toString('hex');
    const name = `欧阳秀英查询日志${tag}`;
    const body = { name, kind: 'NURSING_HOME', street: '彭埠街道' };
    await http(stack).post('/api/v1/facilities').set(admin.auth).send(body).expect(201);
    const duplicate = await http(stack).post('/api/v1/facilities').set(admin.auth).send(body).expect(409);
    expect(JSON.stringify(duplicate.body)).not.toContain(name);

    // The same kind of failure, logged as an error object by code that catches it.
    const error = await stack.dataSource.query(`SELECT $1::uuid AS id, $2::text AS note`, [name, tag]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    new Logger('QueryLogProbe').error({ msg: `probe ${tag}`, err: error });

    const logged = await waitFor(
      () => {
        const failed = linesWith('"msg":"query failed"').filter((line) => String(line.statement).startsWith('INSERT INTO facilities'));
        const probe = linesWith(`probe ${tag}`);
        return failed.length > 0 && probe.length > 0 ? { failed, probe } : undefined;
      },
      { timeoutMs: 5000, message: 'the failed query was not logged' },
    );
    expect(logged.failed.at(-1)).toMatchObject({ context: 'Database', sqlState: '23505', constraint: 'uq_facilities_kind_name', table: 'facilities' });
    expect(logged.probe[0]).toMatchObject({ context: 'QueryLogProbe', err: { sqlState: '22P02', statement: 'SELECT $1::uuid AS id, $2::text AS note' } });
    expect(String((logged.probe[0].err as { message: string }).message)).toContain('invalid input syntax for type uuid');

    // Nothing the run has logged holds the name or the other parameter.
    const log = readFileSync(logFileOfRun(), 'utf8');
    expect(log).not.toContain(name);
    expect(log).not.toContain(`"${tag}"`);
    expect(log).not.toContain(`查询日志${tag}`);
  });
});
