/** Proves the global validation pipe refuses hostile shapes with a 400 instead of crashing or dropping them in silence. */
import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { IsString, Matches, MaxLength } from 'class-validator';
import { DomainError } from './domain-error';
import { createValidationPipe } from './validation.pipe';
import { toProblem } from './problem.filter';

class NameDto {
  @IsString()
  name: string;
}

const body: ArgumentMetadata = { type: 'body', metatype: NameDto, data: undefined };

/** A name as the API's forms declare one: a string, at most 10 characters, not blank. */
class FormNameDto {
  @IsString()
  @MaxLength(10)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;
}

/** The problem document the pipe refuses `value` with, validated as a body of `metatype`. */
async function refusalOf(value: unknown, metatype: ArgumentMetadata['metatype'] = NameDto): Promise<ReturnType<typeof toProblem>> {
  try {
    await createValidationPipe().transform(value, { ...body, metatype });
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return toProblem(error);
  }
  throw new Error('the pipe accepted the value');
}

async function problemOf(value: unknown): Promise<{ status: number; code: string; fields: string[] }> {
  const problem = await refusalOf(value);
  return { status: problem.status, code: problem.code, fields: (problem.errors ?? []).map((e) => e.field) };
}

async function messagesOf(value: unknown): Promise<{ field: string; message: string }[]> {
  return (await refusalOf(value, FormNameDto)).errors ?? [];
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}

describe('validation pipe against hostile shapes', () => {
  it('accepts a plain valid body', async () => {
    await expect(createValidationPipe().transform({ name: '王' }, body)).resolves.toEqual({ name: '王' });
  });

  it('refuses nesting deep enough to overflow the transform, as a 400 and not a stack overflow', async () => {
    expect(await problemOf({ name: 'x', deep: nested(20_000) })).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses the NUL character, which PostgreSQL text cannot hold', async () => {
    expect(await problemOf({ name: 'a\u0000b' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: ['name'] });
  });

  it('refuses __proto__, constructor and prototype keys, which the transform would drop in silence', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const value = JSON.parse(`{"name":"x","${key}":{"roles":["ADMIN"]}}`) as unknown;
      expect(await problemOf(value)).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: [key] });
    }
  });

  it('maps a character the database encoding refuses (SQLSTATE 22021) to 400, not 500', () => {
    expect(toProblem({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' })).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('tells the client each thing to fix once: a blank name is blank, a number given for a name is not a string', async () => {
    expect(await messagesOf({ name: '' })).toEqual([{ field: 'name', message: 'name must not be blank' }]);
    expect(await messagesOf({ name: '   ' })).toEqual([{ field: 'name', message: 'name must not be blank' }]);
    expect(await messagesOf({ name: 5 })).toEqual([{ field: 'name', message: 'name must be a string' }]);
  });

  it('still lists every rule a value of the right type breaks', async () => {
    const messages = (await messagesOf({ name: ' '.repeat(11) })).map((problem) => problem.message).sort();
    expect(messages).toEqual(['name must be shorter than or equal to 10 characters', 'name must not be blank']);
  });
});
