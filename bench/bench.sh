#!/usr/bin/env bash
# Benchmark entry point, called by ./run.sh bench with the JDK's java first (bench/README.md):
#   --quick                      the guard's fixed subset: table, bench/results/latest.json (~4 min)
#   --compare [--no-run] [--threshold T]
#                                run --quick (unless --no-run), then compare latest.json with the
#                                committed baseline of this machine class (results/baseline-CLASS.json,
#                                CLASS = ISA-CPU model, e.g. avx2-epyc), measure the regressed results
#                                once more (a regression must show twice); exit 1 on a regression,
#                                3 inconclusive (busy machine), 4 no baseline for this machine class
#   --baseline                   run --quick, then record latest.json as this class's baseline
#   --peers [--seconds S]        finwidth vs plain Java vs PyTorch (bench/peers/peers.sh)
#   anything else                passed to the JMH jar (e.g. 'LayerBenchmark' -p n=256 -prof gc)
#                                (its JVM gets jdk.incubator.vector as the forks do: -f 0 works)
# The suites wait while another JMH run holds /tmp/jmh.lock (FINWIDTH_BENCH_IGNORE_LOCK=1: don't).
set -euo pipefail
JAVA="$1"; shift
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/target/benchmarks.jar"
RESULTS="$HERE/results"
# shellcheck source=suite.sh
source "$HERE/suite.sh"
quick() {
  suite run quick "$RESULTS/latest.json" "$RESULTS/quick-jmh.log"
}

case "${1:-}" in
  --quick)
    quick
    ;;
  --compare)
    shift
    run=1; threshold=()
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --no-run) run=0 ;;
        --threshold) threshold=("${2:?--threshold needs a value}"); shift ;;
        *) echo "bench: unknown --compare option $1 (--no-run, --threshold T)" >&2; exit 2 ;;
      esac
      shift
    done
    [[ $run -eq 0 ]] || quick
    suite guard "$RESULTS" "$RESULTS/latest.json" "${threshold[@]}"
    ;;
  --baseline)
    quick
    suite record "$RESULTS" "$RESULTS/latest.json"
    ;;
  --peers)
    shift
    exec "$HERE/peers/peers.sh" "$JAVA" "$@"
    ;;
  *)
    # the module too, so that -f 0 (benchmarks in this JVM, no fork) runs the Panama kernels
    exec "$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" "$@"
    ;;
esac
