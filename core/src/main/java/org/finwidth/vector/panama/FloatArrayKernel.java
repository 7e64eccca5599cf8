package org.finwidth.vector.panama;

/**
 * A compiled element-wise float kernel: {@code out[oo + i] = f(z[zo + i])} for i &lt; n, arguments
 * already checked ({@link PanamaActivationKernels}). Implementations are generated at run time
 * ({@link FormulaCompiler}).
 */
interface FloatArrayKernel {
  /** Applies the kernel; z == out with zo == oo (in place) is allowed. */
  void apply(float[] z, int zo, float[] out, int oo, int n);
}
