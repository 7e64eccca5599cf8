package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The active {@link ActivationKernels} (Panama in core's default test run, scalar in the second
 * run) against the double activation ({@code σ.value}, {@code σ.d1} at the float input): every
 * catalogue activation (the list is {@link Catalogue#entries()} at their defaults plus parameter
 * variants), value and derivative, float and double.
 *
 * <p>Bounds (absolute floor for values near zero, where a relative bound means nothing):
 * <ul>
 *   <li>float: |f − σ| ≤ max(1e-6·|σ|, 1e-7) (the accuracy contract of docs/design.md). The scalar kernels meet it trivially
 *       (correct rounding, 6e-8); the Panama kernels measure up to ~5e-7 relative.
 *   <li>double: |f − σ| ≤ max(1e-13·|σ|, 1e-300).
 * </ul>
 * Inputs: N(0,1), N(0,100), N(0,1e6) clipped at |z| ≤ 1e4, uniform on [−30, 30] (every gate's
 * transition), tiny (|z| ~ 1e-30, with subnormals), specials: ±0, kinks, ±1, the kernels' own
 * branch and clamp points, and for erf and the exponential gates the whole float range (evenly
 * spaced bit patterns up to ±Float.MAX_VALUE). Non-finite: NaN gives NaN; ±∞ give exactly the reference limit.
 * Lengths 0..4099 hit every tail (1, primes, lane count ±1, 4096, 4099), at offset 0 and 3, out of
 * place and in place.
 */
class ActivationKernelsTest {

  private static final double FLOAT_REL = 1e-6;
  private static final double FLOAT_ABS = 1e-7;
  private static final double DOUBLE_REL = 1e-13;
  private static final double DOUBLE_ABS = 1e-300;
  private static final int POOL = 4099;
  private static final int[] LENGTHS = {0, 1, 2, 3, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 63, 64,
      65, 127, 257, 1021, 4096, 4099};

  private static final KernelProvider PROVIDER = KernelProvider.getInstance();
  private static final ActivationKernels K = PROVIDER.activationKernels();
  private static final List<String> REPORT = new ArrayList<>();

  /**
   * Parameter values tested besides each entry's defaults (extremes of the temperature, the
   * power's integer and real branches, ...). Keys must be catalogue names.
   */
  private static final Map<String, List<String>> VARIANTS = Map.ofEntries(
      Map.entry("leaky", List.of("leaky:a=0.2")),
      Map.entry("erf", List.of("erf:a=0.3", "erf:a=4")),
      // T = 1000: the gates' tails matter far out (|z| up to ~1e4); gelu T = 1e5 and gelu-tanh
      // T = 1e-10 take the double path (the float kernels' range of T)
      Map.entry("swish", List.of("swish:T=0.1", "swish:T=10", "swish:T=1000")),
      Map.entry("gelu", List.of("gelu:T=0.25", "gelu:T=8", "gelu:T=1000", "gelu:T=1e5")),
      Map.entry("gelu-tanh", List.of("gelu-tanh:T=0.5", "gelu-tanh:T=5", "gelu-tanh:T=1000",
          "gelu-tanh:T=1e-10")),
      Map.entry("gudermanlu", List.of("gudermanlu:T=0.1", "gudermanlu:T=10")),
      Map.entry("algebraiclu", List.of("algebraiclu:T=0.1", "algebraiclu:T=10")),
      Map.entry("gumbellu", List.of("gumbellu:T=0.3", "gumbellu:T=10", "gumbellu:T=1000")),
      Map.entry("monomial", List.of("monomial:p=1", "monomial:p=3", "monomial:p=4",
          "monomial:p=5")),
      Map.entry("repu", List.of("repu:p=1", "repu:p=3", "repu:p=2.5", "repu:p=1.5", "repu:p=7.5",
          "repu:p=9.5")),
      Map.entry("mrepu", List.of("mrepu:c=0.5,q=3", "mrepu:c=2,q=1", "mrepu:q=1.5")));

  /** Every catalogue entry at its defaults (so a new entry cannot go untested), then its variants. */
  static Stream<String> specs() {
    List<String> specs = new ArrayList<>();
    for (Catalogue.Entry e : Catalogue.entries()) {
      specs.add(e.withDefaults().spec());
      specs.addAll(VARIANTS.getOrDefault(e.name(), List.of()));
    }
    return specs.stream();
  }

  @Test
  void variantsBelongToTheirCatalogueEntry() {
    for (Map.Entry<String, List<String>> v : VARIANTS.entrySet()) {
      assertTrue(Catalogue.names().contains(v.getKey()), v.getKey() + " is not in the catalogue");
      for (String spec : v.getValue()) {
        assertEquals(v.getKey(), Activation.parse(spec).name(), spec);
      }
    }
    assertTrue(specs().count() >= Catalogue.names().size() + VARIANTS.size(), "every entry listed");
  }

  /**
   * Activations whose kernels are checked on the whole float range as well (their clamps and
   * base-2 reductions must hold up to ±Float.MAX_VALUE); sin's reduction, for one, holds for
   * |z| < 2^22 only.
   */
  private static final java.util.Set<String> WHOLE_RANGE =
      java.util.Set.of("erf", "swish", "gelu", "gelu-tanh", "gudermanlu", "gumbellu");

  /** Named input pools of POOL floats each. */
  private static List<float[]> pools(Activation sigma) {
    SplittableRandom rnd = new SplittableRandom(20260101L); // fixed: the inputs are the test
    List<float[]> pools = new ArrayList<>();
    pools.add(fill(rnd, 1));
    pools.add(fill(rnd, 10));
    float[] wide = fill(rnd, 1000);
    for (int i = 0; i < wide.length; i++) {
      wide[i] = Math.max(-1e4f, Math.min(1e4f, wide[i]));
    }
    pools.add(wide);
    float[] uniform = new float[POOL];
    for (int i = 0; i < POOL; i++) {
      uniform[i] = (float) (60 * rnd.nextDouble() - 30);
    }
    pools.add(uniform);
    float[] tiny = fill(rnd, 1e-30);
    tiny[0] = Float.MIN_VALUE;
    tiny[1] = -Float.MIN_NORMAL;
    pools.add(tiny);
    pools.add(specials(sigma, rnd));
    if (!WHOLE_RANGE.contains(sigma.name())) {
      return pools;
    }
    // the whole float range: bit patterns evenly spaced from +0 to Float.MAX_VALUE, signs
    // alternating (about 1 in 2^19 of all finite floats; every binade gets about 15 values)
    float[] range = new float[POOL];
    for (int i = 0; i < POOL; i++) {
      float v = Float.intBitsToFloat((int) ((long) i * 0x7f7fffffL / (POOL - 1)));
      range[i] = (i & 1) == 0 ? v : -v;
    }
    pools.add(range);
    return pools;
  }

  private static float[] fill(SplittableRandom rnd, double scale) {
    float[] z = new float[POOL];
    for (int i = 0; i < POOL; i++) {
      z[i] = (float) (scale * gaussian(rnd));
    }
    return z;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }

  private static float[] specials(Activation sigma, SplittableRandom rnd) {
    List<Float> s = new ArrayList<>(List.of(0f, -0f, 1f, -1f, 0.6f, -0.6f, 0.5f, 2f, -2f, 4.6f,
        -4.6f, 7f, -7f, 9.5f, -9.5f, 10f, -10f, 13.4f, -13.4f, 43.25f, -43.25f, 86.5f, -86.5f,
        87.5f, -87.5f, 100f, -100f, 1e4f, -1e4f, 1e-45f, -1e-45f, 3.1415927f, -3.1415927f,
        1.5707964f, 4712.389f, 1e-8f, -1e-8f));
    for (double k : sigma.kinks()) {
      s.add((float) k);
      s.add(Math.nextUp((float) k));
      s.add(Math.nextDown((float) k));
    }
    float[] z = new float[POOL];
    for (int i = 0; i < POOL; i++) {
      z[i] = i < s.size() ? s.get(i) : (float) (5 * gaussian(rnd));
    }
    return z;
  }

  private static boolean withinFloat(double got, double ref) {
    return Math.abs(got - ref) <= Math.max(FLOAT_REL * Math.abs(ref), FLOAT_ABS);
  }

  private record Err(double maxRel, double maxAbs) {}

  /** Compares f(z[i]) for i < n against the reference; returns the worst errors. */
  private static Err check(String what, Activation sigma, boolean derivative, float[] z, int zo,
      float[] out, int oo, int n) {
    double maxRel = 0;
    double maxAbs = 0;
    for (int i = 0; i < n; i++) {
      double x = z[zo + i];
      double ref = derivative ? sigma.d1(x) : sigma.value(x);
      float got = out[oo + i];
      if (!withinFloat(got, ref)) {
        fail(what + " " + sigma.spec() + (derivative ? " d1" : " value") + " at z = " + x
            + " (index " + i + " of " + n + "): got " + got + ", reference " + ref + " (error "
            + Math.abs(got - ref) + ")");
      }
      double abs = Math.abs(got - ref);
      if (Math.abs(ref) >= FLOAT_ABS / FLOAT_REL) {
        maxRel = Math.max(maxRel, abs / Math.abs(ref));
      } else {
        maxAbs = Math.max(maxAbs, abs);
      }
    }
    return new Err(maxRel, maxAbs);
  }

  @ParameterizedTest
  @MethodSource("specs")
  void floatKernelsMatchTheDoubleActivation(String spec) {
    Activation sigma = Activation.parse(spec);
    double[] worst = new double[4];
    for (int d = 0; d < 2; d++) {
      boolean derivative = d == 1;
      for (float[] pool : pools(sigma)) {
        for (int n : LENGTHS) {
          for (int offset : new int[] {0, 3}) {
            int len = Math.min(n, POOL - offset);
            float[] out = new float[len + 5];
            Arrays.fill(out, 12345f);
            run(sigma, derivative, pool, offset, out, 1, len);
            Err e = check("out of place", sigma, derivative, pool, offset, out, 1, len);
            worst[2 * d] = Math.max(worst[2 * d], e.maxRel);
            worst[2 * d + 1] = Math.max(worst[2 * d + 1], e.maxAbs);
            // nothing written outside [1, 1 + len)
            assertEquals(12345f, out[0]);
            for (int i = 1 + len; i < out.length; i++) {
              assertEquals(12345f, out[i], "wrote past the end");
            }
          }
        }
        // in place gives the same bits as out of place
        float[] copy = pool.clone();
        float[] ref = new float[POOL];
        run(sigma, derivative, pool, 0, ref, 0, POOL);
        run(sigma, derivative, copy, 0, copy, 0, POOL);
        assertArrayEquals(ref, copy, "in place");
      }
    }
    REPORT.add(String.format("%-20s value rel %.2e abs %.2e | d1 rel %.2e abs %.2e", spec,
        worst[0], worst[1], worst[2], worst[3]));
  }

  private static void run(Activation sigma, boolean derivative, float[] z, int zo, float[] out,
      int oo, int n) {
    if (derivative) {
      K.derivative(sigma, z, zo, out, oo, n);
    } else {
      K.value(sigma, z, zo, out, oo, n);
    }
  }

  @ParameterizedTest
  @MethodSource("specs")
  void resultDoesNotDependOnPosition(String spec) {
    // The masked tail uses the same code as the vector body: a value gives the same bits anywhere.
    Activation sigma = Activation.parse(spec);
    float[] z = pools(sigma).get(3);
    float[] all = new float[POOL];
    K.value(sigma, z, 0, all, 0, POOL);
    for (int start : new int[] {1, 5, 4090}) {
      float[] part = new float[POOL - start];
      K.value(sigma, z, start, part, 0, POOL - start);
      for (int i = 0; i < part.length; i++) {
        assertEquals(Float.floatToRawIntBits(all[start + i]), Float.floatToRawIntBits(part[i]),
            spec + " at z = " + z[start + i]);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("specs")
  void nonFiniteInputs(String spec) {
    Activation sigma = Activation.parse(spec);
    float[] z = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f,
        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -Float.NaN, 0f, Float.NaN};
    for (int d = 0; d < 2; d++) {
      float[] out = new float[z.length];
      run(sigma, d == 1, z, 0, out, 0, z.length);
      for (int i = 0; i < z.length; i++) {
        double ref = d == 1 ? sigma.d1(z[i]) : sigma.value(z[i]);
        if (Double.isNaN(ref)) {
          assertTrue(Float.isNaN(out[i]), spec + (d == 1 ? " d1(" : "(") + z[i] + ") = " + out[i]);
        } else if (Double.isInfinite(ref)) {
          assertEquals((float) ref, out[i], spec + (d == 1 ? " d1(" : "(") + z[i] + ")");
        } else {
          assertTrue(withinFloat(out[i], ref),
              spec + (d == 1 ? " d1(" : "(") + z[i] + ") = " + out[i] + ", reference " + ref);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("specs")
  void doubleKernelsMatchTheDoubleActivation(String spec) {
    Activation sigma = Activation.parse(spec);
    for (float[] pool : pools(sigma)) {
      double[] z = new double[POOL];
      for (int i = 0; i < POOL; i++) {
        z[i] = pool[i];
      }
      for (int d = 0; d < 2; d++) {
        double[] out = new double[POOL];
        if (d == 1) {
          K.derivative(sigma, z, 0, out, 0, POOL);
        } else {
          K.value(sigma, z, 0, out, 0, POOL);
        }
        for (int i = 0; i < POOL; i++) {
          double ref = d == 1 ? sigma.d1(z[i]) : sigma.value(z[i]);
          double err = Math.abs(out[i] - ref);
          if (!(err <= Math.max(DOUBLE_REL * Math.abs(ref), DOUBLE_ABS)) && !(ref == out[i])) {
            fail(spec + (d == 1 ? " d1" : " value") + " (double) at z = " + z[i] + ": got "
                + out[i] + ", reference " + ref);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("specs")
  void valueGramIsTheValueKernelPlusExactDoubleDots(String spec) {
    Activation sigma = Activation.parse(spec);
    List<float[]> pools = pools(sigma);
    for (int n : new int[] {0, 1, 7, 9, 64, 257, 1021}) {
      for (int d = 1; d <= 3; d++) {
        float[][] z = new float[d][];
        float[][] out = new float[d][];
        for (int a = 0; a < d; a++) {
          z[a] = Arrays.copyOf(pools.get(a), n + 2);
          out[a] = a == 1 ? z[a] : new float[n]; // row 1 in place
        }
        float[][] expectedRows = new float[d][n];
        for (int a = 0; a < d; a++) {
          K.value(sigma, z[a], 0, expectedRows[a], 0, n);
        }
        double[] gram = new double[d * d];
        K.valueGram(sigma, z, out, d, n, gram);
        for (int a = 0; a < d; a++) {
          assertArrayEquals(expectedRows[a], Arrays.copyOf(out[a], n), "row " + a);
        }
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            double exact = 0;
            double mag = 0;
            for (int i = 0; i < n; i++) {
              double p = (double) expectedRows[a][i] * expectedRows[b][i];
              exact += p;
              mag += Math.abs(p);
            }
            // any summation order: |error| <= n 2^-53 sum |x y| (products are exact in double)
            double tol = n * 0x1p-53 * mag;
            assertEquals(exact, gram[a * d + b], tol, spec + " gram " + a + "," + b);
            assertEquals(gram[a * d + b], gram[b * d + a], 0.0, "symmetric");
          }
        }
      }
    }
  }

  @Test
  void badArgumentsAreRejectedAtTheEntry() {
    Activation tanh = Activation.parse("tanh");
    float[] z = new float[10];
    assertThrows(IndexOutOfBoundsException.class, () -> K.value(tanh, z, 0, new float[5], 0, 10));
    assertThrows(IndexOutOfBoundsException.class, () -> K.value(tanh, z, 5, new float[10], 0, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> K.value(tanh, z, 0, z, 0, -1));
    assertThrows(NullPointerException.class, () -> K.value(tanh, (float[]) null, 0, z, 0, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> K.value(tanh, z, 0, z, 1, 5));
    assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> K.valueGram(tanh, new float[][] {z}, new float[][] {z}, 0, 3, new double[1]));
    assertThrows(IndexOutOfBoundsException.class,
        () -> K.valueGram(tanh, new float[][] {z, z}, new float[][] {new float[10], new float[10]},
            2, 3, new double[3]));
  }

  @AfterAll
  static void report() {
    System.out.println("Measured errors (" + PROVIDER.description() + "), float kernels vs double"
        + " reference; rel over |σ| >= 0.1, abs below:");
    REPORT.stream().sorted().forEach(System.out::println);
  }
}
