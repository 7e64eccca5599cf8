package org.finwidth.sim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.finwidth.activation.CustomActivation;
import org.finwidth.activation.Formula;
import org.finwidth.gauss.ActivationAverages;
import org.finwidth.gauss.GaussianExpectation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth activations}: the activation catalogue (name, parameters with defaults,
 * formula), or one activation's data with {@code --activation SPEC}: its Taylor data at 0
 * (docs/theory.md §1.3), a_1, kinks, homogeneity and Gaussian averages at a variance K.
 */
@Command(
    name = "activations",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the activation catalogue, or shows one activation's data.",
      "Specs: NAME[:PARAM=VALUE[,PARAM=VALUE]], e.g. relu, leaky:a=0.1, swish:T=0.5, repu:p=2,"
          + " mrepu:c=1,q=2 (names case-insensitive; omitted parameters take their defaults)."
    })
public final class ActivationsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-a", "--activation"}, paramLabel = "SPEC",
      description = "Show this activation: sigma_0..sigma_3 (derivatives at 0), a_1, kinks,"
          + " homogeneity and Gaussian averages at variance K.")
  String activation;

  @Option(names = {"-K", "--variance"}, paramLabel = "K", defaultValue = "1",
      description = "Variance K > 0 of the Gaussian averages shown with --activation (default: ${DEFAULT-VALUE}).")
  double variance;

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
      if (json) {
        out.println(toJson(catalogueJson()));
      } else {
        printCatalogue(out);
      }
    } else {
      if (!(variance > 0) || Double.isInfinite(variance)) {
        throw new IllegalArgumentException("--variance must be a finite number > 0, got " + number(variance));
      }
      Activation a = UserClassPath.parseActivation(activation, classpath);
      Map<String, Object> data = activationJson(a, variance);
      if (json) {
        out.println(toJson(data));
      } else {
        printActivation(out, a, data);
      }
    }
    out.flush();
    return FinwidthCommand.EXIT_OK;
  }

  private static String toJson(Object value) throws JsonProcessingException {
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  /** The parameters of an entry as "T=1 (> 0)" pieces, or "-". */
  static String parameterSummary(Catalogue.Entry e) {
    if (e.parameters().isEmpty()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    for (Catalogue.Parameter p : e.parameters()) {
      parts.add(p.name() + "=" + number(p.defaultValue()) + " (" + p.domain() + ")");
    }
    return String.join(", ", parts);
  }

  private static void printCatalogue(PrintWriter out) {
    out.printf("%-12s %-28s %s%n", "name", "parameters (default, domain)", "formula");
    for (Catalogue.Entry e : Catalogue.entries()) {
      out.printf("%-12s %-28s %s%n", e.name(), parameterSummary(e), e.formula());
    }
    out.println();
    out.println("Show one: finwidth activations --activation SPEC   (e.g. swish:T=0.5)");
  }

  private static List<Object> catalogueJson() {
    List<Object> list = new ArrayList<>();
    for (Catalogue.Entry e : Catalogue.entries()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.name());
      List<Object> params = new ArrayList<>();
      for (Catalogue.Parameter p : e.parameters()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("name", p.name());
        pm.put("default", p.defaultValue());
        pm.put("domain", p.domain());
        pm.put("meaning", p.meaning());
        params.add(pm);
      }
      m.put("parameters", params);
      m.put("formula", e.formula());
      m.put("description", e.description());
      list.add(m);
    }
    return list;
  }

  /** a_1 = σ_3/σ_1 + (3/4)(σ_2/σ_1)² (docs/theory.md §4.2), NaN where σ_1 is 0 or undefined. */
  static double a1(double[] s) {
    if (!(s[1] != 0) || Double.isNaN(s[2]) || Double.isNaN(s[3])) {
      return Double.NaN;
    }
    double r = s[2] / s[1];
    return s[3] / s[1] + 0.75 * r * r;
  }

  /** {formula, description, parameters} of a catalogue entry, a formula or a user class. */
  private static String[] describe(Activation a) {
    if (a instanceof Formula f) {
      List<String> ps = new ArrayList<>();
      f.parameters().forEach((name, v) -> ps.add(name + "=" + number(v)));
      return new String[] {f.formula(), "formula (expr:, docs/cli.md)",
          ps.isEmpty() ? "-" : String.join(", ", ps)};
    }
    if (a instanceof CustomActivation) {
      return new String[] {"class " + a.getClass().getName(), "user class (class:, docs/cli.md)", "-"};
    }
    Catalogue.Entry e = Catalogue.entry(a.name());
    return new String[] {e.formula(), e.description(), parameterSummary(e)};
  }

  private static Map<String, Object> activationJson(Activation a, double k) {
    String[] d = describe(a);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", a.spec());
    m.put("formula", d[0]);
    m.put("description", d[1]);
    double[] s = a.derivativesAtZero();
    List<Object> sigma = new ArrayList<>();
    for (double v : s) {
      sigma.add(jsonNumber(v));
    }
    m.put("sigma0to3", sigma);
    m.put("a1", jsonNumber(a1(s)));
    List<Object> kinks = new ArrayList<>();
    for (double v : a.kinks()) {
      kinks.add(v);
    }
    m.put("kinks", kinks);
    m.put("homogeneity", a.homogeneity().isPresent() ? a.homogeneity().getAsDouble() : null);
    ActivationAverages.Single avg = ActivationAverages.single(new GaussianExpectation(), a, k);
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("K", k);
    g.put("sigma2", avg.sigma2());
    g.put("sigma4", avg.sigma4());
    g.put("chiParallelPerCW", avg.chiParallel());
    g.put("chiPerpPerCW", avg.chiPerp());
    g.put("sigmaSigmaSecond", avg.sigmaSigma2());
    m.put("gaussian", g);
    return m;
  }

  private static Object jsonNumber(double v) {
    return Double.isFinite(v) ? v : null; // JSON has no NaN
  }

  private static void printActivation(PrintWriter out, Activation a, Map<String, Object> data) {
    String[] d = describe(a);
    double[] s = a.derivativesAtZero();
    out.printf("%s: sigma(z) = %s%n", a.spec(), d[0]);
    out.printf("  %s%n", d[1]);
    out.printf("  parameters     %s%n", d[2]);
    out.printf("  sigma_0..3     %s  %s  %s  %s   (p-th derivatives at 0; NaN: not differentiable)%n",
        number(s[0]), number(s[1]), number(s[2]), number(s[3]));
    double a1 = a1(s);
    out.printf("  a_1            %s%n",
        Double.isNaN(a1) ? "undefined (sigma_1 is 0 or not defined)" : number(a1));
    double[] kinks = a.kinks();
    StringBuilder ks = new StringBuilder();
    for (double k : kinks) {
      ks.append(ks.isEmpty() ? "" : ", ").append(number(k));
    }
    out.printf("  kinks          %s%n", kinks.length == 0 ? "none (analytic)" : ks);
    out.printf("  homogeneity    %s%n",
        a.homogeneity().isPresent() ? "degree " + number(a.homogeneity().getAsDouble()) : "none");
    @SuppressWarnings("unchecked") // built above as Map<String, Object>
    Map<String, Object> g = (Map<String, Object>) data.get("gaussian");
    out.printf("  Gaussian averages at K = %s (adaptive quadrature, 1e-13 of <|f|>):%n", number((double) g.get("K")));
    out.printf("    <sigma^2>            %.15g%n", (double) g.get("sigma2"));
    out.printf("    <sigma^4>            %.15g%n", (double) g.get("sigma4"));
    out.printf("    chi_par / C_W        %.15g%n", (double) g.get("chiParallelPerCW"));
    out.printf("    chi_perp / C_W       %.15g%n", (double) g.get("chiPerpPerCW"));
    out.printf("    <sigma sigma''>      %.15g%n", (double) g.get("sigmaSigmaSecond"));
  }

  /** Shortest round-tripping form of a double ("2", "0.5", "NaN"). */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
