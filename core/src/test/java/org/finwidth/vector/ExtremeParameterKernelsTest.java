package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Activation parameters that float constants cannot hold (a temperature whose 1/T overflows or
 * flushes in float, erf's a likewise): the default kernels give the values and derivatives of the
 * scalar reference (which computes in double and rounds once), bit for bit, instead of NaN; the
 * values are finite (a derivative may round to infinity: erf:a=1e40 has σ'(0) = 1.1e40, beyond
 * float). swish:T=1e-40 used to turn every network into a divergence.
 */
class ExtremeParameterKernelsTest {
  @ParameterizedTest
  @ValueSource(strings = {"swish:T=1e-40", "swish:T=1e-300", "swish:T=1e300", "gelu:T=1e-40", "gelu-tanh:T=1e-39",
      "gudermanlu:T=1e-45", "algebraiclu:T=1e-40", "gumbellu:T=1e-40", "gumbellu:T=1e39", "erf:a=1e-40", "erf:a=1e40", "celu:a=1e-40", "celu:a=1e39"})
  void valuesAndDerivativesAreFiniteAndTheReferences(String spec) {
    Activation sigma = Activation.parse(spec);
    float[] z = new float[37];
    for (int i = 0; i < z.length; i++) {
      z[i] = (i - 18) * 0.37f;
    }
    z[0] = -Float.MIN_NORMAL;
    z[1] = 1e-30f;
    for (boolean derivative : new boolean[] {false, true}) {
      float[] got = new float[z.length];
      float[] ref = new float[z.length];
      ActivationKernels k = KernelProvider.getInstance().activationKernels();
      ActivationKernels s = KernelProvider.scalar().activationKernels();
      if (derivative) {
        k.derivative(sigma, z, 0, got, 0, z.length);
        s.derivative(sigma, z, 0, ref, 0, z.length);
      } else {
        k.value(sigma, z, 0, got, 0, z.length);
        s.value(sigma, z, 0, ref, 0, z.length);
      }
      for (int i = 0; !derivative && i < got.length; i++) {
        assertTrue(Float.isFinite(got[i]), spec + " value not finite at z = " + z[i] + ": " + got[i]);
      }
      assertArrayEquals(ref, got, spec + (derivative ? " derivative" : " value"));
    }
  }
}
