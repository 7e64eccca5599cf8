package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.vector.KernelProvider.Implementation;
import org.junit.jupiter.api.Test;

/**
 * The provider loads the implementation that {@code -Dfinwidth.kernels} forces: core's surefire
 * runs the whole suite twice, {@code default-test} with {@code panama} and {@code scalar-kernels}
 * with {@code scalar} (core/pom.xml); this test fails if either run silently got the other one.
 */
class KernelProviderTest {

  @Test
  void forcedImplementationIsTheOneLoaded() {
    String forced = System.getProperty(KernelProvider.PROPERTY);
    KernelProvider p = KernelProvider.getInstance();
    String kernelPackage = p.activationKernels().getClass().getPackageName();
    if ("panama".equals(forced)) {
      assertEquals(Implementation.PANAMA, p.implementation(), p.description());
      assertEquals("org.finwidth.vector.panama", kernelPackage);
      assertTrue(p.floatLanes() >= 2, p.description());
    } else if ("scalar".equals(forced)) {
      assertEquals(Implementation.SCALAR, p.implementation(), p.description());
      assertEquals("org.finwidth.vector", kernelPackage);
      assertEquals(1, p.floatLanes());
    } else {
      // Not one of the two surefire runs (an IDE, say): the automatic rule must hold.
      Implementation expected = KernelProvider.vectorModulePresent()
          && KernelProvider.select("panama").floatLanes() >= KernelProvider.MIN_AUTO_FLOAT_LANES
          ? Implementation.PANAMA : Implementation.SCALAR;
      assertEquals(expected, p.implementation(), p.description());
    }
    assertSame(p, KernelProvider.getInstance(), "chosen once");
  }

  @Test
  void scalarIsAlwaysAvailable() {
    assertEquals(Implementation.SCALAR, KernelProvider.scalar().implementation());
    assertSame(KernelProvider.scalar(), KernelProvider.select("scalar"));
    assertSame(KernelProvider.scalar(), KernelProvider.select(" Scalar "));
  }

  @Test
  void forcedPanamaLoadsPanamaWhenTheModuleIsPresent() {
    // Both surefire runs add the module, so forcing Panama must succeed here.
    assertTrue(KernelProvider.vectorModulePresent(), "tests run with --add-modules jdk.incubator.vector");
    KernelProvider p = KernelProvider.select("panama");
    assertEquals(Implementation.PANAMA, p.implementation());
    assertTrue(p.description().contains("lanes"), p.description());
  }

  @Test
  void unknownValueFailsLoudly() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KernelProvider.select("avx512"));
    assertTrue(e.getMessage().contains("finwidth.kernels=avx512"), e.getMessage());
    assertTrue(e.getMessage().contains("panama, scalar or auto"), e.getMessage());
  }

  @Test
  void autoTakesPanamaOnWideVectors() {
    KernelProvider auto = KernelProvider.select("auto");
    KernelProvider panama = KernelProvider.select("panama");
    if (panama.floatLanes() >= KernelProvider.MIN_AUTO_FLOAT_LANES) {
      assertEquals(Implementation.PANAMA, auto.implementation(), "C2 is on in the test JVM");
    } else {
      assertEquals(Implementation.SCALAR, auto.implementation());
    }
    assertEquals(auto.implementation(), KernelProvider.select(null).implementation());
    assertEquals(auto.implementation(), KernelProvider.select("").implementation());
  }

  /** The vector width property: unset, auto or 128/256/512; anything else is refused in one line naming it. */
  @Test
  void vectorBitsPropertyIsParsedStrictly() {
    String before = System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY);
    try {
      System.clearProperty(KernelProvider.VECTOR_BITS_PROPERTY);
      assertTrue(KernelProvider.forcedVectorBits().isEmpty());
      System.setProperty(KernelProvider.VECTOR_BITS_PROPERTY, " Auto ");
      assertTrue(KernelProvider.forcedVectorBits().isEmpty());
      System.setProperty(KernelProvider.VECTOR_BITS_PROPERTY, "512");
      assertEquals(512, KernelProvider.forcedVectorBits().getAsInt());
      System.setProperty(KernelProvider.VECTOR_BITS_PROPERTY, "300");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, KernelProvider::forcedVectorBits);
      assertEquals("-Dfinwidth.vector.bits=300: unknown value, expected 128, 256, 512 or auto", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> KernelProvider.select("panama"));
    } finally {
      if (before == null) {
        System.clearProperty(KernelProvider.VECTOR_BITS_PROPERTY);
      } else {
        System.setProperty(KernelProvider.VECTOR_BITS_PROPERTY, before);
      }
    }
  }
}
