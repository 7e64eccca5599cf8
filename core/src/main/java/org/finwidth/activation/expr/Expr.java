package org.finwidth.activation.expr;

import java.util.List;

/**
 * A node of a parsed activation formula (see {@link FormulaParser} for the grammar). Parameters are
 * substituted as constants when the formula is parsed, so a tree is a function of z alone. Every
 * node remembers the column (from 1, after {@code expr:}) where its text starts, for messages.
 */
public sealed interface Expr {

  /** Where the node's text starts: column from 1 after {@code expr:} (0 for nodes the rewrites made). */
  int column();

  /** A number, a named constant ({@code pi}) or a parameter. */
  record Const(double value, int column) implements Expr {}

  /** The variable z. */
  record Var(int column) implements Expr {}

  /** −a. */
  record Neg(Expr a, int column) implements Expr {}

  /** a op b for + − * / ^. */
  record Binary(Op op, Expr a, Expr b, int column) implements Expr {}

  /** A function call; {@code args.size() == fn.arity()}. */
  record Call(Fn fn, List<Expr> args, int column) implements Expr {
    /** A call; the argument list is copied. */
    public Call {
      args = List.copyOf(args);
    }
  }

  /** where(l cmp r, a, b): a where the comparison holds, else b. */
  record Where(Cmp cmp, Expr l, Expr r, Expr a, Expr b, int column) implements Expr {}

  /** Binary arithmetic operators. */
  enum Op {
    /** a + b. */
    ADD("+"),
    /** a − b. */
    SUB("-"),
    /** a · b. */
    MUL("*"),
    /** a / b. */
    DIV("/"),
    /** a^b. */
    POW("^");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
      return symbol;
    }
  }

  /** Comparisons (the condition of {@code where}). */
  enum Cmp {
    /** l &lt; r. */
    LT("<"),
    /** l ≤ r. */
    LE("<="),
    /** l &gt; r. */
    GT(">"),
    /** l ≥ r. */
    GE(">=");

    private final String symbol;

    Cmp(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
      return symbol;
    }

    /** l cmp r in double (false if either is NaN). */
    public boolean test(double l, double r) {
      return switch (this) {
        case LT -> l < r;
        case LE -> l <= r;
        case GT -> l > r;
        case GE -> l >= r;
      };
    }
  }

  /** The functions of the language, with their arity. */
  enum Fn {
    /** e^x. */
    EXP(1),
    /** the natural logarithm. */
    LOG(1),
    /** log(1 + x). */
    LOG1P(1),
    /** e^x − 1. */
    EXPM1(1),
    /** √x. */
    SQRT(1),
    /** tanh x. */
    TANH(1),
    /** sinh x. */
    SINH(1),
    /** cosh x. */
    COSH(1),
    /** sin x. */
    SIN(1),
    /** cos x. */
    COS(1),
    /** arctan x. */
    ATAN(1),
    /** the error function. */
    ERF(1),
    /** 1 − erf x. */
    ERFC(1),
    /** |x|. */
    ABS(1),
    /** 1/(1 + e^−x). */
    SIGMOID(1),
    /** log(1 + e^x). */
    SOFTPLUS(1),
    /** max(0, x). */
    RELU(1),
    /** 1 for x &gt; 0, else 0. */
    STEP(1),
    /** the larger of two. */
    MAX(2),
    /** the smaller of two. */
    MIN(2);

    private final int arity;

    Fn(int arity) {
      this.arity = arity;
    }

    /** Number of arguments. */
    public int arity() {
      return arity;
    }

    /** The name as written in formulas. */
    public String spelling() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
