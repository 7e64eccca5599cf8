package org.finwidth.activation.expr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser for activation formulas, the text after {@code expr:}. Grammar
 * (whitespace between tokens is ignored):
 * <pre>
 *   formula    = sum { ";" name "=" number }             parameters, each after a semicolon
 *   condition  = sum ( "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) sum       only as where's first argument
 *   sum        = product { ( "+" | "-" ) product }
 *   product    = unary { ( "*" | "/" ) unary }
 *   unary      = ( "-" | "+" ) unary | power
 *   power      = primary [ "^" unary ]                   right-associative; -z^2 = -(z^2), 2^-z allowed
 *   primary    = number | "z" | "pi" | name | function "(" args ")" | "(" sum ")"
 *   number     = digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ]   (or "." digits ...)
 *   name       = letter { letter | digit | "_" }          a parameter defined after ';'
 * </pre>
 * Functions: exp, log, log1p, expm1, sqrt, tanh, sinh, cosh, sin, cos, atan, erf, erfc, abs,
 * sigmoid, softplus, relu, step (one argument), max, min (two), where(condition, a, b). Names are
 * case-sensitive; parameter names must not be z, pi or a function name, each is defined once and
 * used at least once, and its value is a finite decimal number with an optional sign.
 *
 * <p>Every error is one {@link IllegalArgumentException} line {@code expr: WHAT at column N},
 * N counted from 1 at the first character after {@code expr:}, e.g.
 * {@code expr: unknown function 'tnah' at column 3} for {@code expr:z*tnah(z)}.
 *
 * <p>Why a hand-written parser: the language is a dozen productions; a generator (ANTLR, JavaCC)
 * would add a build step and a runtime dependency for less code than it generates, and no small,
 * maintained expression library offers the column-exact one-line errors, the restricted grammar
 * (comparisons only inside where) and the tree the differentiator and the vector compiler need.
 */
public final class FormulaParser {

  /** What {@link #parse} returns. */
  public record Parsed(Expr tree, Map<String, Double> parameters) {
    /** A parse result; the parameters are copied into an unmodifiable map. */
    public Parsed {
      parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
  }

  private enum Kind { NUMBER, NAME, OP, END }

  private record Token(Kind kind, String text, int column) {}

  private static final Pattern NUMBER =
      Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NUMBER_START = Pattern.compile("\\d+\\.?\\d*[eE][+-]?|\\.\\d*[eE][+-]?");
  private static final Map<String, Expr.Fn> FUNCTIONS = new LinkedHashMap<>();

  static {
    for (Expr.Fn f : Expr.Fn.values()) {
      FUNCTIONS.put(f.spelling(), f);
    }
  }

  /** Names that cannot be parameters. */
  private static final Set<String> RESERVED = Set.of("z", "pi", "where");

  private final String text;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private Map<String, Double> params = Map.of();
  private final Map<String, Integer> paramColumns = new LinkedHashMap<>();
  private final java.util.Set<String> used = new java.util.HashSet<>();

  private FormulaParser(String text) {
    this.text = text;
  }

  /**
   * Parses the text after {@code expr:}.
   *
   * @param body the formula and its parameters, e.g. {@code z/(1+exp(-z/T));T=0.5}
   * @return the tree (parameters substituted as constants) and the parameters in their order
   * @throws IllegalArgumentException one line {@code expr: ... at column N} for any error
   */
  public static Parsed parse(String body) {
    if (body == null || body.isBlank()) {
      throw new IllegalArgumentException("expr: empty formula (expected e.g. expr:z*tanh(z))");
    }
    FormulaParser p = new FormulaParser(body);
    p.lex();
    return p.formula();
  }

  private static IllegalArgumentException error(String what, int column) {
    return new IllegalArgumentException("expr: " + what + " at column " + column);
  }

