/**
 * `npm run bench`: runs the scenarios of docs/quality.md against production builds of the API and
 * worker on real PostgreSQL and Redis, prints a table, and writes JSON and SVG charts under
 * docs/benchmarks/. Each scenario checks correctness at its end and the run fails loudly if not.
 * `BENCH_ONLY=name,name` runs a subset and writes it to `docs/benchmarks/partial.json` (charts `*.partial.svg`), leaving the
 * full run's results alone.
 */
import { cpus, totalmem } from 'node:os';
import { printTable, writeJson, type Figure } from './lib/report';
import { scenarios } from './scenarios';
import { timeBankRatioToHttpCeiling } from './time-bank.bench';

async function main(): Promise<void> {
  const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  const selected = scenarios.filter((scenario) => only.length === 0 || only.includes(scenario.name));
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  let failed = false;
  for (const scenario of selected) {
    console.log(`\n== ${scenario.name}: ${scenario.description}`);
    const started = Date.now();
    try {
      const outcome = await scenario.run();
      figures.push(...outcome.figures);
      details[scenario.name] = outcome.details;
      if (outcome.correctnessProblems.length > 0) {
        failed = true;
        console.error(`CORRECTNESS FAILED in ${scenario.name}:\n  - ${outcome.correctnessProblems.join('\n  - ')}`);
      }
    } catch (error) {
      failed = true;
      console.error(`scenario ${scenario.name} crashed:`, error);
    }
    console.log(`(${scenario.name} took ${Math.round((Date.now() - started) / 1000)} s)`);
  }
  figures.push(...timeBankRatioToHttpCeiling(figures));
  console.log('');
  printTable(figures);
  const command = only.length > 0 ? `BENCH_ONLY=${only.join(',')} npm run bench` : 'npm run bench';
  const file = writeJson(only.length > 0 ? 'partial' : 'latest', { at: new Date().toISOString(), machine, command, figures, details });
  console.log(`\nresults: ${file}`);
  if (failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
