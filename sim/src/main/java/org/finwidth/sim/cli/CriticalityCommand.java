package org.finwidth.sim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.finwidth.activation.Formula;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth criticality}: the critical initialisations (C_b, C_W, K*) and universality class
 * of an activation (docs/theory.md §3–§4), computed by {@link CriticalitySolver}; without
 * {@code --activation}, a table of the whole catalogue.
 */
@Command(
    name = "criticality",
    mixinStandardHelpOptions = true,
    description = {
      "Finds the critical initialisations (C_b, C_W, K*) of an activation: chi_par = chi_perp = 1 at a"
          + " fixed point of the kernel map; its universality class (scale-invariant, k-star-zero,"
          + " half-stable, none), a_1, the side from which the flow approaches K*, and why.",
      "Without --activation: a table of the whole catalogue."
    })
public final class CriticalityCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-a", "--activation"}, paramLabel = "SPEC",
      description = "The activation, e.g. swish:T=0.1, leaky:a=0.3, repu:p=3, mrepu:c=1,q=2.")
  String activation;

  @Option(names = "--classpath", paramLabel = "PATH",
      description = "Directories and jars (':'-separated) holding --activation class:NAME; searched"
          + " before the environment variable FINWIDTH_CP.")
  String classpath;

  @Option(names = "--json", description = "Write JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    if (activation == null) {
      List<Criticality> all = catalogue();
      if (json) {
        List<Object> list = new ArrayList<>();
        for (Criticality c : all) {
          list.add(toJson(c));
        }
        out.println(write(list));
      } else {
        CriticalityTable.run(out);
      }
    } else {
      Criticality c = CriticalitySolver.solve(UserClassPath.parseActivation(activation, classpath));
      if (json) {
        out.println(write(toJson(c)));
      } else {
        print(out, c);
      }
    }
    out.flush();
    return FinwidthCommand.EXIT_OK;
  }

  /** The criticality of every catalogue entry at its default parameters. */
  static List<Criticality> catalogue() {
    List<Criticality> all = new ArrayList<>();
    for (Catalogue.Entry e : Catalogue.entries()) {
      all.add(CriticalitySolver.solve(e.withDefaults()));
    }
    return all;
  }

  static String write(Object value) throws JsonProcessingException {
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  private static Object number(double v) {
    return Double.isFinite(v) ? v : null; // JSON has no NaN
  }

  /**
   * The JSON object of the documented schema (docs/cli.md): activation, class, critical [{cb, cw, kstar (null for
   * a line), approach}], a1, reason; then extras: each point's curvature f''(K*) and other fixed
   * points, and the evidence.
   */
  static Map<String, Object> toJson(Criticality c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activation", c.activation().spec());
    if (c.activation() instanceof Formula f) {
      m.put("formula", f.formula());
      m.put("parameters", f.parameters());
    }
    m.put("class", c.universalityClass().label());
    List<Object> points = new ArrayList<>();
    for (Criticality.CriticalPoint p : c.critical()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("cb", p.cb());
      pm.put("cw", p.cw());
      pm.put("kstar", p.kstar().isPresent() ? p.kstar().getAsDouble() : null);
      pm.put("approach", p.approach().map(a -> a.label()).orElse(null));
      pm.put("curvature", number(p.curvature()));
      List<Object> others = new ArrayList<>();
      for (Criticality.FixedPoint f : p.otherFixedPoints()) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("k", f.k());
        fm.put("chiParallel", f.chiParallel());
        others.add(fm);
      }
      pm.put("otherFixedPoints", others);
      NtkGrowth g = NtkGrowth.of(c.activation(), p);
      if (g != null) {
        pm.put("ntk", g.json());
      }
      points.add(pm);
    }
    m.put("critical", points);
    m.put("a1", number(c.a1()));
    m.put("reason", c.reason());
    Criticality.Evidence e = c.evidence();
    Map<String, Object> ev = new LinkedHashMap<>();
    List<Object> taylor = new ArrayList<>();
    for (double v : e.derivativesAtZero()) {
      taylor.add(number(v));
    }
    ev.put("sigma0to3", taylor);
    ev.put("homogeneity", e.homogeneity().isPresent() ? e.homogeneity().getAsDouble() : null);
    ev.put("scanQuantity", e.scanQuantity());
    ev.put("scanK", e.scanK());
    ev.put("scanValues", e.scanValues());
    ev.put("signPattern", e.signPattern());
    ev.put("chiRatioK", e.chiRatioK());
    ev.put("chiPerpOverChiPar", e.chiRatio());
    m.put("evidence", ev);
    return m;
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.12g", v).replaceAll("(\\.\\d*?)0+($|e)", "$1$2")
        .replace(".e", "e").replaceAll("\\.$", "");
  }

  private static void print(PrintWriter out, Criticality c) {
    out.printf("activation  %s%n", c.activation().spec());
    out.printf("class       %s%n", c.universalityClass().label());
    out.printf("a_1         %s%n", Double.isNaN(c.a1()) ? "undefined (sigma_1 is 0 or not defined)" : fmt(c.a1()));
    if (c.critical().isEmpty()) {
      out.println("critical    none");
    }
    for (Criticality.CriticalPoint p : c.critical()) {
      String k = p.kstar().isPresent() ? fmt(p.kstar().getAsDouble()) : "any (line of fixed points)";
      out.printf("critical    C_b = %s   C_W = %s   K* = %s%n", fmt(p.cb()), fmt(p.cw()), k);
      if (p.kstar().isPresent()) {
        out.printf("            approach %s   f''(K*) = %s%n",
            p.approach().map(a -> "from " + a.label()).orElse("undetermined"), fmt(p.curvature()));
      }
      for (Criticality.FixedPoint f : p.otherFixedPoints()) {
        out.printf("            other fixed point of this map: K = %s (chi_par = %s, not critical)%n",
            fmt(f.k()), fmt(f.chiParallel()));
      }
    }
    for (Criticality.CriticalPoint p : c.critical()) {
      NtkGrowth g = NtkGrowth.of(c.activation(), p);
      if (g != null) {
        out.println("NTK         " + wrap(g.text(), 12, 100));
      }
    }
    out.printf("evidence    %s over K = %s .. %s (8 per decade): %s%n", c.evidence().scanQuantity(),
        fmt(first(c.evidence().scanK())), fmt(last(c.evidence().scanK())), c.evidence().signPattern());
    out.println("reason      " + wrap(c.reason(), 12, 100));
  }

  private static double first(double[] a) {
    return a.length == 0 ? Double.NaN : a[0];
  }

  private static double last(double[] a) {
    return a.length == 0 ? Double.NaN : a[a.length - 1];
  }

  /** Wraps text at width, continuation lines indented. */
  static String wrap(String text, int indent, int width) {
    StringBuilder sb = new StringBuilder();
    int column = indent;
    for (String word : text.split(" ")) {
      if (column + word.length() + 1 > width && column > indent) {
        sb.append(System.lineSeparator()).append(" ".repeat(indent));
        column = indent;
      } else if (column > indent) {
        sb.append(' ');
        column++;
      }
      sb.append(word);
      column += word.length();
    }
    return sb.toString();
  }

  /** The catalogue table (also the main job). */
  static void printTable(PrintWriter out, List<Criticality> all) {
    out.printf("%-14s %-16s %-20s %-20s %-20s %-8s %s%n", "activation", "class", "C_b", "C_W", "K*",
        "approach", "a_1");
    for (Criticality c : all) {
      String a1 = Double.isNaN(c.a1()) ? "-" : fmt(c.a1());
      if (c.critical().isEmpty()) {
        out.printf("%-14s %-16s %-20s %-20s %-20s %-8s %s%n", c.activation().spec(),
            c.universalityClass().label(), "-", "-", "-", "-", a1);
      }
      for (Criticality.CriticalPoint p : c.critical()) {
        out.printf("%-14s %-16s %-20s %-20s %-20s %-8s %s%n", c.activation().spec(),
            c.universalityClass().label(), fmt(p.cb()), fmt(p.cw()),
            p.kstar().isPresent() ? fmt(p.kstar().getAsDouble()) : "any",
            p.approach().map(x -> x.label()).orElse("-"), a1);
      }
    }
  }

  /**
   * The mean NTK along depth at a critical point (docs/theory.md §11.2): χ_⊥ = 1 is also the NTK's
   * criticality condition; with λ_b = λ_W = 1 from K^(1) = K* (or 1 where K* is 0 or a line) the
   * mean H^(ℓ) at ℓ = 1, 10, 100, 1000 and the exponent of its power law between 100 and 1000.
   */
  record NtkGrowth(double k1, int[] layers, double[] h, double exponent) {
    static final int[] LAYERS = {1, 10, 100, 1000};

    /** The growth at a critical point, or null if the mean recursion fails there. */
    static NtkGrowth of(Activation sigma, Criticality.CriticalPoint p) {
      double k1 = p.kstar().isPresent() && p.kstar().getAsDouble() > 0 ? p.kstar().getAsDouble() : 1;
      if (k1 < p.cb()) {
        k1 = p.cb() + 1;
      }
      double[] all;
      try {
        all = org.finwidth.theory.NtkPrediction.meanSingle(sigma, p.cb(), p.cw(), k1, 1, 1, 1000);
      } catch (IllegalArgumentException | IllegalStateException e) {
        return null;
      }
      double[] h = new double[LAYERS.length];
      for (int i = 0; i < LAYERS.length; i++) {
        h[i] = all[LAYERS[i] - 1];
      }
      return new NtkGrowth(k1, LAYERS, h, Math.log(h[3] / h[2]) / Math.log(10));
    }

    String text() {
      return String.format(Locale.ROOT, "chi_perp = 1 is also the NTK's criticality condition"
          + " (H' = lambda_b + lambda_W<sigma^2> + chi_perp H, docs/theory.md section 11.2): with lambda_b = lambda_W = 1"
          + " from K^(1) = %s the mean NTK is H = %s, %s, %s, %s at layers 1, 10, 100, 1000, a power law"
          + " H ~ l^%.3f (off criticality it would decay to a constant or grow exponentially)",
          fmt(k1), fmt4(h[0]), fmt4(h[1]), fmt4(h[2]), fmt4(h[3]), exponent);
    }

    private static String fmt4(double v) {
      return String.format(Locale.ROOT, "%.6g", v);
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("k1", k1);
      m.put("lambdaB", 1.0);
      m.put("lambdaW", 1.0);
      m.put("layers", layers);
      m.put("H", h);
      m.put("exponent", number(exponent));
      return m;
    }
  }
}