  private void lex() {
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int col = i + 1;
      if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1)))) {
        Matcher m = NUMBER.matcher(text).region(i, n);
        m.lookingAt();
        int end = m.end();
        Matcher bad = NUMBER_START.matcher(text).region(i, n);
        if (bad.lookingAt() && bad.end() > end) {
          throw error("malformed number '" + text.substring(i, bad.end()) + "'", col);
        }
        tokens.add(new Token(Kind.NUMBER, text.substring(i, end), col));
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
          j++;
        }
        tokens.add(new Token(Kind.NAME, text.substring(i, j), col));
        i = j;
      } else if ((c == '<' || c == '>') && i + 1 < n && text.charAt(i + 1) == '=') {
        tokens.add(new Token(Kind.OP, c + "=", col));
        i += 2;
      } else if ("+-*/^(),;=<>".indexOf(c) >= 0) {
        tokens.add(new Token(Kind.OP, String.valueOf(c), col));
        i++;
      } else {
        throw error("unexpected character '" + c + "'", col);
      }
    }
    tokens.add(new Token(Kind.END, "", n + 1));
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private boolean at(String op) {
    Token t = peek();
    return t.kind() == Kind.OP && t.text().equals(op);
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private static String describe(Token t) {
    return t.kind() == Kind.END ? "end of formula" : "'" + t.text() + "'";
  }

  private Parsed formula() {
    // Parameters first (they follow the first top-level ';'), so that names resolve while parsing.
    int semi = -1;
    for (int k = 0; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.kind() == Kind.OP && t.text().equals(";")) {
        semi = k;
        break;
      }
    }
    Map<String, Double> parsedParams = new LinkedHashMap<>();
    if (semi >= 0) {
      pos = semi;
      while (at(";")) {
        next();
        parameter(parsedParams);
      }
      if (peek().kind() != Kind.END) {
        throw error("unexpected " + describe(peek()) + " after parameter (parameters are separated by ';')",
            peek().column());
      }
      tokens.set(semi, new Token(Kind.END, "", tokens.get(semi).column()));
    }
    params = parsedParams;
    pos = 0;
    if (peek().kind() == Kind.END) {
      throw error("empty formula before ';'", peek().column());
    }
    Expr tree = sum();
    Token t = peek();
    if (t.kind() != Kind.END) {
      if (t.kind() == Kind.OP && t.text().equals(")")) {
        throw error("unmatched ')'", t.column());
      }
      if (t.kind() == Kind.OP && (t.text().startsWith("<") || t.text().startsWith(">"))) {
        throw error("comparison '" + t.text() + "' outside where(condition, a, b)", t.column());
      }
      throw error("unexpected " + describe(t) + " (expected an operator or the end)", t.column());
    }
    for (Map.Entry<String, Integer> e : paramColumns.entrySet()) {
      if (!used.contains(e.getKey())) {
        throw error("parameter '" + e.getKey() + "' is not used in the formula", e.getValue());
      }
    }
    return new Parsed(tree, parsedParams);
  }

  private void parameter(Map<String, Double> out) {
    Token name = next();
    if (name.kind() != Kind.NAME) {
      throw error("expected a parameter name after ';', got " + describe(name), name.column());
    }
    String key = name.text();
    if (RESERVED.contains(key) || FUNCTIONS.containsKey(key)) {
      throw error("'" + key + "' cannot be a parameter name (reserved)", name.column());
    }
    if (out.containsKey(key)) {
      throw error("parameter '" + key + "' given twice", name.column());
    }
    Token eq = next();
    if (!(eq.kind() == Kind.OP && eq.text().equals("="))) {
      throw error("expected '=' after parameter '" + key + "', got " + describe(eq), eq.column());
    }
    boolean negative = false;
    Token v = next();
    if (v.kind() == Kind.OP && (v.text().equals("-") || v.text().equals("+"))) {
      negative = v.text().equals("-");
      v = next();
    }
    if (v.kind() != Kind.NUMBER) {
      throw error("parameter '" + key + "' needs a number, got " + describe(v), v.column());
    }
    double value = Double.parseDouble(v.text());
    if (Double.isInfinite(value)) {
      throw error("parameter '" + key + "' must be a finite number, got " + v.text(), v.column());
    }
    out.put(key, negative ? -value : value);
    paramColumns.put(key, name.column());
  }

  private Expr sum() {
    Expr left = product();
    while (at("+") || at("-")) {
      Token op = next();
      Expr right = product();
      left = new Expr.Binary(op.text().equals("+") ? Expr.Op.ADD : Expr.Op.SUB, left, right,
          left.column());
    }
    return left;
  }

  private Expr product() {
    Expr left = unary();
    while (at("*") || at("/")) {
      Token op = next();
      Expr right = unary();
      left = new Expr.Binary(op.text().equals("*") ? Expr.Op.MUL : Expr.Op.DIV, left, right,
          left.column());
    }
    return left;
  }

  private Expr unary() {
    if (at("-")) {
      Token op = next();
      return new Expr.Neg(unary(), op.column());
    }
    if (at("+")) {
      next();
      return unary();
    }
    return power();
  }

  private Expr power() {
    Expr base = primary();
    if (at("^")) {
      next();
      Expr exponent = unary();
      return new Expr.Binary(Expr.Op.POW, base, exponent, base.column());
    }
    return base;
  }

  private Expr primary() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER -> {
        double v = Double.parseDouble(t.text());
        if (Double.isInfinite(v)) {
          throw error("number " + t.text() + " is too large", t.column());
        }
        return new Expr.Const(v, t.column());
      }
      case NAME -> {
        return name(t);
      }
      case OP -> {
        if (t.text().equals("(")) {
          Expr inner = sum();
          expect(")", "missing ')' for the '(' at column " + t.column());
          return inner;
        }
        if (t.text().equals(")")) {
          throw error("unexpected ')' (expected a number, z, a parameter or a function)", t.column());
        }
        throw error("unexpected '" + t.text() + "' (expected a number, z, a parameter or a function)",
            t.column());
      }
      default -> throw error("unexpected end of formula (expected a number, z, a parameter or a"
          + " function)", t.column());
    }
  }

  private void expect(String op, String message) {
    Token t = peek();
    if (!(t.kind() == Kind.OP && t.text().equals(op))) {
      throw error(message + ", got " + describe(t), t.column());
    }
    next();
  }

  private Expr name(Token t) {
    String name = t.text();
    boolean call = at("(");
    if (name.equals("where")) {
      if (!call) {
        throw error("where needs arguments: where(condition, a, b)", t.column());
      }
      return where(t);
    }
    Expr.Fn fn = FUNCTIONS.get(name);
    if (call) {
      if (fn == null) {
        if (name.equals("z") || name.equals("pi") || params.containsKey(name)) {
          throw error("'" + name + "' is not a function (implicit multiplication is not supported:"
              + " write " + name + "*(...))", t.column());
        }
        String hint = FUNCTIONS.containsKey(name.toLowerCase(Locale.ROOT))
            ? " (names are case-sensitive: " + name.toLowerCase(Locale.ROOT) + ")" : "";
        throw error("unknown function '" + name + "'" + hint, t.column());
      }
      next();
      List<Expr> args = arguments(t);
      if (args.size() != fn.arity()) {
        throw error("function '" + name + "' takes " + fn.arity() + " argument"
            + (fn.arity() == 1 ? "" : "s") + ", got " + args.size(), t.column());
      }
      return new Expr.Call(fn, args, t.column());
    }
    if (fn != null) {
      throw error("function '" + name + "' needs its argument in parentheses: " + name + "(...)",
          t.column());
    }
    if (name.equals("z")) {
      return new Expr.Var(t.column());
    }
    if (name.equals("pi")) {
      return new Expr.Const(Math.PI, t.column());
    }
    Double v = params.get(name);
    if (v == null) {
      throw error("unknown name '" + name + "' (the variable is z; parameters are defined after"
          + " ';', e.g. ;" + name + "=1)", t.column());
    }
    used.add(name);
    return new Expr.Const(v, t.column());
  }

  private List<Expr> arguments(Token fn) {
    List<Expr> args = new ArrayList<>();
    if (at(")")) {
      next();
      return args;
    }
    while (true) {
      args.add(sum());
      if (at(",")) {
        next();
        continue;
      }
      expect(")", "missing ')' to close " + fn.text() + "( at column " + fn.column());
      return args;
    }
  }

  private Expr where(Token t) {
    next(); // (
    Expr l = sum();
    Token op = peek();
    Expr.Cmp cmp = switch (op.kind() == Kind.OP ? op.text() : "") {
      case "<" -> Expr.Cmp.LT;
      case "<=" -> Expr.Cmp.LE;
      case ">" -> Expr.Cmp.GT;
      case ">=" -> Expr.Cmp.GE;
      default -> throw error("where's first argument must be a comparison (<, <=, >, >=), got "
          + describe(op), op.column());
    };
    next();
    Expr r = sum();
    expect(",", "expected ',' after where's condition");
    Expr a = sum();
    expect(",", "expected ',' and a third argument: where(condition, a, b)");
    Expr b = sum();
    expect(")", "missing ')' to close where( at column " + t.column());
    return new Expr.Where(cmp, l, r, a, b, t.column());
  }
}
