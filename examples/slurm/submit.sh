#!/bin/bash
# Submits a sharded finwidth run to SLURM: a job array with one shard per task, and a merge job
# that runs when every task has succeeded (--dependency=afterok). Prints the two job ids.
#
#   examples/slurm/submit.sh --shards N --dir DIR [--tasks LIST] [--sbatch "OPTS"] -- SIMULATE_FLAGS...
#
#   --shards N     number of shards = array tasks 1..N (at most M/1024)
#   --dir DIR      directory for shard files, checkpoints, logs and the merged result, on a file
#                  system every node sees; created if missing
#   --tasks LIST   only these array tasks (e.g. 3,7 or 2-5): resubmits failed shards, which resume
#                  from their checkpoints; a new merge job waits for them (the other shards' files are kept)
#   --sbatch OPTS  extra sbatch options for both jobs, e.g. "--partition=short --account=abc"
#   SIMULATE_FLAGS the flags of one `finwidth simulate` of the whole run: network, --networks, --seed,
#                  --sampler (not --shard, --threads, --out, --checkpoint: the job script sets those)
#
# Environment: FINWIDTH_JAVA (default: $JAVA_HOME/bin/java, else java), FINWIDTH_CP (default: the
# jar sim/target/finwidth.jar of this checkout; build it once with ./run.sh --version),
# FINWIDTH_JVM_OPTS, FINWIDTH_CHECKPOINT_SECONDS (default 300).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shards="" dir="" tasks="" extra=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shards) shards="${2:-}"; shift 2 ;;
    --dir) dir="${2:-}"; shift 2 ;;
    --tasks) tasks="${2:-}"; shift 2 ;;
    --sbatch) extra="${2:-}"; shift 2 ;;
    --) shift; break ;;
    *) echo "submit.sh: unknown option '$1' (usage in the header of $0)" >&2; exit 2 ;;
  esac
done
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: --shards N (a whole number >= 1) is required" >&2; exit 2; }
[[ -n "$dir" ]] || { echo "submit.sh: --dir DIR is required" >&2; exit 2; }
[[ $# -gt 0 ]] || { echo "submit.sh: give the simulate flags after --" >&2; exit 2; }
for a in "$@"; do
  case "$a" in
    --shard|--shard=*|--range|--range=*|--out|--out=*|--checkpoint|--checkpoint=*|--threads|--threads=*|-t)
      echo "submit.sh: $a is set by the job script; leave it out of the simulate flags" >&2; exit 2 ;;
  esac
done
command -v sbatch >/dev/null || { echo "submit.sh: sbatch not found (is SLURM loaded?)" >&2; exit 1; }
java_bin="${FINWIDTH_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}"
java_bin="${java_bin:-java}"
cp="${FINWIDTH_CP:-$root/sim/target/finwidth.jar}"
[[ -n "${FINWIDTH_CP:-}" || -f "$cp" ]] || { echo "submit.sh: $cp missing; build it once with $root/run.sh --version" >&2; exit 1; }
mkdir -p "$dir/logs"
dir="$(cd "$dir" && pwd)"
export FINWIDTH_SHARDS="$shards" FINWIDTH_DIR="$dir" FINWIDTH_JAVA="$java_bin" FINWIDTH_CP="$cp"
# shellcheck disable=SC2086  # extra holds several sbatch options
array=$(sbatch --parsable $extra --array="${tasks:-1-$shards}" --output="$dir/logs/shard-%a.out" \
  --export=ALL "$here/shard.sbatch" "$@")
array="${array%%;*}"
# shellcheck disable=SC2086
merge=$(sbatch --parsable $extra --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$dir/logs/merge-%j.out" --export=ALL "$here/merge.sbatch")
merge="${merge%%;*}"
echo "array job $array (tasks ${tasks:-1-$shards}), merge job $merge; result: $dir/merged.fwr, merged.json, merged.txt"
echo "$array $merge" > "$dir/jobs"
