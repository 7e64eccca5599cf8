/**
 * finwidth core: the engine. Activations, Gaussian expectations, the effective theory, random
 * streams, SIMD kernels, samplers, statistics and the ensemble runner. It never prints and never
 * touches files, so that it can be embedded in another JVM program.
 */
package org.finwidth;
