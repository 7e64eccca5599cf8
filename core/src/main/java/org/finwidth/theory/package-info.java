/**
 * The effective theory of Roberts, Yaida &amp; Hanin (docs/theory.md §2–§6): kernel recursion,
 * susceptibilities, criticality and universality classes, four-point vertex V and NLO kernel K1,
 * the exact finite-width oracle, and the per-layer {@link org.finwidth.theory.Prediction} of a network.
 */
package org.finwidth.theory;
