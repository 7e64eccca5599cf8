package org.finwidth.vector.panama;

import static org.finwidth.vector.panama.FloatActivationKernels.F;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.finwidth.activation.Activation;
import org.finwidth.activation.CustomActivation;
import org.finwidth.activation.AlgebraicLU;
import org.finwidth.activation.Erf;
import org.finwidth.activation.Hardswish;
import org.finwidth.activation.Hardtanh;
import org.finwidth.activation.Softsign;
import org.finwidth.activation.Celu;
import org.finwidth.activation.Mish;
import org.finwidth.activation.Selu;
import org.finwidth.activation.Elu;
import org.finwidth.activation.Formula;
import org.finwidth.activation.Gelu;
import org.finwidth.activation.GeluTanh;
import org.finwidth.activation.GudermanLU;
import org.finwidth.activation.GumbelLU;
import org.finwidth.activation.Leaky;
import org.finwidth.activation.Linear;
import org.finwidth.activation.Monomial;
import org.finwidth.activation.Mrepu;
import org.finwidth.activation.Relu;
import org.finwidth.activation.Repu;
import org.finwidth.activation.Sigmoid;
import org.finwidth.activation.Sin;
import org.finwidth.activation.Softplus;
import org.finwidth.activation.Swish;
import org.finwidth.activation.Tanh;
import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelChecks;
import org.finwidth.vector.KernelProvider;

/**
 * Vector API {@link ActivationKernels}: checks the arguments, turns the activation's parameters into
 * the float constants the kernels of {@link FloatActivationKernels} take (exhaustive switch over
 * the sealed {@link Activation}), and runs them.
 *
 * <p>The double kernels are not vectorised yet: they run the scalar reference loops (the engine uses
 * double activations only off the hot path).
 */
final class PanamaActivationKernels implements ActivationKernels {

  private static final VectorSpecies<Double> D = VectorShapes.DOUBLE;
  private static final double SQRT2 = Math.sqrt(2);
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  // Clamps of z in units of T (or 1/a), where each gate has saturated in float and the kernels'
  // exponentials stay in range (their 2^k needs an exponent >= -88, which flushes to 0 below about
  // -87.7): swish |u| <= 87 (e^-87 = 1.6e-38), gelu-tanh |u| <= 10 (|2v| <= 87.4), gudermanlu
  // |u| <= 43.5 (e^{-2|u|}), gumbellu u >= -4.45 (the gate e^{-e^{4.45}} = e^{-85.6} < 1e-37) and
  // u <= 87, gelu w = |u|/√2 <= 9.37 (w² <= 87.8), erf' |a z| <= 9.37 and
  // erf itself |a z| <= 4 (its rational form is fitted up to 4.02; 1 - erf 4 = 1.5e-8);
  // algebraiclu's 1/(m s) overflows to 0 at |u| = 1.5e19 (its derivative needs s·q finite:
  // |u| <= 1e9).
  private static final double SWISH_ZMAX = 87;
  private static final double GELU_TANH_ZMAX = 10;
  private static final double GUDERMAN_ZMAX = 43.5;
  private static final double GUMBEL_ZMIN = 4.45;
  private static final double GUMBEL_ZMAX = 87;
  private static final double GELU_ZMAX = 9.37 * SQRT2;
  private static final double ERF_ZMAX = 9.37;
  private static final double ERF_VALUE_ZMAX = 4;
  private static final double ALGEBRAIC_ZMAX = 1.5e19;
  private static final double ALGEBRAIC_D1_ZMAX = 1e9;

  PanamaActivationKernels() {}

  private static final double LOG2E = 1 / Math.log(2);
  // gelu-tanh: 2v = u (C1 + C3 u²), C1 = 2√(2/π), C3 = C1·0.044715 (GeluTanh.CUBIC).
  private static final double GT_C1 = 2 * Math.sqrt(2 / Math.PI);
  private static final double GT_C3 = GT_C1 * GeluTanh.CUBIC;

