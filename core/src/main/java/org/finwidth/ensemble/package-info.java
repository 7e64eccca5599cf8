/**
 * The ensemble runner: M networks in fixed blocks on a thread pool, exact merging (results
 * independent of thread count, shard split and resumption), progress, cancellation, divergence
 * accounting, and the mergeable, serialisable {@link org.finwidth.ensemble.EnsembleResult}.
 */
package org.finwidth.ensemble;
