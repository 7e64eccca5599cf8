/**
 * The benchmark suites and the regression guard (bench/README.md): fixed selections of the JMH
 * benchmarks ({@link org.finwidth.bench.suite.Suites}), run through JMH's API with the machine
 * baselines in the same run ({@link org.finwidth.bench.suite.SuiteRunner}), every result stated as
 * a fraction of the machine's limit ({@link org.finwidth.bench.suite.Row}), written as JSON
 * ({@link org.finwidth.bench.suite.SuiteRun}) and compared with a committed baseline
 * ({@link org.finwidth.bench.suite.Guard}).
 */
package org.finwidth.bench.suite;
