package org.finwidth.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.finwidth.activation.user.UserMish;
import org.finwidth.activation.user.UserPowers;
import org.finwidth.vector.KernelProvider;
import org.junit.jupiter.api.Test;

/** What the engine derives for a {@link CustomActivation}, and loading one by class name. */
class CustomActivationTest {

  @Test
  void taylorDataAreDerivedFromTheSuppliedDerivatives() {
    // Mish at 0 (by hand): g = tanh(ln 2) = 3/5, g' = (1 − g²)/2 = 8/25, g'' = −4/125, so
    // σ = z g gives σ_1 = 3/5, σ_2 = 2g' = 16/25, σ_3 = 3g'' = −12/125.
    double[] s = new UserMish().derivativesAtZero();
    assertEquals(0.0, s[0]);
    assertEquals(0.6, s[1], 1e-16);
    assertEquals(0.64, s[2], 1e-16);
    // σ_3 from the default d3 (Richardson central difference): documented relative error ~1e-9.
    assertEquals(-0.096, s[3], 0.096 * 1e-9);
  }

  @Test
  void aKinkAtZeroLeavesOnlyTheValue() {
    double[] s = new UserPowers.RectifiedPower().derivativesAtZero();
    assertEquals(0.0, s[0]);
    for (int k = 1; k < 4; k++) {
      assertTrue(Double.isNaN(s[k]), "sigma_" + k);
    }
  }

  @Test
  void homogeneityIsDetectedOnlyWhereItHolds() {
    assertEquals(OptionalDouble.of(1.5), new UserPowers.RectifiedPower().homogeneity());
    assertEquals(OptionalDouble.of(2), new UserPowers.SignedSquare().homogeneity());
    assertEquals(OptionalDouble.empty(), new UserPowers.AlmostLinear().homogeneity());
    assertEquals(OptionalDouble.empty(), new UserPowers.LowDegree().homogeneity(), "p < 1/2");
    assertEquals(OptionalDouble.empty(), new UserMish().homogeneity());
  }

  @Test
  void specNameAndLoadingByClassName() {
    UserMish mish = new UserMish();
    assertEquals("class:org.finwidth.activation.user.UserMish", mish.spec());
    assertEquals("UserMish", mish.name());
    Activation loaded = Activation.parse(mish.spec());
    assertInstanceOf(UserMish.class, loaded);
    assertEquals(mish.value(0.7), loaded.value(0.7));
    // nested classes by their binary name; the prefix is case-insensitive
    assertInstanceOf(UserPowers.SignedSquare.class,
        Activation.parse(" CLASS:org.finwidth.activation.user.UserPowers$SignedSquare "));
  }

  @Test
  void badClassesAreRefusedInOneLine() {
    String base = "org.finwidth.activation.user.UserPowers$";
    String[][] cases = {
      {"class:com.example.Missing", "activation class 'com.example.Missing' not found on the class path"},
      {"class:", "activation 'class:': empty class name (expected class:com.example.MyActivation)"},
      {"class:" + base + "NotAnActivation", "activation class '" + base
          + "NotAnActivation' does not implement org.finwidth.activation.CustomActivation"},
      {"class:" + base + "NeedsArgument", "activation class '" + base
          + "NeedsArgument' has no public no-argument constructor"},
      {"class:" + base + "Throws", "activation class '" + base
          + "Throws': its constructor threw java.lang.IllegalStateException: no license"},
      {"class:java.lang.String", "activation class 'java.lang.String' does not implement"
          + " org.finwidth.activation.CustomActivation"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Activation.parse(c[0]), c[0]);
      assertEquals(c[1], e.getMessage());
    }
  }

  @Test
  void kernelsUseTheDefaultFloatLoops() {
    UserMish mish = new UserMish();
    float[] z = {-30f, -2.5f, -0.1f, 0f, 0.3f, 1f, 4f, 50f, Float.NaN};
    float[] v = new float[z.length];
    float[] d = new float[z.length];
    for (KernelProvider p : new KernelProvider[] {KernelProvider.getInstance(), KernelProvider.scalar()}) {
      p.activationKernels().value(mish, z, v);
      p.activationKernels().derivative(mish, z, d);
      for (int i = 0; i < z.length; i++) {
        assertEquals((float) mish.value(z[i]), v[i], 0f, p.description() + " value at " + z[i]);
        assertEquals((float) mish.d1(z[i]), d[i], 0f, p.description() + " d1 at " + z[i]);
      }
    }
    double[] zd = {-3, 0.5, 2};
    double[] out = new double[3];
    KernelProvider.getInstance().activationKernels().value(mish, zd, out);
    assertArrayEquals(new double[] {mish.value(-3), mish.value(0.5), mish.value(2)}, out, 0.0);
  }
}
