package org.finwidth.random;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The accuracy bounds quoted in {@link BoxMuller}'s Javadoc, over every input (about 3 minutes:
 * opt-in with the slow suites).
 */
@Tag("slow")
class BoxMullerExhaustiveTest {

  @Test
  void radiusOverAll31BitInputs() {
    double maxRel = 0;
    for (long s = 0; s < (1L << 31); s++) {
      int a = (int) (s << 1);
      double u = Math.fma((float) s, BoxMuller.U_SCALE, BoxMuller.U_OFFSET);
      double exact = -2 * Math.log(u);
      float r2 = BoxMuller.radiusSquared(a);
      if (exact == 0) {
        assertTrue(r2 == 0f);
      } else {
        maxRel = Math.max(maxRel, Math.abs(r2 - exact) / exact);
      }
    }
    assertTrue(maxRel < 1.0e-7, "max relative error of R^2 " + maxRel);
  }

  @Test
  void angleOverAll32BitInputs() {
    double maxAbs = 0;
    for (long b = 0; b < (1L << 32); b++) {
      double theta = 2 * Math.PI * (b * 0x1p-32);
      maxAbs = Math.max(maxAbs, Math.abs(BoxMuller.cosTurn((int) b) - Math.cos(theta)));
      maxAbs = Math.max(maxAbs, Math.abs(BoxMuller.sinTurn((int) b) - Math.sin(theta)));
    }
    assertTrue(maxAbs < 1.1e-7, "max absolute error of cos/sin " + maxAbs);
  }
}
