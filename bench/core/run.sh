#!/usr/bin/env bash
# Builds and runs the core benchmarks (parse + validate vs a bare DOM parse) in about four minutes.
# Usage: bench/core/run.sh [extra JMH options, e.g. -prof gc (allocation per op), -f 2, -p input=corpus]
# Results: bench/core/results/ (JSON and text, git-ignored); the figures go into docs/benchmarks/core.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/bench/lib/common.sh"
corpus="${CSEMU_CORPUS:-$root/../shared/corpus}"
inputs=()
if [[ ! -d "$corpus" ]]; then
  # a user's clone has no shared corpus: measure the generated service only (set CSEMU_CORPUS for the corpus pair)
  echo "run.sh: no corpus at $corpus (set CSEMU_CORPUS to add the corpus input); measuring the generated input only" >&2
  inputs=(-p input=generated)
fi

bench_mvn -f "$here/pom.xml" -DskipTests package
mkdir -p "$here/results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
java -Dcsemu.corpus="$corpus" -jar "$here/jmh/target/benchmarks.jar" ParseValidateBenchmark "${inputs[@]}" \
  -rf json -rff "$here/results/core-$stamp.json" "$@" | tee "$here/results/core-$stamp.txt"
