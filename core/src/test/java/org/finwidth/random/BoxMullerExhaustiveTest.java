package org.finwidth.random;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The accuracy bounds quoted in {@link BoxMuller}'s Javadoc, over every input (about a minute:
 * opt-in with the slow suites).
 */
@Tag("slow")
class BoxMullerExhaustiveTest {

  @Test
  void radiusOverAll31BitInputs() {
    double maxRel = 0;
    for (long s = 0; s < (1L << 31); s++) {
      int a = (int) (s << 1);
      double exact = -2 * Math.log(BoxMullerTest.uniformAsFloat(a));
      float r2 = BoxMuller.radiusSquared(a);
      if (exact == 0) {
        assertTrue(r2 == 0f);
      } else {
        maxRel = Math.max(maxRel, Math.abs(r2 - exact) / exact);
      }
    }
    assertTrue(maxRel < 1.1e-7, "max relative error of R^2 " + maxRel);
  }

  @Test
  void angleOverAll24BitInputs() {
    double maxAbs = 0;
    for (int x = -(1 << 23); x < (1 << 23); x++) {
      int b = x << 8;
      double phi = BoxMullerTest.phi(b);
      maxAbs = Math.max(maxAbs, Math.abs(BoxMuller.cosPart(b) - Math.cos(phi)));
      maxAbs = Math.max(maxAbs, Math.abs(BoxMuller.sinPart(b) - Math.sin(phi)));
    }
    assertTrue(maxAbs < 1.18e-7, "max absolute error of cos/sin " + maxAbs);
  }
}
