/**
 * Gaussian expectations ⟨f(z)⟩_K and ⟨f(z1, z2)⟩_K (docs/theory.md §1.2) by adaptive Gauss–Kronrod
 * quadrature, split at kinks, accurate to about 1e-13 of ⟨|f|⟩ with a bounded number of function
 * evaluations; vector-valued so that several averages share one set of nodes.
 */
package org.finwidth.gauss;
