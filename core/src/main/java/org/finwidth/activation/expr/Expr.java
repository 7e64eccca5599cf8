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
    public Call {
      args = List.copyOf(args);
    }
  }

  /** where(l cmp r, a, b): a where the comparison holds, else b. */
  record Where(Cmp cmp, Expr l, Expr r, Expr a, Expr b, int column) implements Expr {}

  /** Binary arithmetic operators. */
  enum Op {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), POW("^");

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
    LT("<"), LE("<="), GT(">"), GE(">=");

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
    EXP(1), LOG(1), LOG1P(1), EXPM1(1), SQRT(1), TANH(1), SINH(1), COSH(1), SIN(1), COS(1),
    ATAN(1), ERF(1), ERFC(1), ABS(1), SIGMOID(1), SOFTPLUS(1), RELU(1), STEP(1), MAX(2), MIN(2);

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
