import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `time_bank_batch` as this migration creates it: each operation in its own subtransaction. */
export const TIME_BANK_BATCH_FUNCTION = `
      CREATE FUNCTION time_bank_batch(p_ops jsonb) RETURNS TABLE (item int, operation text, answer jsonb, failure jsonb) LANGUAGE plpgsql AS $$
      DECLARE
        op jsonb;
        next_item int := 0;
        f_code text; f_message text; f_detail text; f_constraint text;
      BEGIN
        IF jsonb_typeof(p_ops) <> 'array' THEN RAISE EXCEPTION 'time_bank_batch takes an array'; END IF;
        PERFORM 1 FROM time_bank_accounts
          WHERE user_id IN (SELECT (o->>'user')::uuid FROM jsonb_array_elements(p_ops) o
                            UNION SELECT (o->>'to')::uuid FROM jsonb_array_elements(p_ops) o WHERE o->>'op' = 'gift')
          ORDER BY id FOR UPDATE;
        FOR op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
          item := next_item;
          operation := op->>'op';
          answer := NULL;
          failure := NULL;
          next_item := next_item + 1;
          BEGIN
            CASE operation
              WHEN 'hold' THEN
                answer := time_bank_hold((op->>'user')::uuid, op->>'key', op->>'hash', op->>'serviceType', (op->>'minutes')::int,
                                         (op->>'scheduledFor')::timestamptz, op->>'note', op->>'bornBy', (op->>'minAge')::int);
              WHEN 'gift' THEN
                answer := time_bank_gift((op->>'user')::uuid, op->>'key', op->>'hash', (op->>'to')::uuid, (op->>'minutes')::int,
                                         op->>'relationship', (op->>'limit')::bigint);
              ELSE
                RAISE EXCEPTION 'unknown ledger operation %', operation;
            END CASE;
          EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS f_code = RETURNED_SQLSTATE, f_message = MESSAGE_TEXT, f_detail = PG_EXCEPTION_DETAIL,
                                    f_constraint = CONSTRAINT_NAME;
            answer := NULL;
            failure := jsonb_build_object('code', f_code, 'message', f_message, 'detail', nullif(f_detail, ''),
                                          'constraint', nullif(f_constraint, ''));
          END;
          RETURN NEXT;
        END LOOP;
      END $$`;

/**
 * Group commit of the ledger's busiest operations: `time_bank_batch` takes a JSON array of
 * redemption holds and gifts and runs each one, in order, through the same function a single
 * call uses (`time_bank_hold`, `time_bank_gift`), so every rule and every CHECK is the one
 * already tested. Each operation runs in its own subtransaction: a refused one (or one that
 * met a deadlock) rolls back alone and its error is returned in its row, the others commit
 * together. One statement and one commit (one WAL flush) for the whole batch.
 *
 * Before the first operation, the accounts of every user the batch names are locked in id
 * order, the same order the single-operation functions use; concurrent batches therefore wait
 * for each other instead of deadlocking half-way through.
 *
 * Each row returned: `item` (the position in the array), `operation`, `answer` (the function's answer) or
 * `failure` (`code` SQLSTATE, `message`, `detail`, `constraint`), never both.
 */
export class TimeBankLedgerBatch1764400800000 implements MigrationInterface {
  name = 'TimeBankLedgerBatch1764400800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TIME_BANK_BATCH_FUNCTION);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION time_bank_batch(jsonb)`);
  }
}
