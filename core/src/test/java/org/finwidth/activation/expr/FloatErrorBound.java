package org.finwidth.activation.expr;

/**
 * A first-order running error bound for evaluating a formula tree in float, computed in double
 * beside the reference: for value and derivative, how far the compiled float kernels may be from
 * the double evaluators at z. Per operation: u = 2^-24 relative for + − × ÷ and sqrt (correctly
 * rounded), {@link #RHO} relative for each function of the language and for each function's
 * derivative (the building blocks: measured at most 6u over wide inputs, stated 8u), and
 * {@link #ALPHA} absolute for exp's flush to 0 below e^-87.7. Errors of the arguments propagate
 * through the exact derivatives (the jets' {@link Functions}) with the second-order term
 * ½|f''|E² of functions; where a comparison cannot be decided within the bounds of its sides,
 * either branch may be taken and the bound covers both. NaN means "no bound": an intermediate
 * beyond the float range, or a quotient whose denominator is within its own error of 0.
 */
final class FloatErrorBound {
  private FloatErrorBound() {}

  static final double U = 0x1p-24;
  static final double RHO = 8 * U;
  static final double ALPHA = 1.2e-38;
  /** Intermediates beyond this overflow in float. */
  private static final double FLOAT_MAX = Float.MAX_VALUE;

  /** Value, derivative, and the bounds of their float errors. */
  record B(double v, double d, double ev, double ed) {}

