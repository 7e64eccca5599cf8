package org.finwidth.sim.cli;

import java.io.PrintWriter;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.finwidth.gauss.ActivationAverages;
import org.finwidth.gauss.GaussianExpectation;

/**
 * The main job for now (issue 2): a table of the catalogue with ⟨σ²⟩_K, χ_∥/C_W and χ_⊥/C_W at
 * K = 1 from the adaptive quadrature, and the sign of χ_∥ − χ_⊥ (= ⟨σσ''⟩ for smooth σ, THEORY.md
 * §3.2) on a grid of K, whose sign change marks a nontrivial critical K*.
 */
final class CatalogueDemo {
  private CatalogueDemo() {}

  /** The K grid of the sign scan (THEORY.md §3.2 scans K in [0.01, 60]). */
  static final double[] K_GRID = {0.01, 0.03, 0.1, 0.3, 1, 2, 3, 5, 10, 20, 40, 60};

  /**
   * |χ_∥ − χ_⊥| below this fraction of χ_∥ + χ_⊥ counts as zero: 1e-10 is far above the
   * quadrature's 1e-13 and far below any real difference in the catalogue.
   */
  static final double ZERO = 1e-10;

  static int run(PrintWriter out) {
    GaussianExpectation g = new GaussianExpectation();
    out.println("finwidth: the activation catalogue under Gaussian preactivations z ~ N(0, K)");
    out.println("(per unit C_W; sign column: sign of chi_par - chi_perp = <sigma sigma''> at");
    out.print("K =");
    for (double k : K_GRID) {
      out.print(" " + ActivationsCommand.number(k));
    }
    out.println("; a change of sign brackets a critical K*)");
    out.println();
    out.printf("%-12s %18s %18s %18s  %-14s %s%n", "activation", "<sigma^2>_1", "chi_par/C_W",
        "chi_perp/C_W", "sign scan", "K* bracket");
    for (Catalogue.Entry e : Catalogue.entries()) {
      Activation a = e.withDefaults();
      ActivationAverages.Single one = ActivationAverages.single(g, a, 1);
      StringBuilder signs = new StringBuilder();
      String bracket = "-";
      int previous = 2;
      for (int i = 0; i < K_GRID.length; i++) {
        ActivationAverages.Single s = ActivationAverages.single(g, a, K_GRID[i]);
        double diff = s.chiParallel() - s.chiPerp();
        double scale = Math.abs(s.chiParallel()) + Math.abs(s.chiPerp());
        int sign = Math.abs(diff) <= ZERO * scale ? 0 : (diff > 0 ? 1 : -1);
        signs.append(sign == 0 ? '0' : (sign > 0 ? '+' : '-'));
        if (previous != 2 && sign != 0 && previous != 0 && sign != previous) {
          bracket = "(" + ActivationsCommand.number(K_GRID[i - 1]) + ", "
              + ActivationsCommand.number(K_GRID[i]) + ")";
        }
        previous = sign;
      }
      out.printf("%-12s %18.12f %18.12f %18.12f  %-14s %s%n", a.spec(), one.sigma2(),
          one.chiParallel(), one.chiPerp(), signs, bracket);
    }
    out.println();
    out.println("More: finwidth activations [--activation SPEC] [--json]; finwidth --help");
    out.flush();
    return FinwidthCommand.EXIT_OK;
  }
}
