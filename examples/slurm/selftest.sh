#!/bin/bash
# SLURM self-test: a real single-node SLURM cluster on this machine runs a sharded finwidth run
# (job array + dependent merge, via submit.sh), and the merged result is compared byte for byte
# with one run of the whole ensemble; then a campaign of 3 runs x 2 shards (finwidth campaign
# submit: two job arrays, since this cluster's MaxArraySize is 4, and a dependent collect job),
# whose result files and campaign.csv are compared byte for byte with a local campaign run. Needs root (it installs packages and starts daemons);
# Debian/Ubuntu: installs slurm-wlm and munge with apt-get if missing. Everything else (keys,
# slurm.conf, state, logs, sockets) lives in a temporary directory; the daemons are stopped by
# their pids at the end. Prints "PASS" and the time taken, or "FAIL: why" (exit 1).
#
#   examples/slurm/selftest.sh            # builds the jar through run.sh if needed
#   ./run.sh test --slurm                 # the same, as the JUnit test SlurmSelfTest (tag slurm)
#
# Environment: FINWIDTH_JAVA, FINWIDTH_CP (as submit.sh); SELFTEST_KEEP=1 keeps the temp directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
started=$(date +%s)
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "run as root (installs slurm-wlm and munge, starts munged, slurmctld and slurmd)"

# --- packages ------------------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || fail "slurm-wlm and munge are missing and there is no apt-get to install them"
  echo "selftest: installing slurm-wlm and munge ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update failed"
  apt-get install -y -qq slurm-wlm munge >/dev/null || fail "apt-get install slurm-wlm munge failed"
fi

# --- finwidth ------------------------------------------------------------------------------------
if [[ -z "${FINWIDTH_CP:-}" ]]; then
  "$root/run.sh" --version >/dev/null || fail "could not build finwidth (./run.sh --version)"
  export FINWIDTH_CP="$root/sim/target/finwidth.jar"
fi
if [[ -z "${FINWIDTH_JAVA:-}" ]]; then
  for j in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*25*/bin/java "$(command -v java || true)"; do
    if [[ -x "$j" ]]; then FINWIDTH_JAVA="$j"; break; fi
  done
fi
export FINWIDTH_JAVA="${FINWIDTH_JAVA:?no java found: set FINWIDTH_JAVA}"

# --- a private munge and SLURM in a temporary directory -------------------------------------------
tmp="$(mktemp -d /tmp/finwidth-slurm.XXXXXX)"
chmod 755 "$tmp"
cleanup() {
  local pidfile
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munge/munged.pid"; do
    if [[ -s "$pidfile" ]]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  sleep 1
  if [[ "${SELFTEST_KEEP:-0}" == 1 ]]; then echo "selftest: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
host="$(hostname -s)"
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/run"
chown munge:munge "$tmp/munge"
chmod 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
socket="$tmp/munge/munge.socket"
runuser -u munge -- munged --force --key-file="$tmp/munge/munge.key" --socket="$socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" \
  || fail "munged did not start (log: $tmp/munge/munged.log)"
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 3 / 4 ))
cpus=$(nproc)
cat > "$tmp/slurm.conf" <<CONF
ClusterName=finwidth-selftest
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
# small, so that the campaign's 6 tasks need two job arrays (task indices 0..MaxArraySize-1)
MaxArraySize=4
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=selftest Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start (log: $tmp/log/slurmctld.log)"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start (log: $tmp/log/slurmd.log)"
for _ in $(seq 1 60); do
  state="$(sinfo -h -n "$host" -o %t 2>/dev/null || true)"
  [[ "$state" == idle* || "$state" == mix* ]] && break
  sleep 1
done
[[ "$state" == idle* || "$state" == mix* ]] || fail "the node did not become idle (state '$state'; logs in $tmp/log)"
echo "selftest: SLURM up on $host ($cpus CPUs) after $(( $(date +%s) - started )) s"

# --- the run: 3 shards + merge through SLURM, and one run of the whole ensemble ------------------
flags=(-a tanh --cb 0 --cw 1 -L 3 -n 16 --gram "1,0.5;0.5,2" -M 20000 -s 42)
export FINWIDTH_CHECKPOINT_SECONDS=1
"$here/submit.sh" --shards 3 --dir "$tmp/run" --sbatch "--cpus-per-task=1 --mem=1G" -- "${flags[@]}"
read -r array merge < "$tmp/run/jobs"
# shellcheck disable=SC2086
"$FINWIDTH_JAVA" ${FINWIDTH_JVM_OPTS:-} --add-modules jdk.incubator.vector -cp "$FINWIDTH_CP" org.finwidth.sim.Main \
  simulate "${flags[@]}" --threads 1 --no-progress --json --out "$tmp/single.fwr" > "$tmp/single.json" 2>"$tmp/single.err" \
  || fail "the single run failed: $(cat "$tmp/single.err")"
