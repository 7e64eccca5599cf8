/**
 * The Vector API ({@code jdk.incubator.vector}) implementations of the kernel families: the only
 * code in finwidth that imports the incubator module. Loaded reflectively by
 * {@link org.finwidth.vector.KernelProvider}, so the rest of core runs without the module.
 */
package org.finwidth.vector.panama;
