/**
 * JMH benchmarks of finwidth's kernels (see bench/README.md for what each measures and how to run
 * it); built into the runnable bench/target/benchmarks.jar.
 */
package org.finwidth.bench;
