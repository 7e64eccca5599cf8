package org.finwidth.activation.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Formula;
import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float kernels of formulas (compiled to Vector API code in core's Panama run, the double
 * evaluator rounded to float in the scalar run) against the double evaluators: value against
 * σ(z), derivative against the jets' σ'(z), at every float input of wide pools, within
 * <b>twice the first-order running error bound</b> of {@link FloatErrorBound} plus 1e-44 (the
 * factor 2 covers the second-order terms the bound leaves out). NaN must agree; inputs where the
 * bound does not apply (an intermediate beyond the float range, e.g. exp(z) for z &gt; 88.7 in the
 * wide pool) are skipped, and at most a quarter of all inputs may be. Then, for every formula,
 * runs of every length 0..33 and longer ones up to 4099 (every masked tail of 8 and 16 lanes), at
 * offsets 0 and 3, give each element the bits of the whole-pool run, so the bound holds at every
 * tail length and position, and nothing is written outside the range.
 */
class FormulaKernelsTest {
  private static final ActivationKernels K = KernelProvider.getInstance().activationKernels();
  private static final int POOL = 4099;
  /**
   * Every length 0..33 (each remainder modulo 8 and 16 lanes at least twice: masked tails alone,
   * after one and after two full vectors), then longer ones up to the whole pool.
   */
  private static final int[] LENGTHS = IntStream.concat(IntStream.rangeClosed(0, 33),
      IntStream.of(63, 64, 65, 127, 257, 1021, 4096, 4099)).toArray();
  private static final List<String> REPORT = new ArrayList<>();

