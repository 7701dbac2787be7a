import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TIME_BANK_BATCH_FUNCTION } from './1764400800000-time-bank-ledger-batch';

/**
 * `time_bank_batch` runs consecutive operations in one subtransaction instead of one each.
 *
 * A subtransaction per operation cost about as much as the operation's own statements (measured
 * on a batch of 64 holds and gifts: 52 ms with one each, 35 ms with one for the batch), and the
 * batch runs on one backend while every other batch waits for its account locks, so that cost
 * was the ledger's ceiling.
 *
 * The outcome is the one of running every operation in its own subtransaction, in order:
 * - From position `pos`, the operations run together in one subtransaction.
 * - If all succeed, they are done.
 * - If the one at `cur` fails, the subtransaction rolls back to the state before `pos`. The
 *   operations from `pos` to `cur - 1` run together again: they succeeded from this same state.
 *   If one of them fails this time, the run is shortened again; an empty run cannot fail, so
 *   this ends. Then the operation at `cur` runs alone in its own subtransaction, and its answer
 *   or error is what it returns. The next run starts after it.
 *
 * An operation is therefore only ever answered by a run whose effects stay, or refused by a run
 * of its own that left nothing. A refusal costs one more run of the operations before it in its
 * group, which is the price of the common case (no refusal) costing one subtransaction.
 *
 * PL/pgSQL variables are not rolled back with a subtransaction; that is how `cur` survives its
 * failure, and why an answer is only kept from a run that was not undone (every position is
 * written again by the run that finally keeps it).
 */
export const TIME_BANK_BATCH_RUN_FUNCTION = `
      CREATE FUNCTION time_bank_batch_run(p_op jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
      BEGIN
        CASE p_op->>'op'
          WHEN 'hold' THEN
            RETURN time_bank_hold((p_op->>'user')::uuid, p_op->>'key', p_op->>'hash', p_op->>'serviceType', (p_op->>'minutes')::int,
                                  (p_op->>'scheduledFor')::timestamptz, p_op->>'note', p_op->>'bornBy', (p_op->>'minAge')::int);
          WHEN 'gift' THEN
            RETURN time_bank_gift((p_op->>'user')::uuid, p_op->>'key', p_op->>'hash', (p_op->>'to')::uuid, (p_op->>'minutes')::int,
                                  p_op->>'relationship', (p_op->>'limit')::bigint);
          ELSE
            RAISE EXCEPTION 'unknown ledger operation %', p_op->>'op';
        END CASE;
      END $$`;

export const TIME_BANK_BATCH_GROUPS_FUNCTION = `
      CREATE OR REPLACE FUNCTION time_bank_batch(p_ops jsonb) RETURNS TABLE (item int, operation text, answer jsonb, failure jsonb) LANGUAGE plpgsql AS $$
      DECLARE
        n int;
        answers jsonb[] := '{}';
        failures jsonb[] := '{}';
        pos int := 0;
        stop int;
        cur int;
        failed boolean;
        f_code text; f_message text; f_detail text; f_constraint text;
      BEGIN
        IF jsonb_typeof(p_ops) <> 'array' THEN RAISE EXCEPTION 'time_bank_batch takes an array'; END IF;
        n := jsonb_array_length(p_ops);
        PERFORM 1 FROM time_bank_accounts
          WHERE user_id IN (SELECT (o->>'user')::uuid FROM jsonb_array_elements(p_ops) o
                            UNION SELECT (o->>'to')::uuid FROM jsonb_array_elements(p_ops) o WHERE o->>'op' = 'gift')
          ORDER BY id FOR UPDATE;
        WHILE pos < n LOOP
          -- The longest run from pos that succeeds together (at worst none).
          stop := n;
          LOOP
            failed := false;
            BEGIN
              FOR i IN pos..stop - 1 LOOP
                cur := i;
                answers[i + 1] := time_bank_batch_run(p_ops->i);
              END LOOP;
            EXCEPTION WHEN OTHERS THEN
              failed := true;
              stop := cur;
            END;
            EXIT WHEN NOT failed;
          END LOOP;
          EXIT WHEN stop >= n;
          -- The operation that failed after that run, alone.
          BEGIN
            answers[stop + 1] := time_bank_batch_run(p_ops->stop);
          EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS f_code = RETURNED_SQLSTATE, f_message = MESSAGE_TEXT, f_detail = PG_EXCEPTION_DETAIL,
                                    f_constraint = CONSTRAINT_NAME;
            answers[stop + 1] := NULL;
            failures[stop + 1] := jsonb_build_object('code', f_code, 'message', f_message, 'detail', nullif(f_detail, ''),
                                                     'constraint', nullif(f_constraint, ''));
          END;
          pos := stop + 1;
        END LOOP;
        FOR i IN 0..n - 1 LOOP
          item := i;
          operation := p_ops->i->>'op';
          answer := answers[i + 1];
          failure := failures[i + 1];
          RETURN NEXT;
        END LOOP;
      END $$`;

export class TimeBankBatchGroups1764400810000 implements MigrationInterface {
  name = 'TimeBankBatchGroups1764400810000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TIME_BANK_BATCH_RUN_FUNCTION);
    await queryRunner.query(TIME_BANK_BATCH_GROUPS_FUNCTION);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION time_bank_batch(jsonb)`);
    await queryRunner.query(TIME_BANK_BATCH_FUNCTION);
    await queryRunner.query(`DROP FUNCTION time_bank_batch_run(jsonb)`);
  }
}
