#!/usr/bin/env bash
# `npm run bench:time-bank-before`: the time bank's "≥ 3 × before" line, measured on this machine
# now instead of against the figure of another day.
#
# Builds commit a5de3cb (the ledger before one function call per operation and group commit) in
# a scratch clone, gives it this tree's load generator (bench/lib/load-generator.ts, load.ts) and
# the scenario's present shape (bench/time-bank-before.patch: the 1,000 connections opened before
# the clock starts, an untimed run, then the timed one), then alternates
# `BENCH_ONLY=time-bank npm run bench` there and here, ROUNDS times (default 3), and prints each
# pair's transfers per second and their ratio. Run it with nothing else on the machine; the
# scratch clone is removed at the end. Needs the npm registry (for the old commit's `npm ci`) and
# a clone with history (not a shallow one).
set -euo pipefail

BEFORE=a5de3cb
ROUNDS=${ROUNDS:-3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if ! git -C "$root" cat-file -e "${BEFORE}^{commit}" 2>/dev/null; then
  echo "commit ${BEFORE} is not in this clone's history (a shallow clone? git fetch --unshallow)" >&2
  exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "building ${BEFORE} in ${scratch}/before"
git clone -q "$root" "$scratch/before"
git -C "$scratch/before" checkout -q "$BEFORE"
cp "$root/bench/lib/load-generator.ts" "$root/bench/lib/load.ts" "$scratch/before/bench/lib/"
git -C "$scratch/before" apply "$root/bench/time-bank-before.patch"
(cd "$scratch/before" && npm ci --no-audit --no-fund >/dev/null 2>&1)

# Runs the time bank scenario in directory $1 and prints its transfers per second.
transfers() {
  local log
  log=$(cd "$1" && BENCH_ONLY=time-bank npm run bench 2>&1) || {
    printf '%s\n' "$log" | tail -20 >&2
    echo "the time bank scenario failed in $1" >&2
    exit 1
  }
  printf '%s\n' "$log" | grep -E '^time-bank +\| transfers' | grep -oE '[0-9]+ /s' | grep -oE '^[0-9]+'
}

for ((round = 1; round <= ROUNDS; round++)); do
  before=$(transfers "$scratch/before")
  now=$(transfers "$root")
  echo "round ${round}: before ${before} /s, now ${now} /s: $(awk -v a="$now" -v b="$before" 'BEGIN { printf "%.2f", a / b }') × (target ≥ 3 ×)"
done