  private static List<float[]> pools() {
    SplittableRandom rnd = new SplittableRandom(20261206L); // fixed: the inputs are the test
    List<float[]> pools = new ArrayList<>();
    for (double scale : new double[] {1, 10, 1000}) {
      float[] p = new float[POOL];
      for (int i = 0; i < POOL; i++) {
        double g = Math.sqrt(-2 * Math.log1p(-rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        p[i] = (float) Math.max(-1e4, Math.min(1e4, scale * g));
      }
      pools.add(p);
    }
    float[] uniform = new float[POOL];
    for (int i = 0; i < POOL; i++) {
      uniform[i] = (float) (60 * rnd.nextDouble() - 30);
    }
    pools.add(uniform);
    float[] special = new float[POOL];
    float[] s = {0f, -0f, 1f, -1f, 3f, -3f, 1e-30f, -1e-30f, Float.MIN_VALUE, 1e-8f, 87.5f, -87.5f,
        88.9f, -88.9f, 100f, -100f, 1e4f, -1e4f, Float.NaN};
    for (int i = 0; i < POOL; i++) {
      special[i] = i < s.length ? s[i] : (float) (5 * (rnd.nextDouble() - 0.5));
    }
    pools.add(special);
    return pools;
  }

  /** The formulas checked: every function and operator, kinks, parameters, NaN domains. */
  static Stream<String> formulas() {
    return Stream.of("z*tanh(log(1+exp(z)))", "z/(1+exp(-z/T));T=0.5", "a*z+b*tanh(z);a=0.1;b=1",
        "tanh(z)", "sin(z)+0.1*z", "erf(z/sqrt(2))", "erfc(-z)", "z*sigmoid(1.702*z)",
        "softplus(z)-log(2)", "log1p(z^2)", "expm1(z/3)", "sqrt(1+z^2)-1", "atan(z)", "sinh(z/4)",
        "cosh(z/4)-1", "z^3/(1+z^2)", "z*exp(-z^2/2)", "exp(-z)*z^2", "2^z-1", "(1+z^2)^-0.5*z",
        "0.5*z*erfc(-z/sqrt(2))", "where(z>0,z,exp(z)-1)", "max(z,0)+0.01*min(z,0)",
        "abs(z)*0.5+0.5*z", "relu(z)^2.5", "z*step(z)", "min(max(z,-1),1)",
        "z*min(max(z+3,0),6)/6", "z/(1+abs(z))", "z*atan(z)", "cos(z)-1", "(z+2)^(z/5+1)",
        "log(z)", "sqrt(z)", "where(exp(z)>2,z,0.5*z)", "max(z,0)");
  }

  @ParameterizedTest
  @MethodSource("formulas")
  void floatKernelsStayWithinTheRunningErrorBound(String formula) {
    Formula f = (Formula) Activation.parse("expr:" + formula);
    Expr tree = f.compiled().tree();
    double worst = 0;
    int skipped = 0;
    int total = 0;
    for (int d = 0; d < 2; d++) {
      boolean derivative = d == 1;
      for (float[] pool : pools()) {
        float[] out = new float[POOL];
        run(f, derivative, pool, 0, out, 0, POOL);
        total += POOL;
        for (int i = 0; i < POOL; i++) {
          double z = pool[i];
          double ref = derivative ? f.d1(z) : f.value(z);
          FloatErrorBound.B b = FloatErrorBound.bound(tree, z);
          if (Double.isNaN(ref)) {
            assertTrue(Float.isNaN(out[i]), formula + (derivative ? " d1(" : "(") + z + ") = "
                + out[i] + ", reference NaN");
            continue;
          }
          double e = derivative ? b.ed() : b.ev();
          if (Double.isNaN(e) || Double.isInfinite(ref)) {
            skipped++;
            continue;
          }
          double err = Math.abs(out[i] - ref);
          double tol = 2 * e + 1e-44;
          if (!(err <= tol)) {
            fail(formula + (derivative ? " d1(" : "(") + z + ") = " + out[i] + ", reference " + ref
                + ": error " + err + " > bound " + tol);
          }
          if (tol > 0) {
            worst = Math.max(worst, err / tol);
          }
        }
      }
    }
    assertTrue(skipped <= total / 4, formula + ": " + skipped + " of " + total + " inputs without a bound");
    REPORT.add(String.format("%-32s error/bound at most %.3f", formula, worst));
  }

  @ParameterizedTest
  @MethodSource("formulas")
  void everyLengthAndOffsetGivesTheSameBits(String formula) {
    Formula f = (Formula) Activation.parse("expr:" + formula);
    List<float[]> pools = pools();
    // the wide Gaussian pool and the special values (±0, NaN, overflow of exp, ±1e4)
    for (float[] z : List.of(pools.get(1), pools.get(4))) {
      for (int d = 0; d < 2; d++) {
        sameBitsAtEveryLength(f, formula, d == 1, z);
      }
    }
  }

  private static void sameBitsAtEveryLength(Activation f, String formula, boolean derivative,
      float[] z) {
    float[] all = new float[POOL];
    run(f, derivative, z, 0, all, 0, POOL);
    for (int n : LENGTHS) {
      for (int offset : new int[] {0, 3}) {
        int len = Math.min(n, POOL - offset);
        float[] out = new float[len + 5];
        Arrays.fill(out, 12345f);
        run(f, derivative, z, offset, out, 1, len);
        for (int i = 0; i < len; i++) {
          if (Float.floatToRawIntBits(all[offset + i]) != Float.floatToRawIntBits(out[1 + i])) {
            fail(formula + (derivative ? " d1" : "") + " n=" + n + " offset " + offset + " at " + i
                + ": " + out[1 + i] + ", whole run " + all[offset + i]);
          }
        }
        assertEquals(12345f, out[0], "wrote before the range");
        for (int i = 1 + len; i < out.length; i++) {
          assertEquals(12345f, out[i], "wrote past the end");
        }
      }
    }
    float[] inPlace = z.clone();
    run(f, derivative, inPlace, 0, inPlace, 0, POOL);
    for (int i = 0; i < POOL; i++) {
      if (Float.floatToRawIntBits(all[i]) != Float.floatToRawIntBits(inPlace[i])) {
        fail(formula + (derivative ? " d1" : "") + " in place at " + i);
      }
    }
  }

  private static void run(Activation f, boolean derivative, float[] z, int zo, float[] out, int oo,
      int n) {
    if (derivative) {
      K.derivative(f, z, zo, out, oo, n);
    } else {
      K.value(f, z, zo, out, oo, n);
    }
  }

  @AfterAll
  static void report() {
    System.out.println("Formula kernels (" + KernelProvider.getInstance().description()
        + "): worst error relative to the stated bound (2 x running bound)");
    REPORT.stream().sorted().forEach(System.out::println);
  }
}
