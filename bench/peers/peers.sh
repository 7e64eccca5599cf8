#!/usr/bin/env bash
# The peer comparison (bench/README.md, "Peers"): finwidth's samplers, the plain-Java peer and
# PyTorch on the same spec (width 256, depth 10, ReLU, d = 1) on 1 and 2 threads, back to back.
# Installs Debian's python3-torch if it is missing. Usage: bench/peers/peers.sh JAVA [--seconds S]
# Writes bench/results/peers-java.json, peers-torch.json and peers.json; prints the table.
set -euo pipefail
JAVA="$1"; shift
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RESULTS="$ROOT/bench/results"
# Debian's torch is installed for the system Python, whatever python3 is first on the PATH.
PY=/usr/bin/python3
[[ -x "$PY" ]] || PY="$(command -v python3 || true)"

if [[ -z "$PY" ]] || ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "peers: installing Debian's python3-torch (PyTorch for the CPU) ..." >&2
  SUDO=(); [[ "$(id -u)" -eq 0 ]] || SUDO=(sudo)
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "peers: PyTorch is missing and this is not a Debian/Ubuntu system: install torch for $PY by hand" >&2
    exit 1
  fi
  "${SUDO[@]}" apt-get install -y python3-torch >&2 || { "${SUDO[@]}" apt-get update >&2 && "${SUDO[@]}" apt-get install -y python3-torch >&2; }
  PY=/usr/bin/python3
  "$PY" -c 'import torch' || { echo "peers: torch still cannot be imported by $PY" >&2; exit 1; }
fi

mkdir -p "$RESULTS"
echo "peers: finwidth and plain Java (JMH) ..." >&2
JAR="$ROOT/bench/target/benchmarks.jar"
# shellcheck source=../suite.sh
source "$ROOT/bench/suite.sh"
suite run peers "$RESULTS/peers-java.json" "$RESULTS/peers-jmh.log" >/dev/null
echo "peers: PyTorch ..." >&2
"$PY" "$HERE/torch_peers.py" --threads 1,2 --out "$RESULTS/peers-torch.json" "$@"
"$PY" "$HERE/peers_table.py" "$RESULTS/peers-java.json" "$RESULTS/peers-torch.json" "$RESULTS/peers.json"