  /** gelu-tanh's |2v| log2e = |z| (D1 + D3 z²): D1 = C1 log2e/T. */
  private static double gtD1(GeluTanh s) {
    return GT_C1 * LOG2E / s.T();
  }

  /** D3 = C3 log2e/T³. */
  private static float gtD3(GeluTanh s) {
    return (float) (GT_C3 * LOG2E / (s.T() * s.T() * s.T()));
  }

  /** u·d(2v)/du = z (E1 + E3 z²): E1 = C1/T. */
  private static float gtE1(GeluTanh s) {
    return (float) (GT_C1 / s.T());
  }

  /** E3 = 3 C3/T³. */
  private static float gtE3(GeluTanh s) {
    return (float) (3 * GT_C3 / (s.T() * s.T() * s.T()));
  }

  /** gelu's e^{-w²} = 2^{-z² G}: G = log2e/(2T²). */
  private static double geluG(Gelu s) {
    return LOG2E / (2 * s.T() * s.T());
  }

  private static float hi(double c) {
    return (float) c;
  }

  private static float lo(double c) {
    return (float) (c - (float) c);
  }

  private static float zmax(double v) {
    return (float) Math.min(v, Float.MAX_VALUE);
  }

  private static boolean integral(double p) {
    return p == Math.rint(p);
  }

  /**
   * {@code z > 0 ? scale z^p : 0}: exact products for integer p <= 4, the polynomial 2^(p log2 z)
   * kernel for other p up to POW_FAST_MAX, the double LOG/EXP path beyond.
   */
  private static void repu(float[] z, int zo, float[] out, int oo, int n, double p, float scale) {
    if ((integral(p) && p <= 4) || p > FloatActivationKernels.POW_FAST_MAX) {
      FloatActivationKernels.repu(z, zo, out, oo, n, p, integral(p), scale);
    } else {
      FloatActivationKernels.repuReal(z, zo, out, oo, n, p, scale);
    }
  }

  /**
   * Whether the float constants of σ's kernel hold its parameter: for a gated activation 1/T, for
   * erf and celu a and 1/a, must be normal floats (T, a within about [1.2e-38, 8.5e37]). Outside (e.g.
   * swish:T=1e-40, whose 1/T overflows float and would turn every value into NaN, or T = 1e300,
   * whose 1/T flushes to 0) {@link #value} and {@link #derivative} compute in double with the
   * scalar reference kernels instead: slower, and right to float rounding. The gelu-tanh kernel
   * works with z² and 1/T³ directly, so its float path takes T in [1e-9, 1e9] only; gelu's rounds
   * z² once (a relative error of e^{-w²} up to w²·4e-8, which stays within the bound while
   * |z Φ(u)| matters, for T <= 1e4), so its float path takes T in [1e-9, 1e4].
   */
  static boolean floatConstantsHold(Activation sigma) {
    return switch (sigma) {
      case Swish s -> normalFloat(1 / s.T()) && normalFloat(s.T());
      case Gelu s -> s.T() >= 1e-9 && s.T() <= 1e4;
      case GeluTanh s -> s.T() >= 1e-9 && s.T() <= 1e9;
      case GudermanLU s -> normalFloat(1 / s.T()) && normalFloat(s.T());
      case AlgebraicLU s -> normalFloat(1 / s.T()) && normalFloat(s.T());
      case GumbelLU s -> normalFloat(1 / s.T()) && normalFloat(s.T());
      case Erf s -> normalFloat(s.a()) && normalFloat(1 / s.a());
      case Celu s -> normalFloat(s.a()) && normalFloat(1 / s.a());
      default -> true;
    };
  }

  private static boolean normalFloat(double x) {
    float f = (float) x;
    return Float.isFinite(f) && Math.abs(f) >= Float.MIN_NORMAL;
  }

