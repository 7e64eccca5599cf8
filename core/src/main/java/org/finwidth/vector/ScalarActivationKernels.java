package org.finwidth.vector;

import org.finwidth.activation.AlgebraicLU;
import org.finwidth.activation.Activation;
import org.finwidth.activation.CustomActivation;
import org.finwidth.activation.Erf;
import org.finwidth.activation.Hardswish;
import org.finwidth.activation.Hardtanh;
import org.finwidth.activation.Softsign;
import org.finwidth.activation.Celu;
import org.finwidth.activation.Mish;
import org.finwidth.activation.Selu;
import org.finwidth.activation.Elu;
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

/**
 * The reference {@link ActivationKernels}: each element is {@code σ.value(z)} / {@code σ.d1(z)} of
 * the catalogue record, computed in double ({@code Math}-based, double-accurate) and rounded to
 * float for the float kernels. The exhaustive switch picks a loop per record type, so the record's
 * method is a monomorphic call that C2 inlines.
 */
final class ScalarActivationKernels implements ActivationKernels {

  static final ScalarActivationKernels INSTANCE = new ScalarActivationKernels();

  private ScalarActivationKernels() {}

  @Override
  public void value(Activation sigma, float[] z, int zo, float[] out, int oo, int n) {
    KernelChecks.elementwise(z, zo, out, oo, n);
    switch (sigma) {
      case Linear s -> System.arraycopy(z, zo, out, oo, n);
      case Relu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Leaky s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Tanh s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Sin s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Erf s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Sigmoid s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Softplus s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Swish s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Gelu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case GeluTanh s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case GudermanLU s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case AlgebraicLU s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case GumbelLU s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Monomial s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Repu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Mrepu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Elu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Selu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Mish s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Celu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Softsign s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Hardtanh s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case Hardswish s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
      case CustomActivation s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.value(z[zo + i]); }
    }
  }

  @Override
  public void derivative(Activation sigma, float[] z, int zo, float[] out, int oo, int n) {
    KernelChecks.elementwise(z, zo, out, oo, n);
    switch (sigma) {
      case Linear s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Relu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Leaky s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Tanh s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Sin s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Erf s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Sigmoid s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Softplus s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Swish s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Gelu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case GeluTanh s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case GudermanLU s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case AlgebraicLU s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case GumbelLU s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Monomial s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Repu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Mrepu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Elu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Selu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Mish s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Celu s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Softsign s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Hardtanh s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case Hardswish s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
      case CustomActivation s -> { for (int i = 0; i < n; i++) out[oo + i] = (float) s.d1(z[zo + i]); }
    }
  }

  @Override
  public void value(Activation sigma, double[] z, int zo, double[] out, int oo, int n) {
    KernelChecks.elementwise(z, zo, out, oo, n);
    valueUnchecked(sigma, z, zo, out, oo, n);
  }

  /** The double value loop without the argument check (the Panama kernels reuse it). */
  public static void valueUnchecked(Activation sigma, double[] z, int zo, double[] out, int oo,
      int n) {
    switch (sigma) {
      case Linear s -> System.arraycopy(z, zo, out, oo, n);
      case Relu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Leaky s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Tanh s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Sin s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Erf s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Sigmoid s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Softplus s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Swish s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Gelu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case GeluTanh s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case GudermanLU s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case AlgebraicLU s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case GumbelLU s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Monomial s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Repu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Mrepu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Elu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Selu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Mish s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Celu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Softsign s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Hardtanh s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case Hardswish s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
      case CustomActivation s -> { for (int i = 0; i < n; i++) out[oo + i] = s.value(z[zo + i]); }
    }
  }

  @Override
  public void derivative(Activation sigma, double[] z, int zo, double[] out, int oo, int n) {
    KernelChecks.elementwise(z, zo, out, oo, n);
    derivativeUnchecked(sigma, z, zo, out, oo, n);
  }

  /** The double derivative loop without the argument check (the Panama kernels reuse it). */
  public static void derivativeUnchecked(Activation sigma, double[] z, int zo, double[] out,
      int oo, int n) {
    switch (sigma) {
      case Linear s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Relu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Leaky s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Tanh s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Sin s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Erf s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Sigmoid s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Softplus s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Swish s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Gelu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case GeluTanh s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case GudermanLU s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case AlgebraicLU s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case GumbelLU s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Monomial s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Repu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Mrepu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Elu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Selu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Mish s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Celu s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Softsign s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Hardtanh s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case Hardswish s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
      case CustomActivation s -> { for (int i = 0; i < n; i++) out[oo + i] = s.d1(z[zo + i]); }
    }
  }

  @Override
  public void valueGram(Activation sigma, float[][] z, float[][] out, int d, int n, double[] gram) {
    KernelChecks.gram(z, out, d, n, gram);
    for (int a = 0; a < d; a++) {
      value(sigma, z[a], 0, out[a], 0, n);
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        float[] x = out[a];
        float[] y = out[b];
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += (double) x[i] * y[i]; // exact product in double
        }
        gram[a * d + b] = s;
        gram[b * d + a] = s;
      }
    }
  }
}
