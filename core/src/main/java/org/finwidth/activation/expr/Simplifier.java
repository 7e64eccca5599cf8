package org.finwidth.activation.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a parsed formula into an equivalent tree that evaluates more stably, bottom-up:
 * <ul>
 *   <li>constant subtrees are folded (in double);
 *   <li>log(1 + exp(x)) and log(exp(x) + 1) become softplus(x) (no overflow for large x);
 *   <li>a/(1 + exp(x)) becomes a·sigmoid(−x), exp(x)/(1 + exp(x)) sigmoid(x) (no ∞/∞);
 *   <li>log(1 + x) becomes log1p(x), exp(x) − 1 expm1(x), 1 − exp(x) −expm1(x) (no cancellation);
 *   <li>−(−x) becomes x.
 * </ul>
 * The function is unchanged; only the rounding improves. Both the double evaluators and the vector
 * compiler work on the rewritten tree.
 */
final class Simplifier {
  private Simplifier() {}

  static Expr simplify(Expr e) {
    return switch (e) {
      case Expr.Const c -> c;
      case Expr.Var v -> v;
      case Expr.Neg n -> neg(simplify(n.a()));
      case Expr.Binary b -> binary(b.op(), simplify(b.a()), simplify(b.b()), b.column());
      case Expr.Call c -> call(c);
      case Expr.Where w -> where(w);
    };
  }

  private static Expr neg(Expr a) {
    if (a instanceof Expr.Const c) {
      return new Expr.Const(-c.value(), c.column());
    }
    if (a instanceof Expr.Neg n) {
      return n.a();
    }
    return new Expr.Neg(a, a.column());
  }

  private static boolean isConst(Expr e, double v) {
    return e instanceof Expr.Const c && c.value() == v;
  }

  /** The argument of exp(x), or null. */
  private static Expr expArgument(Expr e) {
    return e instanceof Expr.Call c && c.fn() == Expr.Fn.EXP ? c.args().get(0) : null;
  }

  /** x for 1 + exp(x) or exp(x) + 1, else null. */
  private static Expr onePlusExp(Expr e) {
    if (e instanceof Expr.Binary b && b.op() == Expr.Op.ADD) {
      if (isConst(b.a(), 1) && expArgument(b.b()) != null) {
        return expArgument(b.b());
      }
      if (isConst(b.b(), 1) && expArgument(b.a()) != null) {
        return expArgument(b.a());
      }
    }
    return null;
  }

  private static Expr binary(Expr.Op op, Expr a, Expr b, int column) {
    if (a instanceof Expr.Const x && b instanceof Expr.Const y) {
      return new Expr.Const(Evaluator.apply(op, x.value(), y.value()), column);
    }
    if (op == Expr.Op.SUB && isConst(b, 1) && expArgument(a) != null) {
      return call(Expr.Fn.EXPM1, column, expArgument(a));
    }
    if (op == Expr.Op.SUB && isConst(a, 1) && expArgument(b) != null) {
      return neg(call(Expr.Fn.EXPM1, column, expArgument(b)));
    }
    if (op == Expr.Op.DIV) {
      Expr x = onePlusExp(b);
      if (x != null) {
        Expr ax = expArgument(a);
        if (ax != null && same(ax, x)) {
          return call(Expr.Fn.SIGMOID, column, x);
        }
        Expr gate = call(Expr.Fn.SIGMOID, column, neg(x));
        return isConst(a, 1) ? gate : new Expr.Binary(Expr.Op.MUL, a, gate, column);
      }
    }
    return new Expr.Binary(op, a, b, column);
  }

  private static Expr call(Expr.Fn fn, int column, Expr... args) {
    return simplifyCall(new Expr.Call(fn, List.of(args), column));
  }

  private static Expr call(Expr.Call c) {
    List<Expr> args = new ArrayList<>(c.args().size());
    for (Expr a : c.args()) {
      args.add(simplify(a));
    }
    return simplifyCall(new Expr.Call(c.fn(), args, c.column()));
  }

  private static Expr simplifyCall(Expr.Call c) {
    boolean constant = true;
    for (Expr a : c.args()) {
      constant &= a instanceof Expr.Const;
    }
    if (constant) {
      double[] v = new double[c.args().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = ((Expr.Const) c.args().get(i)).value();
      }
      return new Expr.Const(Evaluator.apply(c.fn(), v), c.column());
    }
    if (c.fn() == Expr.Fn.LOG) {
      Expr arg = c.args().get(0);
      Expr x = onePlusExp(arg);
      if (x != null) {
        return new Expr.Call(Expr.Fn.SOFTPLUS, List.of(x), c.column());
      }
      if (arg instanceof Expr.Binary b && b.op() == Expr.Op.ADD) {
        if (isConst(b.a(), 1)) {
          return new Expr.Call(Expr.Fn.LOG1P, List.of(b.b()), c.column());
        }
        if (isConst(b.b(), 1)) {
          return new Expr.Call(Expr.Fn.LOG1P, List.of(b.a()), c.column());
        }
      }
    }
    return c;
  }

  private static Expr where(Expr.Where w) {
    Expr l = simplify(w.l());
    Expr r = simplify(w.r());
    Expr a = simplify(w.a());
    Expr b = simplify(w.b());
    if (l instanceof Expr.Const x && r instanceof Expr.Const y && !Double.isNaN(x.value())
        && !Double.isNaN(y.value())) {
      return w.cmp().test(x.value(), y.value()) ? a : b;
    }
    return new Expr.Where(w.cmp(), l, r, a, b, w.column());
  }

  /** Structural equality ignoring columns. */
  static boolean same(Expr a, Expr b) {
    return switch (a) {
      case Expr.Const x -> b instanceof Expr.Const y && Double.compare(x.value(), y.value()) == 0;
      case Expr.Var x -> b instanceof Expr.Var;
      case Expr.Neg x -> b instanceof Expr.Neg y && same(x.a(), y.a());
      case Expr.Binary x -> b instanceof Expr.Binary y && x.op() == y.op() && same(x.a(), y.a())
          && same(x.b(), y.b());
      case Expr.Call x -> {
        if (!(b instanceof Expr.Call y) || x.fn() != y.fn()) {
          yield false;
        }
        boolean s = true;
        for (int i = 0; i < x.args().size(); i++) {
          s &= same(x.args().get(i), y.args().get(i));
        }
        yield s;
      }
      case Expr.Where x -> b instanceof Expr.Where y && x.cmp() == y.cmp() && same(x.l(), y.l())
          && same(x.r(), y.r()) && same(x.a(), y.a()) && same(x.b(), y.b());
    };
  }
}