  /** The double path for parameters the float constants cannot hold (created when first needed). */
  private static final class DoublePath {
    static final ActivationKernels KERNELS = KernelProvider.scalar().activationKernels();
  }

  @Override
  public void value(Activation sigma, float[] z, int zo, float[] out, int oo, int n) {
    KernelChecks.elementwise(z, zo, out, oo, n);
    if (!floatConstantsHold(sigma)) {
      DoublePath.KERNELS.value(sigma, z, zo, out, oo, n);
      return;
    }
    switch (sigma) {
      case Linear s -> FloatActivationKernels.linear(z, zo, out, oo, n);
      case Relu s -> FloatActivationKernels.relu(z, zo, out, oo, n);
      case Leaky s -> FloatActivationKernels.leaky(z, zo, out, oo, n, (float) s.a());
      case Tanh s -> FloatActivationKernels.tanh(z, zo, out, oo, n);
      case Sin s -> FloatActivationKernels.sin(z, zo, out, oo, n);
      case Erf s -> FloatActivationKernels.erf(z, zo, out, oo, n, zmax(ERF_VALUE_ZMAX / s.a()),
          hi(s.a()), lo(s.a()));
      case Sigmoid s -> FloatActivationKernels.sigmoid(z, zo, out, oo, n);
      case Softplus s -> FloatActivationKernels.softplus(z, zo, out, oo, n);
      case Swish s -> FloatActivationKernels.swish(z, zo, out, oo, n, zmax(SWISH_ZMAX * s.T()),
          hi(-LOG2E / s.T()), lo(-LOG2E / s.T()), (float) (1 / s.T()));
      case Gelu s -> FloatActivationKernels.gelu(z, zo, out, oo, n, zmax(GELU_ZMAX * s.T()),
          hi(geluG(s)), lo(geluG(s)), (float) (-0.5 / (SQRT2 * s.T())),
          (float) (1 / (SQRT_2PI * s.T())));
      case GeluTanh s -> FloatActivationKernels.geluTanh(z, zo, out, oo, n,
          zmax(GELU_TANH_ZMAX * s.T()), hi(gtD1(s)), lo(gtD1(s)), gtD3(s), gtE1(s), gtE3(s));
      case GudermanLU s -> FloatActivationKernels.gudermanlu(z, zo, out, oo, n,
          zmax(GUDERMAN_ZMAX * s.T()), hi(2 * LOG2E / s.T()), lo(2 * LOG2E / s.T()),
          (float) (4 / Math.PI / s.T()));
      case AlgebraicLU s -> FloatActivationKernels.algebraiclu(z, zo, out, oo, n,
          zmax(ALGEBRAIC_ZMAX * s.T()), (float) (1 / s.T()));
      case GumbelLU s -> FloatActivationKernels.gumbellu(z, zo, out, oo, n,
          zmax(GUMBEL_ZMIN * s.T()), zmax(GUMBEL_ZMAX * s.T()), hi(-LOG2E / s.T()),
          lo(-LOG2E / s.T()), (float) (1 / s.T()));
      case Monomial s -> FloatActivationKernels.power(z, zo, out, oo, n, s.p(), 1f);
      case Repu s -> repu(z, zo, out, oo, n, s.p(), 1f);
      case Mrepu s -> FloatActivationKernels.mrepu(z, zo, out, oo, n, hi(s.c()), lo(s.c()),
          s.q(), integral(s.q()), false);
      case Elu s -> FloatActivationKernels.expUnit(z, zo, out, oo, n, 1f, (float) s.a(), 1f);
      case Selu s -> FloatActivationKernels.expUnit(z, zo, out, oo, n, (float) Selu.LAMBDA,
          (float) (Selu.LAMBDA * Selu.ALPHA), 1f);
      case Celu s -> FloatActivationKernels.expUnit(z, zo, out, oo, n, 1f, (float) s.a(),
          (float) (1 / s.a()));
      case Mish s -> FloatActivationKernels.mish(z, zo, out, oo, n);
      case Softsign s -> FloatActivationKernels.softsign(z, zo, out, oo, n);
      case Hardtanh s -> FloatActivationKernels.hardtanh(z, zo, out, oo, n);
      case Hardswish s -> FloatActivationKernels.hardswish(z, zo, out, oo, n);
      case Formula s -> FormulaKernels.value(s, z, zo, out, oo, n);
      case CustomActivation s -> s.floatValues(z, zo, out, oo, n);
    }
  }

