# Sourced by bench.sh and peers/peers.sh: suite ARGS runs org.finwidth.bench.suite.BenchSuite with
# $JAVA and $JAR, its stderr without the JVMs' start-up notices (the incubator module, JMH's use of
# sun.misc.Unsafe, the forks' kernel choice: the tables state the lanes). The suites wait (up to
# 30 min) while another JMH run holds /tmp/jmh.lock; FINWIDTH_BENCH_IGNORE_LOCK=1 measures beside
# it instead (the numbers then say little).
suite() {
  "$JAVA" --add-modules jdk.incubator.vector ${FINWIDTH_BENCH_IGNORE_LOCK:+-Djmh.ignoreLock=true} \
    -cp "$JAR" org.finwidth.bench.suite.BenchSuite "$@" \
    2> >(grep --line-buffered -v -e '^WARNING: Using incubator modules' -e '^WARNING: .*sun\.misc\.Unsafe' \
           -e '^WARNING: Please consider reporting this to the maintainers of class org\.openjdk\.jmh' \
           -e 'org.finwidth.vector.KernelProvider select$' -e '^INFO: finwidth kernels: ' >&2)
}
