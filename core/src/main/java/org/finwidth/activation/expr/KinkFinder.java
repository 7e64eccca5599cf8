package org.finwidth.activation.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The kinks of a formula: the zeros of its tie functions, where σ or a derivative may fail to be
 * analytic. Tie functions: a − b of max(a, b) and min(a, b); u of abs(u), relu(u), step(u) and
 * sqrt(u); the base u of u^p for a non-integer or negative constant p or a non-constant exponent;
 * l − r of the condition of where(l cmp r, a, b). Tie functions that do not depend on z are
 * skipped.
 *
 * <p>Method: each tie function is evaluated on a grid of {@link #GRID_SIZE} points, 0 and
 * ±10^(k/16) for |z| from 1e-8 to 1e6; every sign change between neighbours is refined by
 * bisection to adjacent doubles (the one with the smaller |g| is taken, the exact zero when one of
 * them is), and every edge of a zero set (g = 0 at one neighbour, not at the other: an isolated
 * zero, or where the argument of relu leaves 0) by bisection to its last zero. Zeros outside that range, zeros
 * without a sign change between grid points (a tangency, or two zeros closer than the grid
 * spacing, 15% of |z|) are not found: conditions that oscillate (where(sin(9z) &gt; 0, ...))
 * have kinks the grid misses.
 */
final class KinkFinder {
  private KinkFinder() {}

  static final double[] GRID;
  static final int GRID_SIZE;

  static {
    List<Double> g = new ArrayList<>();
    for (int k = 96; k >= -128; k--) {
      g.add(-Math.pow(10, k / 16.0));
    }
    g.add(0.0);
    for (int k = -128; k <= 96; k++) {
      g.add(Math.pow(10, k / 16.0));
    }
    GRID = new double[g.size()];
    for (int i = 0; i < GRID.length; i++) {
      GRID[i] = g.get(i);
    }
    GRID_SIZE = GRID.length;
  }

  static double[] kinks(Expr tree) {
    List<Expr> ties = new ArrayList<>();
    collect(tree, ties);
    TreeSet<Double> found = new TreeSet<>();
    for (Expr g : ties) {
      if (dependsOnZ(g)) {
        roots(g, found);
      }
    }
    double[] out = new double[found.size()];
    int i = 0;
    for (double k : found) {
      out[i++] = k + 0.0; // -0.0 -> 0.0
    }
    return out;
  }

  static boolean dependsOnZ(Expr e) {
    return switch (e) {
      case Expr.Const c -> false;
      case Expr.Var v -> true;
      case Expr.Neg n -> dependsOnZ(n.a());
      case Expr.Binary b -> dependsOnZ(b.a()) || dependsOnZ(b.b());
      case Expr.Call c -> c.args().stream().anyMatch(KinkFinder::dependsOnZ);
      case Expr.Where w -> dependsOnZ(w.l()) || dependsOnZ(w.r()) || dependsOnZ(w.a())
          || dependsOnZ(w.b());
    };
  }

  private static Expr minus(Expr a, Expr b) {
    return new Expr.Binary(Expr.Op.SUB, a, b, 0);
  }

  private static void collect(Expr e, List<Expr> ties) {
    switch (e) {
      case Expr.Const c -> { }
      case Expr.Var v -> { }
      case Expr.Neg n -> collect(n.a(), ties);
      case Expr.Binary b -> {
        if (b.op() == Expr.Op.POW) {
          boolean smooth = b.b() instanceof Expr.Const c && c.value() >= 0
              && c.value() == Math.rint(c.value());
          if (!smooth) {
            ties.add(b.a());
          }
        }
        collect(b.a(), ties);
        collect(b.b(), ties);
      }
      case Expr.Call c -> {
        switch (c.fn()) {
          case MAX, MIN -> ties.add(minus(c.args().get(0), c.args().get(1)));
          case ABS, RELU, STEP, SQRT -> ties.add(c.args().get(0));
          default -> { }
        }
        for (Expr a : c.args()) {
          collect(a, ties);
        }
      }
      case Expr.Where w -> {
        ties.add(minus(w.l(), w.r()));
        collect(w.l(), ties);
        collect(w.r(), ties);
        collect(w.a(), ties);
        collect(w.b(), ties);
      }
    }
  }

  private static void roots(Expr g, TreeSet<Double> found) {
    double[] v = new double[GRID.length];
    for (int i = 0; i < GRID.length; i++) {
      v[i] = Evaluator.eval(g, GRID[i]);
    }
    for (int i = 0; i + 1 < GRID.length; i++) {
      double a = v[i];
      double b = v[i + 1];
      if (Double.isNaN(a) || Double.isNaN(b)) {
        continue;
      }
      if (a != 0 && b != 0 && (a < 0) != (b < 0)) {
        found.add(bisect(g, GRID[i], a, GRID[i + 1], b));
      } else if ((a == 0) != (b == 0)) {
        // the edge of a zero set (an isolated zero, or where relu's argument leaves 0)
        found.add(a == 0 ? edge(g, GRID[i], GRID[i + 1]) : edge(g, GRID[i + 1], GRID[i]));
      }
    }
  }

  /** The last point from {@code zero} (g = 0) towards {@code nonzero} where g is still 0. */
  private static double edge(Expr g, double zero, double nonzero) {
    for (int it = 0; it < 2200; it++) {
      double mid = zero + (nonzero - zero) / 2;
      if (mid == zero || mid == nonzero) {
        break;
      }
      if (Evaluator.eval(g, mid) == 0) {
        zero = mid;
      } else {
        nonzero = mid;
      }
    }
    return zero;
  }

  private static double bisect(Expr g, double lo, double glo, double hi, double ghi) {
    for (int it = 0; it < 2200; it++) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) {
        break;
      }
      double gm = Evaluator.eval(g, mid);
      if (gm == 0) {
        return mid;
      }
      if (Double.isNaN(gm)) {
        break;
      }
      if ((gm < 0) == (glo < 0)) {
        lo = mid;
        glo = gm;
      } else {
        hi = mid;
        ghi = gm;
      }
    }
    return Math.abs(glo) < Math.abs(ghi) ? lo : hi;
  }
}