  private static final B NONE = new B(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static B bound(Expr e, double z) {
    B b = eval(e, z);
    return b;
  }

  private static boolean bad(B b) {
    return Double.isNaN(b.ev()) || Double.isNaN(b.ed());
  }

  private static B check(double v, double d, double ev, double ed) {
    if (!(Math.abs(v) <= FLOAT_MAX / 2) || !(Math.abs(d) <= FLOAT_MAX / 2)) {
      return Double.isNaN(v) ? new B(v, d, 0, 0) : NONE;
    }
    return new B(v, d, ev + Float.MIN_VALUE, ed + Float.MIN_VALUE);
  }

  private static B eval(Expr e, double z) {
    switch (e) {
      case Expr.Const c -> {
        return new B(c.value(), 0, Math.abs(c.value() - (float) c.value()), 0);
      }
      case Expr.Var v -> {
        return new B(z, 1, 0, 0);
      }
      case Expr.Neg n -> {
        B a = eval(n.a(), z);
        return new B(-a.v(), -a.d(), a.ev(), a.ed());
      }
      case Expr.Binary b -> {
        B p = eval(b.a(), z);
        B q = eval(b.b(), z);
        if (bad(p) || bad(q)) {
          return NONE;
        }
        if (Double.isNaN(p.v()) || Double.isNaN(q.v())) {
          return new B(Double.NaN, Double.NaN, 0, 0);
        }
        return binary(b, p, q);
      }
      case Expr.Call c -> {
        return call(c, z);
      }
      case Expr.Where w -> {
        B l = eval(w.l(), z);
        B r = eval(w.r(), z);
        B a = eval(w.a(), z);
        B b = eval(w.b(), z);
        if (bad(l) || bad(r)) {
          return NONE;
        }
        if (Double.isNaN(l.v()) || Double.isNaN(r.v())) {
          return new B(Double.NaN, Double.NaN, 0, 0);
        }
        boolean exact = w.cmp().test(l.v(), r.v());
        if (Math.abs(l.v() - r.v()) > l.ev() + r.ev()) {
          return exact ? a : b;
        }
        return either(a, b);
      }
    }
  }

  /** Either branch may be taken. */
  private static B either(B a, B b) {
    if (bad(a) || bad(b)) {
      return NONE;
    }
    B pick = a;
    return new B(pick.v(), pick.d(), Math.max(a.ev(), b.ev()) + Math.abs(a.v() - b.v()),
        Math.max(a.ed(), b.ed()) + Math.abs(a.d() - b.d()));
  }

  private static B binary(Expr.Binary b, B p, B q) {
    double u = U;
    switch (b.op()) {
      case ADD, SUB -> {
        double s = b.op() == Expr.Op.ADD ? 1 : -1;
        double v = p.v() + s * q.v();
        double d = p.d() + s * q.d();
        return check(v, d, p.ev() + q.ev() + u * Math.abs(v), p.ed() + q.ed() + u * Math.abs(d));
      }
      case MUL -> {
        double v = p.v() * q.v();
        double d = p.d() * q.v() + p.v() * q.d();
        double ev = Math.abs(q.v()) * p.ev() + Math.abs(p.v()) * q.ev() + p.ev() * q.ev()
            + u * Math.abs(v);
        double ed = Math.abs(q.v()) * p.ed() + Math.abs(p.d()) * q.ev() + Math.abs(p.v()) * q.ed()
            + Math.abs(q.d()) * p.ev() + p.ed() * q.ev() + q.ed() * p.ev()
            + 2 * u * (Math.abs(p.d() * q.v()) + Math.abs(p.v() * q.d())) + u * Math.abs(d);
        return check(v, d, ev, ed);
      }
      case DIV -> {
        double den = Math.abs(q.v()) - q.ev();
        if (!(den > 0)) {
          return NONE;
        }
        double v = p.v() / q.v();
        double ev = (p.ev() + Math.abs(v) * q.ev()) / den + u * Math.abs(v);
        double num = p.d() - v * q.d();
        double d = num / q.v();
        double enum_ = p.ed() + Math.abs(q.d()) * ev + Math.abs(v) * q.ed()
            + 2 * u * (Math.abs(v * q.d()) + Math.abs(num));
        double ed = (enum_ + Math.abs(d) * q.ev()) / den + u * Math.abs(d);
        return check(v, d, ev, ed);
      }
      case POW -> {
        return power(b, p, q);
      }
    }
    throw new IllegalStateException();
  }

  /** Relative rounding of u^c as the compiler computes it. */
  private static double powRounding(double c, double base) {
    if (c == Math.rint(c) && Math.abs(c) <= 64) {
      int n = (int) Math.abs(c);
      int muls = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(n, 1)));
      return (muls + 2) * U;
    }
    if (c == 0.5) {
      return U;
    }
    if (base == 0) {
      return 0; // exp(c·(−∞)) = 0 or ∞ exactly
    }
    // exp(c·log u): log's error ρ|ln u| absolute (and ρ relative for |ln u| < 1), the product
    // rounds, exp adds ρ
    return RHO * Math.max(1, Math.abs(c * Math.log(base))) + U * Math.abs(c * Math.log(base)) + RHO;
  }

  private static B power(Expr.Binary b, B p, B q) {
    double x = p.v();
    if (b.b() instanceof Expr.Const c) {
      double k = c.value();
      double v = Math.pow(x, k);
      double f1 = k == 0 ? 0 : k * Math.pow(x, k - 1);
      double f2 = k == 0 || k == 1 ? 0 : k * (k - 1) * Math.pow(x, k - 2);
      double d = k == 0 ? 0 : f1 * p.d();
      double ev = Math.abs(f1) * p.ev() + 0.5 * Math.abs(f2) * p.ev() * p.ev()
          + powRounding(k, x) * Math.abs(v) + ALPHA;
      double ed = Math.abs(f2) * p.ev() * Math.abs(p.d()) + Math.abs(f1) * p.ed()
          + (powRounding(k - 1, x) + 2 * U) * Math.abs(d) + ALPHA * Math.abs(k * p.d());
      return check(v, d, ev, ed);
    }
    double w = q.v();
    double lx = Math.log(x);
    double v = Math.pow(x, w);
    double inner = q.d() * lx + w * p.d() / x;
    double d = v * inner;
    double rel = RHO * Math.max(1, Math.abs(w * lx)) + U * Math.abs(w * lx) + RHO;
    double ev = Math.abs(v) * (Math.abs(lx) * q.ev() + Math.abs(w / x) * p.ev()) + rel * Math.abs(v)
        + ALPHA;
    double eInner = Math.abs(lx) * q.ed() + Math.abs(q.d()) * (p.ev() / Math.abs(x) + RHO)
        + Math.abs(p.d() / x) * q.ev() + Math.abs(w / x) * p.ed()
        + Math.abs(w * p.d() / (x * x)) * p.ev() + 4 * U * (Math.abs(q.d() * lx) + Math.abs(w * p.d() / x));
    double ed = Math.abs(inner) * ev + Math.abs(v) * eInner + U * Math.abs(d);
    return check(v, d, ev, ed);
  }

  private static B call(Expr.Call c, double z) {
    if (c.fn() == Expr.Fn.MAX || c.fn() == Expr.Fn.MIN) {
      B p = eval(c.args().get(0), z);
      B q = eval(c.args().get(1), z);
      if (bad(p) || bad(q)) {
        return NONE;
      }
      if (Double.isNaN(p.v()) || Double.isNaN(q.v())) {
        return new B(Double.NaN, Double.NaN, 0, 0);
      }
      if (Math.abs(p.v() - q.v()) > p.ev() + q.ev()) {
        boolean pWins = (c.fn() == Expr.Fn.MAX) == (p.v() > q.v());
        return pWins ? p : q;
      }
      return either(p, q);
    }
    B a = eval(c.args().get(0), z);
    if (bad(a)) {
      return NONE;
    }
    double x = a.v();
    if (Double.isNaN(x)) {
      return new B(Double.NaN, Double.NaN, 0, 0);
    }
    switch (c.fn()) {
      case ABS, RELU -> {
        double[] f = new double[4];
        Functions.derivatives(c.fn(), x, f);
        if (Math.abs(x) > a.ev()) {
          return new B(f[0], f[1] * a.d(), a.ev(), Math.abs(f[1]) * a.ed());
        }
        return new B(f[0], f[1] * a.d(), a.ev(), 2 * Math.abs(a.d()) + a.ed());
      }
      case STEP -> {
        double v = Functions.value(c.fn(), x);
        return new B(v, 0, Math.abs(x) > a.ev() ? 0 : 1, 0);
      }
      default -> {
        double[] f = new double[4];
        Functions.derivatives(c.fn(), x, f);
        double rho = c.fn() == Expr.Fn.SQRT ? U : RHO;
        double rho1 = c.fn() == Expr.Fn.SQRT || c.fn() == Expr.Fn.LOG ? 2 * U : RHO;
        double v = f[0];
        double d = f[1] * a.d();
        double ev = Math.abs(f[1]) * a.ev() + 0.5 * Math.abs(f[2]) * a.ev() * a.ev()
            + rho * Math.abs(v) + ALPHA;
        double ed = (Math.abs(f[2]) * a.ev() + 0.5 * Math.abs(f[3]) * a.ev() * a.ev())
            * Math.abs(a.d()) + Math.abs(f[1]) * a.ed() + a.ev() * 0
            + (rho1 + U) * Math.abs(d) + ALPHA * Math.abs(a.d());
        return check(v, d, ev, ed);
      }
    }
  }
}