  @Override
  public void derivative(Activation sigma, float[] z, int zo, float[] out, int oo, int n) {
    KernelChecks.elementwise(z, zo, out, oo, n);
    if (!floatConstantsHold(sigma)) {
      DoublePath.KERNELS.derivative(sigma, z, zo, out, oo, n);
      return;
    }
    switch (sigma) {
      case Linear s -> FloatActivationKernels.power(z, zo, out, oo, n, 0, 1f);
      case Relu s -> FloatActivationKernels.step(z, zo, out, oo, n, 0f, 1f);
      case Leaky s -> FloatActivationKernels.step(z, zo, out, oo, n, (float) s.a(), 1f);
      case Tanh s -> FloatActivationKernels.tanhDerivative(z, zo, out, oo, n);
      case Sin s -> FloatActivationKernels.cos(z, zo, out, oo, n);
      case Erf s -> FloatActivationKernels.erfDerivative(z, zo, out, oo, n, zmax(ERF_ZMAX / s.a()),
          hi(s.a()), lo(s.a()), (float) (s.a() * TWO_OVER_SQRT_PI));
      case Sigmoid s -> FloatActivationKernels.sigmoidDerivative(z, zo, out, oo, n);
      case Softplus s -> FloatActivationKernels.sigmoid(z, zo, out, oo, n);
      case Swish s -> FloatActivationKernels.swishDerivative(z, zo, out, oo, n, zmax(SWISH_ZMAX * s.T()),
          hi(-LOG2E / s.T()), lo(-LOG2E / s.T()), (float) (1 / s.T()));
      case Gelu s -> FloatActivationKernels.geluDerivative(z, zo, out, oo, n, zmax(GELU_ZMAX * s.T()),
          hi(geluG(s)), lo(geluG(s)), (float) (-0.5 / (SQRT2 * s.T())),
          (float) (1 / (SQRT_2PI * s.T())));
      case GeluTanh s -> FloatActivationKernels.geluTanhDerivative(z, zo, out, oo, n,
          zmax(GELU_TANH_ZMAX * s.T()), hi(gtD1(s)), lo(gtD1(s)), gtD3(s), gtE1(s), gtE3(s));
      case GudermanLU s -> FloatActivationKernels.gudermanluDerivative(z, zo, out, oo, n,
          zmax(GUDERMAN_ZMAX * s.T()), hi(2 * LOG2E / s.T()), lo(2 * LOG2E / s.T()),
          (float) (4 / Math.PI / s.T()));
      case AlgebraicLU s -> FloatActivationKernels.algebraicluDerivative(z, zo, out, oo, n,
          zmax(ALGEBRAIC_D1_ZMAX * s.T()), (float) (1 / s.T()));
      case GumbelLU s -> FloatActivationKernels.gumbelluDerivative(z, zo, out, oo, n,
          zmax(GUMBEL_ZMIN * s.T()), zmax(GUMBEL_ZMAX * s.T()), hi(-LOG2E / s.T()),
          lo(-LOG2E / s.T()), (float) (1 / s.T()));
      case Monomial s -> FloatActivationKernels.power(z, zo, out, oo, n, s.p() - 1, s.p());
      case Repu s -> repu(z, zo, out, oo, n, s.p() - 1, (float) s.p());
      case Mrepu s -> FloatActivationKernels.mrepu(z, zo, out, oo, n, hi(s.c()), lo(s.c()),
          s.q(), integral(s.q()), true);
      case Elu s -> FloatActivationKernels.expUnitDerivative(z, zo, out, oo, n, 1f, (float) s.a(), 1f);
      case Selu s -> FloatActivationKernels.expUnitDerivative(z, zo, out, oo, n, (float) Selu.LAMBDA,
          (float) (Selu.LAMBDA * Selu.ALPHA), 1f);
      case Celu s -> FloatActivationKernels.expUnitDerivative(z, zo, out, oo, n, 1f, 1f,
          (float) (1 / s.a()));
      case Mish s -> FloatActivationKernels.mishDerivative(z, zo, out, oo, n);
      case Softsign s -> FloatActivationKernels.softsignDerivative(z, zo, out, oo, n);
      case Hardtanh s -> FloatActivationKernels.hardtanhDerivative(z, zo, out, oo, n);
      case Hardswish s -> FloatActivationKernels.hardswishDerivative(z, zo, out, oo, n);
      case Formula s -> FormulaKernels.derivative(s, z, zo, out, oo, n);
      case CustomActivation s -> s.floatDerivatives(z, zo, out, oo, n);
    }
  }

