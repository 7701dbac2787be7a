import type { Figure } from './lib/report';
import { bedBoard } from './bed-board.bench';
import { enrolmentBurst } from './enrolment-burst.bench';
import { flashCrowd } from './flash-crowd.bench';
import { httpCeiling } from './http-ceiling.bench';
import { ledgerAudit } from './ledger-audit.bench';
import { timeBankLoad } from './time-bank.bench';

export interface ScenarioOutcome {
  figures: Figure[];
  details: unknown;
  /** Empty when every invariant checked at the end held. */
  correctnessProblems: string[];
}

export interface Scenario {
  name: string;
  description: string;
  run(): Promise<ScenarioOutcome>;
}

export const scenarios: Scenario[] = [httpCeiling, enrolmentBurst, flashCrowd, bedBoard, timeBankLoad, ledgerAudit];
