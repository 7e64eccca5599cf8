/**
 * Ensemble statistics: exact, mergeable accumulators ({@link org.finwidth.stats.ExactSum}) of
 * per-network observables, and estimates with standard errors (two-point function, connected
 * four-point vertex, kurtosis ratios) computed from them.
 */
package org.finwidth.stats;