  @Override
  public void value(Activation sigma, double[] z, int zo, double[] out, int oo, int n) {
    KernelProvider.scalar().activationKernels().value(sigma, z, zo, out, oo, n);
  }

  @Override
  public void derivative(Activation sigma, double[] z, int zo, double[] out, int oo, int n) {
    KernelProvider.scalar().activationKernels().derivative(sigma, z, zo, out, oo, n);
  }

  @Override
  public void valueGram(Activation sigma, float[][] z, float[][] out, int d, int n, double[] gram) {
    KernelChecks.gram(z, out, d, n, gram);
    for (int a = 0; a < d; a++) {
      value(sigma, z[a], 0, out[a], 0, n);
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double s = dot(out[a], out[b], n);
        gram[a * d + b] = s;
        gram[b * d + a] = s;
      }
    }
  }

  /**
   * Σ x_i y_i with exact float products in double: each float vector is widened to two double
   * vectors; two independent accumulators (one per half) hide the FMA latency.
   */
  private static double dot(float[] x, float[] y, int n) {
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    int i = 0;
    int lanes = F.length();
    for (int bound = F.loopBound(n); i < bound; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, i);
      FloatVector yv = FloatVector.fromArray(F, y, i);
      DoubleVector x0 = (DoubleVector) xv.convertShape(VectorOperators.F2D, D, 0);
      DoubleVector x1 = (DoubleVector) xv.convertShape(VectorOperators.F2D, D, 1);
      DoubleVector y0 = (DoubleVector) yv.convertShape(VectorOperators.F2D, D, 0);
      DoubleVector y1 = (DoubleVector) yv.convertShape(VectorOperators.F2D, D, 1);
      acc0 = x0.fma(y0, acc0);
      acc1 = x1.fma(y1, acc1);
    }
    if (i < n) {
      VectorMask<Float> m = F.indexInRange(i, n);
      FloatVector xv = FloatVector.fromArray(F, x, i, m);
      FloatVector yv = FloatVector.fromArray(F, y, i, m);
      acc0 = ((DoubleVector) xv.convertShape(VectorOperators.F2D, D, 0))
          .fma((DoubleVector) yv.convertShape(VectorOperators.F2D, D, 0), acc0);
      acc1 = ((DoubleVector) xv.convertShape(VectorOperators.F2D, D, 1))
          .fma((DoubleVector) yv.convertShape(VectorOperators.F2D, D, 1), acc1);
    }
    // Fixed lane order: reduceLanes(ADD) leaves the order unspecified (it may differ between the
    // interpreter and C2), which would break bitwise reproducibility.
    DoubleVector acc = acc0.add(acc1);
    double s = 0;
    for (int j = 0; j < D.length(); j++) {
      s += acc.lane(j);
    }
    return s;
  }
}