for _ in $(seq 1 600); do
  [[ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]] && break
  sleep 1
done
[[ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]] && gone=1 || gone=0
[[ $gone == 1 ]] || fail "jobs $array, $merge still queued after 10 minutes: $(squeue -h)"
[[ -f "$tmp/run/merged.fwr" ]] || fail "no merged result; merge log: $(cat "$tmp/run/logs/merge-"*.out 2>/dev/null | tail -5)"
for i in 1 2 3; do
  grep -q "finwidth shard $i/3" "$tmp/run/logs/shard-$i.out" || fail "array task $i did not run"
done
cmp "$tmp/single.fwr" "$tmp/run/merged.fwr" || fail "merged result file differs from the single run"
cmp "$tmp/single.json" "$tmp/run/merged.json" || fail "merged JSON differs from the single run"
echo "selftest: array job $array (3 tasks) and merge job $merge done; merged result = single run, byte for byte"

# --- a campaign: 3 runs x 2 shards submitted, collected, and compared with a local campaign run ------
fw() {
  # shellcheck disable=SC2086
  "$FINWIDTH_JAVA" ${FINWIDTH_JVM_OPTS:-} --add-modules jdk.incubator.vector -cp "$FINWIDTH_CP" org.finwidth.sim.Main "$@"
}
cat > "$tmp/campaign.toml" <<'PLAN'
name = "slurm-selftest"
seed = 7
[axes]
activation = ["tanh", "relu", "swish"]
init = {cb = 0.1, cw = 1.5}
width = 16
depth = 3
gram = 1.0
networks = 4096
PLAN
fw campaign submit "$tmp/campaign.toml" --dir "$tmp/campaign" --shards-per-run 2 --checkpoint-every 1 \
  --sbatch "--cpus-per-task=1 --mem=1G" > "$tmp/submit.out" 2>&1 || fail "campaign submit: $(cat "$tmp/submit.out")"
cat "$tmp/submit.out"
fw campaign run "$tmp/campaign.toml" --dir "$tmp/local" --threads 1 --no-progress > "$tmp/local.out" 2>&1 \
  || fail "the local campaign run failed: $(tail -3 "$tmp/local.out")"
jobs="$(awk '{print $2}' "$tmp/campaign/slurm/jobs.txt" | paste -sd, -)"
arrays="$(grep -c '^array ' "$tmp/campaign/slurm/jobs.txt")"
[[ "$arrays" == 2 ]] || fail "expected the 6 tasks in 2 arrays (MaxArraySize=4), got $arrays: $(cat "$tmp/campaign/slurm/jobs.txt")"
for _ in $(seq 1 600); do
  [[ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ]] && break
  sleep 1
done
[[ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ]] || fail "campaign jobs $jobs still queued after 10 minutes: $(squeue -h)"
[[ -f "$tmp/campaign/campaign.csv" ]] \
  || fail "no campaign.csv; collect log: $(tail -5 "$tmp/campaign/logs/"collect-*.out 2>/dev/null); status: $(fw campaign status "$tmp/campaign")"
for t in 1 2 3 4 5 6; do
  grep -q "finwidth campaign task $t: exit code 0" "$tmp/campaign/logs/task-$t.log" || fail "campaign task $t did not succeed"
done
n=0
for f in "$tmp/local/runs/"*.fwr; do
  cmp "$f" "$tmp/campaign/runs/$(basename "$f")" || fail "$(basename "$f"): SLURM result differs from the local run"
  n=$((n + 1))
done
[[ $n == 3 ]] || fail "expected 3 runs, the local campaign has $n"
cmp "$tmp/local/campaign.csv" "$tmp/campaign/campaign.csv" || fail "campaign.csv differs from the local run's"
fw campaign status "$tmp/campaign" > "$tmp/status.out" || fail "campaign status failed"
grep -q ": 3 runs: 3 done" "$tmp/status.out" || fail "campaign status: $(cat "$tmp/status.out")"
echo "selftest: campaign of 3 runs x 2 shards in 2 job arrays and a collect job ($jobs) done; its 3 result files"
echo "selftest: and campaign.csv = the local campaign run's, byte for byte"
echo "PASS in $(( $(date +%s) - started )) s"
