package org.finwidth.sim.cli;

import java.io.PrintWriter;
import java.util.List;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.UniversalityClass;

/**
 * {@code criticality} without an activation: the criticality of the whole catalogue, computed
 * ({@link org.finwidth.theory.CriticalitySolver}), as a table with a one-line "why" for the
 * activations without a critical point.
 */
final class CriticalityTable {
  private CriticalityTable() {}

  static int run(PrintWriter out) {
    out.println("finwidth: critical initialisations of the activation catalogue (docs/theory.md sections 3-4),");
    out.println("computed: K* from the roots of <sigma sigma''>_K (or chi_par - chi_perp), C_W = 1/<sigma'^2>,");
    out.println("C_b = K* - C_W <sigma^2>; approach = side from which the kernel flow reaches K*.");
    out.println();
    List<Criticality> all = CriticalityCommand.catalogue();
    CriticalityCommand.printTable(out, all);
    out.println();
    out.println("No critical point:");
    for (Criticality c : all) {
      if (c.universalityClass() == UniversalityClass.NONE) {
        out.printf("  %-10s %s%n", c.activation().spec(), firstClause(c.reason()));
      }
    }
    out.println();
    out.println("More: finwidth criticality --activation SPEC [--json]; finwidth theory --help;"
        + " finwidth activations");
    out.flush();
    return FinwidthCommand.EXIT_OK;
  }

  /** The reason up to its first ';' (the main fact). */
  private static String firstClause(String reason) {
    int i = reason.indexOf(';');
    return i < 0 ? reason : reason.substring(0, i);
  }
}
