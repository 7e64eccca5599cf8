package org.finwidth.vector.panama;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.finwidth.activation.Formula;

/**
 * The compiled float kernels of each formula ({@link FormulaCompiler}), made on first use and kept
 * while the formula is reachable (equal formulas share them). A formula too large for the JIT
 * runs the double evaluator element by element instead ({@link Formula#floatValues}).
 */
final class FormulaKernels {
  private FormulaKernels() {}

  /** The value and derivative kernels; either may be null (too large: evaluated in double). */
  record Compiled(FloatArrayKernel value, FloatArrayKernel derivative) {}

  private static final Map<Formula, Compiled> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

  static Compiled of(Formula f) {
    return CACHE.computeIfAbsent(f, k -> new Compiled(
        FormulaCompiler.compile(k.compiled().tree(), false),
        FormulaCompiler.compile(k.compiled().tree(), true)));
  }

  static void value(Formula f, float[] z, int zo, float[] out, int oo, int n) {
    FloatArrayKernel k = of(f).value();
    if (k == null) {
      f.floatValues(z, zo, out, oo, n);
    } else {
      k.apply(z, zo, out, oo, n);
    }
  }

  static void derivative(Formula f, float[] z, int zo, float[] out, int oo, int n) {
    FloatArrayKernel k = of(f).derivative();
    if (k == null) {
      f.floatDerivatives(z, zo, out, oo, n);
    } else {
      k.apply(z, zo, out, oo, n);
    }
  }
}
