/**
 * Hot kernels behind interfaces (one per family: {@link org.finwidth.vector.ActivationKernels}, ...),
 * each with a scalar reference implementation here and a Panama (Vector API) implementation in
 * {@code vector.panama}; {@link org.finwidth.vector.KernelProvider} picks one per JVM.
 */
package org.finwidth.vector;
