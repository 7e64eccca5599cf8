package org.finwidth.activation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every activation of the catalogue with its parameters, defaults and formula (for listings and
 * help), and the spec parser behind {@link Activation#parse(String)}.
 *
 * <p>Spec grammar: {@code name[:param=value[,param=value...]]}. Names and parameter names are
 * case-insensitive; whitespace around tokens is ignored; values are decimal numbers
 * ({@code 0.5}, {@code 2}, {@code 1e-3}). Omitted parameters take their defaults.
 */
public final class Catalogue {
  private Catalogue() {}

  /**
   * A parameter of an activation.
   *
   * @param name the name as written in specs ({@code T}, {@code a}, {@code p}, {@code c}, {@code q})
   * @param defaultValue the value when the spec omits it
   * @param domain the accepted values, in words ({@code "> 0"}, {@code "integer >= 1"})
   * @param meaning what it is ({@code "temperature"})
   */
  public record Parameter(String name, double defaultValue, String domain, String meaning) {}

  /**
   * One activation of the catalogue.
   *
   * @param name the catalogue name
   * @param parameters its parameters in spec order (empty if none)
   * @param formula σ(z) in plain ASCII
   * @param description one line: what it is and where it comes from
   */
  public record Entry(String name, List<Parameter> parameters, String formula, String description) {
    /** An entry; the parameter list is copied. */
    public Entry {
      parameters = List.copyOf(parameters);
    }

    /** The activation with every parameter at its default. */
    public Activation withDefaults() {
      return Catalogue.parse(name);
    }
  }

  private record Kind(Entry entry, Function<double[], Activation> factory) {}

  private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

  private static Parameter temperature() {
    return new Parameter("T", 1, "> 0", "temperature: sigma_T(z) = T sigma_1(z/T)");
  }

  private static void add(String name, String formula, String description,
      Function<double[], Activation> factory, Parameter... params) {
    KINDS.put(name, new Kind(new Entry(name, List.of(params), formula, description), factory));
  }

  static {
    add(Linear.NAME, "z", "identity; scale-invariant class", v -> new Linear());
    add(Relu.NAME, "max(0, z)", "rectifier; scale-invariant class", v -> new Relu());
    add(Leaky.NAME, "z (z >= 0), a*z (z < 0)", "leaky rectifier; scale-invariant class",
        v -> new Leaky(v[0]), new Parameter("a", Leaky.DEFAULT_A, "in [0, 1)", "negative slope"));
    add(Tanh.NAME, "tanh(z)", "K*=0 class, a1 = -2", v -> new Tanh());
    add(Sin.NAME, "sin(z)", "K*=0 class, a1 = -1", v -> new Sin());
    add(Erf.NAME, "erf(a*z)", "K*=0 class, a1 = -2a^2", v -> new Erf(v[0]),
        new Parameter("a", Erf.DEFAULT_A, "> 0", "scale"));
    add(Sigmoid.NAME, "1/(1 + exp(-z))", "logistic; no criticality", v -> new Sigmoid());
    add(Softplus.NAME, "log(1 + exp(z))", "smooth rectifier; no criticality", v -> new Softplus());
    add(Swish.NAME, "z*sigmoid(z/T)", "controlled SWISH; half-stable class", v -> new Swish(v[0]),
        temperature());
    add(Gelu.NAME, "z*Phi(z/T), Phi the standard normal CDF", "GELU (exact erf form); half-stable",
        v -> new Gelu(v[0]), temperature());
    add(GeluTanh.NAME, "(z/2)(1 + tanh(sqrt(2/pi)(u + 0.044715u^3))), u = z/T",
        "tanh approximation of GELU; half-stable", v -> new GeluTanh(v[0]), temperature());
    add(GudermanLU.NAME, "z*(1/2 + (2/pi)atan(tanh(z/T)))", "Gudermannian gate; half-stable",
        v -> new GudermanLU(v[0]), temperature());
    add(AlgebraicLU.NAME, "(z/2)(1 + u/sqrt(1 + u^2)), u = z/T",
        "algebraic-sigmoid gate (form unconfirmed); half-stable", v -> new AlgebraicLU(v[0]),
        temperature());
    add(GumbelLU.NAME, "z*exp(-exp(-z/T))", "Gumbel-CDF gate (form unconfirmed); half-stable",
        v -> new GumbelLU(v[0]), temperature());
    add(Monomial.NAME, "z^p", "monomial; no criticality for p >= 2",
        v -> new Monomial(toInt(Monomial.NAME, "p", v[0])),
        new Parameter("p", Monomial.DEFAULT_P, "integer >= 1", "power"));
    add(Repu.NAME, "max(0, z)^p", "rectified power unit; no criticality for p >= 2",
        v -> new Repu(v[0]), new Parameter("p", Repu.DEFAULT_P, ">= 1", "power"));
    add(Mrepu.NAME, "z*max(0, z + c)^q", "modified RePU (Kim & Kang; definition unconfirmed)",
        v -> new Mrepu(v[0], v[1]), new Parameter("c", Mrepu.DEFAULT_C, "> 0", "shift"),
        new Parameter("q", Mrepu.DEFAULT_Q, ">= 1", "power"));
    add(Elu.NAME, "z (z > 0), a*(exp(z) - 1) (z <= 0)", "exponential linear unit; K*=0 class",
        v -> new Elu(v[0]), new Parameter("a", Elu.DEFAULT_A, "> 0", "negative saturation"));
    add(Selu.NAME, "lambda*z (z > 0), lambda*alpha*(exp(z) - 1) (z <= 0)",
        "scaled ELU, lambda = 1.0507009873554805, alpha = 1.6732632423543772; K*=0 class",
        v -> new Selu());
    add(Mish.NAME, "z*tanh(log(1 + exp(z)))", "Mish; half-stable", v -> new Mish());
    add(Celu.NAME, "z (z > 0), a*(exp(z/a) - 1) (z <= 0)", "continuously differentiable ELU; K*=0 class",
        v -> new Celu(v[0]), new Parameter("a", Celu.DEFAULT_A, "> 0", "scale"));
    add(Softsign.NAME, "z/(1 + |z|)", "softsign; K*=0 class", v -> new Softsign());
    add(Hardtanh.NAME, "max(-1, min(1, z))", "hard tanh; K*=0 class (approached more slowly than"
        + " any power)", v -> new Hardtanh());
    add(Hardswish.NAME, "z*min(max(z + 3, 0), 6)/6", "hard swish (MobileNetV3); half-stable",
        v -> new Hardswish());
  }

  /** Every activation, in catalogue order. */
  public static List<Entry> entries() {
    List<Entry> out = new ArrayList<>(KINDS.size());
    for (Kind k : KINDS.values()) {
      out.add(k.entry());
    }
    return List.copyOf(out);
  }

  /** The catalogue names in order: linear, relu, leaky, ... */
  public static List<String> names() {
    return List.copyOf(KINDS.keySet());
  }

  /**
   * The entry of a name (case-insensitive).
   *
   * @throws IllegalArgumentException if the name is unknown (the message lists the known names)
   */
  public static Entry entry(String name) {
    return kind(name).entry();
  }

  private static Kind kind(String name) {
    Kind k = name == null ? null : KINDS.get(name.strip().toLowerCase(Locale.ROOT));
    if (k == null) {
      throw new IllegalArgumentException(
          "unknown activation '" + shown(name) + "'; known activations: " + String.join(", ", names()));
    }
    return k;
  }

  // Decimal numbers only: Double.parseDouble would also take "1d", "0x1p3" and " 1 ".
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

  /** See {@link Activation#parse(String)}. */
  static Activation parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(
          "empty activation spec; known activations: " + String.join(", ", names()));
    }
    String s = spec.strip();
    if (s.regionMatches(true, 0, Formula.PREFIX, 0, Formula.PREFIX.length())) {
      return Formula.parse(s);
    }
    if (s.regionMatches(true, 0, UserClasses.PREFIX, 0, UserClasses.PREFIX.length())) {
      return UserClasses.load(UserClasses.PREFIX + s.substring(UserClasses.PREFIX.length()));
    }
    int colon = s.indexOf(':');
    String name = (colon < 0 ? s : s.substring(0, colon)).strip();
    Kind kind = kind(name);
    Entry entry = kind.entry();
    List<Parameter> params = entry.parameters();
    double[] values = new double[params.size()];
    boolean[] given = new boolean[params.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = params.get(i).defaultValue();
    }
    if (colon >= 0) {
      String list = s.substring(colon + 1);
      if (params.isEmpty()) {
        throw new IllegalArgumentException(
            entry.name() + ": takes no parameters, got '" + shown(list.strip()) + "'");
      }
      if (list.isBlank()) {
        throw new IllegalArgumentException(
            entry.name() + ": empty parameter list after ':' (expected e.g. " + example(entry) + ")");
      }
      for (String item : list.split(",", -1)) {
        parseParameter(entry, item.strip(), values, given);
      }
    }
    return kind.factory().apply(values);
  }

  private static void parseParameter(Entry entry, String item, double[] values, boolean[] given) {
    String act = entry.name();
    int eq = item.indexOf('=');
    if (item.isEmpty() || eq <= 0) {
      throw new IllegalArgumentException(act + ": malformed parameter '" + shown(item)
          + "' (expected name=value, e.g. " + example(entry) + ")");
    }
    String key = item.substring(0, eq).strip();
    String text = item.substring(eq + 1).strip();
    List<Parameter> params = entry.parameters();
    int index = -1;
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i).name().equalsIgnoreCase(key)) {
        index = i;
      }
    }
    if (index < 0) {
      List<String> allowed = params.stream().map(Parameter::name).toList();
      throw new IllegalArgumentException(act + ": unknown parameter '" + shown(key) + "'; allowed: "
          + String.join(", ", allowed));
    }
    String pname = params.get(index).name();
    if (given[index]) {
      throw new IllegalArgumentException(act + ": parameter " + pname + " given twice");
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException(act + ": parameter " + pname + " has no value (expected e.g. "
          + pname + "=" + Params.format(params.get(index).defaultValue()) + ")");
    }
    double v;
    if (DECIMAL.matcher(text).matches()) {
      v = Double.parseDouble(text);
      if (Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            act + ": parameter " + pname + " must be a finite number, got " + shown(text));
      }
    } else if (NON_FINITE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          act + ": parameter " + pname + " must be a finite number, got " + shown(text));
    } else {
      throw new IllegalArgumentException(
          act + ": parameter " + pname + " must be a number, got '" + shown(text) + "'");
    }
    given[index] = true;
    values[index] = v + 0.0; // −0.0 → +0.0: one spelling of the same activation
  }

  /** Longest piece of a user's text an error message quotes in full. */
  private static final int SHOWN = 60;

  /** The text, or its first {@value #SHOWN} characters and how long it is (a message stays one short line). */
  static String shown(String text) {
    if (text == null || text.length() <= SHOWN) {
      return text;
    }
    return text.substring(0, SHOWN) + "... (" + text.length() + " characters)";
  }

  private static String example(Entry entry) {
    StringBuilder sb = new StringBuilder(entry.name()).append(':');
    for (int i = 0; i < entry.parameters().size(); i++) {
      Parameter p = entry.parameters().get(i);
      sb.append(i == 0 ? "" : ",").append(p.name()).append('=').append(Params.format(p.defaultValue()));
    }
    return sb.toString();
  }

  private static int toInt(String activation, String param, double v) {
    if (!(v >= 1 && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
      throw Params.domain(activation, param, "an integer >= 1", v);
    }
    return (int) v;
  }
}
