package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.finwidth.stats.Estimate;
import org.junit.jupiter.api.Test;

class FiniteWidthExperimentTest {
  /**
   * The quick run's fitted V and K1 of every layer agree with the recursions within 4.5 standard
   * errors of the fit. 2 activations × 3 layers × 2 quantities = 12 comparisons; with Gaussian
   * errors the false-failure probability is 12 × 6.8e-6 ≈ 1e-4 (fixed seed: it either passes
   * always or never; the bound says how unlikely a seed is to fail by chance).
   */
  @Test
  void quickFitsAgreeWithTheRecursions() {
    ExperimentContext ctx = ExperimentContext.silent(true, 2, 11);
    for (int a = 0; a < 2; a++) {
      Initialisation init = FiniteWidthExperiment.initialisations().get(a);
      FiniteWidthExperiment.Measurement m = FiniteWidthExperiment.measure(ctx, init,
          FiniteWidthExperiment.QUICK_WIDTHS, FiniteWidthExperiment.QUICK_DEPTH,
          FiniteWidthExperiment.QUICK_NETWORKS, 10 * a);
      List<WidthExtrapolation.LayerFit> fits = m.fits();
      assertEquals(FiniteWidthExperiment.QUICK_DEPTH - 1, fits.size());
      for (WidthExtrapolation.LayerFit f : fits) {
        Estimate v = f.vertexFit().intercept();
        Estimate k1 = f.nloFit().intercept();
        System.out.printf("%s layer %d: V %s theory %.6g (z %.2f); K1 %s theory %.6g (z %.2f)%n",
            init.activation().spec(), f.layer(), FiniteWidthExperiment.pm(v), f.vertexTheory(),
            v.zScore(f.vertexTheory()), FiniteWidthExperiment.pm(k1), f.nloTheory(), k1.zScore(f.nloTheory()));
        assertTrue(v.within(f.vertexTheory(), 4.5), init.activation().spec() + " layer " + f.layer() + " V");
        assertTrue(k1.within(f.nloTheory(), 4.5), init.activation().spec() + " layer " + f.layer() + " K1");
      }
    }
  }
}
