#!/usr/bin/env bash
# finwidth launcher: finds a JDK 25, builds when sources changed, and runs a command.
#
#   ./run.sh                    the main job: experiment universality --quick (see README.md)
#   ./run.sh test [--slow]      every check (./mvnw -B verify); --slow adds the opt-in suites
#   ./run.sh test --slurm       only the SLURM integration test (root; examples/slurm/selftest.sh)
#   ./run.sh bench [JMH args]   the JMH benchmarks (see bench/README.md)
#   ./run.sh install            installs the core library (org.finwidth:finwidth-core) into ~/.m2
#   ./run.sh docs               the API documentation of core (doclint on, no warnings) in core/target/apidocs
#   ./run.sh <command> [args]   a finwidth command: activations, criticality, theory, simulate, ...
#
# A finwidth command runs in the directory run.sh was called from, so relative paths (--out,
# --csv, results/NAME) mean what they say there; building, `test` and `bench` happen in the
# repository. The JVM replaces this script (exec): a signal to run.sh reaches the JVM, and the
# exit code and the last line on stderr are the JVM's. FINWIDTH_CLASSPATH=CP runs the command from
# those classes without building (an IDE's build; the launcher's own tests).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REQUIRED_JAVA=25

# --- Find a JDK 25+ -----------------------------------------------------------------------
java_major() { # prints the feature version of the java binary $1, or nothing
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)" || true
  v="${v#1.}"
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
}
is_jdk() { # a JDK, not a JRE: the build needs javac
  [[ -x "$1/bin/java" && -x "$1/bin/javac" ]]
}
find_jdk() {
  local cand v
  if [[ -n "${JAVA_HOME:-}" ]] && is_jdk "$JAVA_HOME"; then
    v="$(java_major "$JAVA_HOME/bin/java")"
    if [[ -n "$v" && "$v" -ge $REQUIRED_JAVA ]]; then echo "$JAVA_HOME"; return; fi
  fi
  if command -v java >/dev/null 2>&1; then
    cand="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    v="$(java_major "$cand/bin/java")"
    if is_jdk "$cand" && [[ -n "$v" && "$v" -ge $REQUIRED_JAVA ]]; then echo "$cand"; return; fi
  fi
  local best="" bestv=0
  for cand in /usr/lib/jvm/*; do
    [[ -d "$cand" ]] && is_jdk "$cand" || continue
    v="$(java_major "$cand/bin/java")"
    if [[ -n "$v" && "$v" -ge $REQUIRED_JAVA && "$v" -gt $bestv ]]; then best="$cand"; bestv="$v"; fi
  done
  [[ -n "$best" ]] && echo "$best"
}
JDK="$(find_jdk || true)"
if [[ -z "$JDK" ]]; then
  echo "finwidth: no JDK $REQUIRED_JAVA or newer found (checked JAVA_HOME, java on the PATH, /usr/lib/jvm/*); install one, e.g. 'apt install temurin-25-jdk' or an archive from adoptium.net, and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$JDK"
JAVA="$JDK/bin/java"
JVM_OPTS=(--add-modules jdk.incubator.vector "-Dfinwidth.repository=$ROOT" ${FINWIDTH_JVM_OPTS:-})

MVN=("$ROOT/mvnw" -B)
APP_JAR="$ROOT/sim/target/finwidth.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
STAMP="$ROOT/target/.build-stamp"

# --- Build only when something the jars are made of changed since the last build ---------
needs_build() {
  [[ -f "$APP_JAR" && -f "$BENCH_JAR" && -f "$STAMP" ]] || return 0
  [[ -n "$(cd "$ROOT" && find pom.xml core sim bench .mvn -newer "$STAMP" -type f \
             -not -path '*/target/*' -not -path 'bench/results/*' -print -quit 2>/dev/null)" ]]
}
build() {
  needs_build || return 0
  mkdir -p "$ROOT/target"
  # One build at a time: a second launcher waits for the first one's build, then finds it done.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$ROOT/target/.build-lock"
    flock 9
  fi
  if needs_build; then
    echo "finwidth: building (sources changed since the last build) ..." >&2
    local log="$ROOT/target/build.log"
    local started; started="$(date +%s)"
    touch "$STAMP.new"
    if ! (cd "$ROOT" && "${MVN[@]}" -q -DskipTests package) >"$log" 2>&1; then
      cat "$log" >&2
      echo "finwidth: build failed (log above, also in $log)" >&2
      rm -f "$STAMP.new"
      exit 1
    fi
    mv "$STAMP.new" "$STAMP"
    echo "finwidth: built in $(( $(date +%s) - started )) s" >&2
  fi
  exec 9>&-
}

# The JVM announces the incubator module on every start; that line is noise for a user. It is
# the first line the JVM writes to stderr: drop it and pass everything after it through unbuffered
# (progress bars redraw a line with carriage returns, which a line filter would hold back).
# The filter ignores INT, TERM and HUP, so that a signal to the whole process group (Ctrl-C,
# `timeout`, a batch system) leaves it running until the JVM has written its last line and closed
# the pipe. The JVM's stderr is then a pipe, so tell it whether ours is a terminal (progress bars).
drop_incubator_warning() {
  local first
  if IFS= read -r first; then
    [[ "$first" == "WARNING: Using incubator modules"* ]] || printf '%s\n' "$first"
  elif [[ -n "$first" ]]; then
    printf '%s' "$first"
  fi
  exec cat
}
exec_java() {
  if [[ -t 2 ]]; then export FINWIDTH_STDERR_TTY=1; else export FINWIDTH_STDERR_TTY=0; fi
  exec "$JAVA" "${JVM_OPTS[@]}" "$@" 2> >(trap '' INT TERM HUP; drop_incubator_warning >&2)
}

cmd="${1:-}"
case "$cmd" in
  test)
    shift
    extra=()
    for a in "$@"; do
      case "$a" in
        --slow|slow) extra+=("-Dtest.excluded.groups=slurm") ;;
        --slurm|slurm) extra+=("-Dtest.excluded.groups=slow" "-Dgroups=slurm" "-Dsurefire.failIfNoSpecifiedTests=false") ;;
        *) extra+=("$a") ;;
      esac
    done
    cd "$ROOT"
    exec "${MVN[@]}" verify "${extra[@]}"
    ;;
  docs)
    shift
    cd "$ROOT"
    # Every package of core but vector.panama (an implementation package, loaded reflectively:
    # documenting it needs the incubator module, and javadoc warns about every incubator use).
    pkgs=()
    while IFS= read -r p; do pkgs+=("$p"); done < <(cd core/src/main/java && find org -name '*.java' -exec dirname {} \; \
      | sort -u | tr / . | grep -vx 'org\.finwidth\.vector\.panama')
    out="$ROOT/core/target/apidocs"
    rm -rf "$out"
    "$JDK/bin/javadoc" -Xdoclint:all,-missing -Werror -quiet -d "$out" -sourcepath core/src/main/java \
      -doctitle "finwidth core $(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n1)" "$@" "${pkgs[@]}"
    echo "finwidth: the API documentation of core is in $out/index.html" >&2
    ;;
  install)
    shift
    cd "$ROOT"
    exec "${MVN[@]}" -DskipTests install -pl core -am "$@"
    ;;
  bench)
    shift
    build
    cd "$ROOT"
    if [[ -x "$ROOT/bench/bench.sh" ]]; then
      exec "$ROOT/bench/bench.sh" "$JAVA" "$@"
    fi
    exec_java -jar "$BENCH_JAR" "$@"
    ;;
  *)
    if [[ -n "${FINWIDTH_CLASSPATH:-}" ]]; then
      exec_java -cp "$FINWIDTH_CLASSPATH" org.finwidth.sim.Main "$@"
    fi
    build
    exec_java -jar "$APP_JAR" "$@"
    ;;
esac
