package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Brent's method: accuracy and a bounded number of evaluations (as Hipparchus BrentSolverTest). */
class BrentSolverTest {
  private static final class Counted implements DoubleUnaryOperator {
    final DoubleUnaryOperator f;
    int count;

    Counted(DoubleUnaryOperator f) {
      this.f = f;
    }

    @Override
    public double applyAsDouble(double x) {
      count++;
      return f.applyAsDouble(x);
    }
  }

  private static double solve(Counted f, double lo, double hi) {
    return BrentSolver.solve(f, lo, f.applyAsDouble(lo), hi, f.applyAsDouble(hi), 1e-15, 0);
  }

  @Test
  void smoothRootsToMachinePrecisionInFewEvaluations() {
    Counted sin = new Counted(Math::sin);
    assertEquals(Math.PI, solve(sin, 3, 4), 4e-15);
    assertTrue(sin.count <= 12, "evaluations: " + sin.count);
    Counted cubic = new Counted(x -> (x - 1.5) * (x * x + 1));
    assertEquals(1.5, solve(cubic, -10, 10), 4e-15);
    assertTrue(cubic.count <= 20, "evaluations: " + cubic.count);
    Counted exp = new Counted(x -> Math.exp(x) - 1e-3);
    assertEquals(Math.log(1e-3), solve(exp, -20, 5), 1e-13);
    assertTrue(exp.count <= 30, "evaluations: " + exp.count);
  }

  @Test
  void hardCasesStayBounded() {
    // A flat function (x^9) and a step: bisection safeguards keep the count near log2(width/tol).
    Counted flat = new Counted(x -> Math.pow(x - 0.3, 9));
    assertEquals(0.3, solve(flat, -1, 2), 1e-4);
    assertTrue(flat.count <= 200, "evaluations: " + flat.count);
    Counted step = new Counted(x -> x < 0.7 ? -1 : 1);
    assertEquals(0.7, solve(step, 0, 1), 1e-14);
    assertTrue(step.count <= 200, "evaluations: " + step.count);
  }

  @Test
  void rejectsBadBrackets() {
    assertThrows(IllegalArgumentException.class, () -> BrentSolver.solve(x -> x, 1, 1, 2, 2, 1e-15, 0));
    assertThrows(IllegalArgumentException.class, () -> BrentSolver.solve(x -> x, 1, Double.NaN, 2, 2, 1e-15, 0));
    assertEquals(1, BrentSolver.solve(x -> x - 1, 1, 0, 2, 1, 1e-15, 0));
  }
}
