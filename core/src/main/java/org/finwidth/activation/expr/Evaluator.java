package org.finwidth.activation.expr;

/** Double evaluation of a formula tree: the reference for every other evaluator. */
final class Evaluator {
  private Evaluator() {}

  static double eval(Expr e, double z) {
    return switch (e) {
      case Expr.Const c -> c.value();
      case Expr.Var v -> z;
      case Expr.Neg n -> -eval(n.a(), z);
      case Expr.Binary b -> apply(b.op(), eval(b.a(), z), eval(b.b(), z));
      case Expr.Call c -> c.args().size() == 1
          ? Functions.value(c.fn(), eval(c.args().get(0), z))
          : apply(c.fn(), eval(c.args().get(0), z), eval(c.args().get(1), z));
      case Expr.Where w -> {
        double l = eval(w.l(), z);
        double r = eval(w.r(), z);
        if (Double.isNaN(l) || Double.isNaN(r)) {
          yield Double.NaN;
        }
        yield w.cmp().test(l, r) ? eval(w.a(), z) : eval(w.b(), z);
      }
    };
  }

  static double apply(Expr.Op op, double a, double b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case POW -> Math.pow(a, b);
    };
  }

  static double apply(Expr.Fn fn, double... x) {
    return switch (fn) {
      case MAX -> Math.max(x[0], x[1]);
      case MIN -> Math.min(x[0], x[1]);
      default -> Functions.value(fn, x[0]);
    };
  }
}
