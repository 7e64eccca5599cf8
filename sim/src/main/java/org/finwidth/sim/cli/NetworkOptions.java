package org.finwidth.sim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import picocli.CommandLine.Option;

/**
 * The network flags shared by every command that describes one network ({@code theory},
 * {@code simulate}, ...), as a picocli mixin ({@code @Mixin NetworkOptions network;}) that produces
 * a {@link NetworkSpec}:
 *
 * <pre>
 *   --activation SPEC --cb X --cw Y --depth L (--width N | --widths n1,...,nL) [--input-dim N0]
 *   (--gram "g11,g12,...;g12,g22,...;..." | --inputs "x1,...;y1,...;..."
 *     | --gram-file FILE | --inputs-file FILE)
 * </pre>
 *
 * Any number d of inputs. Matrices are rows separated by {@code ;}, entries by {@code ,}; the files
 * are CSV, one row per line ({@link MatrixFile}). Duplicate inputs are allowed. With {@code --gram} the input
 * dimension defaults to the number of inputs d (the law of the network depends on the inputs only
 * through their Gram matrix); with {@code --inputs} it is the vectors' length. Every inconsistency
 * is an {@link IllegalArgumentException} naming the flag and value (one line, exit code 2).
 */
public final class NetworkOptions {
  @Option(names = {"-a", "--activation"}, required = true, paramLabel = "SPEC",
      description = "Activation, e.g. relu, tanh, leaky:a=0.1, swish:T=0.5, repu:p=2 (see 'finwidth"
          + " activations'), a formula 'expr:z*tanh(softplus(z))' or a class of yours"
          + " class:com.example.Mish (docs/cli.md).")
  String activation;

  @Option(names = "--classpath", paramLabel = "PATH",
      description = "Directories and jars (':'-separated) holding --activation class:NAME; searched"
          + " before the environment variable FINWIDTH_CP.")
  String classpath;

  @Option(names = "--cb", required = true, paramLabel = "X", description = "Bias variance C_b >= 0.")
  double cb;

  @Option(names = "--cw", required = true, paramLabel = "Y",
      description = "Weight variance scale C_W > 0 (a weight's variance is C_W / fan-in).")
  double cw;

  @Option(names = {"-L", "--depth"}, required = true, paramLabel = "L", description = "Number of layers L >= 1.")
  int depth;

  @Option(names = {"-n", "--width"}, paramLabel = "N", description = "Equal widths n_1 = ... = n_L = N.")
  Integer width;

  @Option(names = "--widths", paramLabel = "n1,...,nL", description = "The L widths n_1..n_L.")
  String widths;

  @Option(names = "--input-dim", paramLabel = "N0",
      description = "Input dimension n_0 (default: the number of inputs d with --gram; the vectors' length with --inputs).")
  Integer inputDim;

  @Option(names = "--gram", paramLabel = "MATRIX",
      description = "Gram matrix (1/n_0) x_a.x_b of the d inputs, rows separated by ';': \"g11\", \"g11,g12;g12,g22\", ... (symmetric, PSD).")
  String gram;

  @Option(names = "--inputs", paramLabel = "VECTORS",
      description = "Explicit input vectors, one per ';': \"x1,x2,...;y1,y2,...;...\".")
  String inputs;

  @Option(names = "--gram-file", paramLabel = "FILE",
      description = "The Gram matrix from a CSV file: d rows of d values (symmetric, PSD; '#' lines are comments).")
  Path gramFile;

  @Option(names = "--inputs-file", paramLabel = "FILE",
      description = "The input vectors from a CSV file: one input per row, n_0 values each ('#' lines are comments).")
  Path inputsFile;

  /**
   * Refuses an output file that is also one of the input files (compared by file identity).
   *
   * @throws IllegalArgumentException "the output FILE is also an input (INPUT); ..."
   */
  void checkNotAnInput(Path output) {
    for (Path in : new Path[] {gramFile, inputsFile}) {
      if (output != null && in != null && org.finwidth.sim.state.OutputFiles.sameFile(in, output)) {
        throw new IllegalArgumentException("the output " + output + " is also an input" + (in.equals(output) ? ""
            : " (" + in + ")") + "; write it to another file");
      }
    }
  }

  /**
   * The network these flags describe.
   *
   * @throws IllegalArgumentException naming the flag and value for any bad or inconsistent input
   */
  public NetworkSpec toSpec() {
    Activation act = UserClassPath.parseActivation(activation, classpath);
    if (depth < 1) {
      throw new IllegalArgumentException("--depth must be >= 1, got " + depth);
    }
    int[] w;
    if ((width == null) == (widths == null)) {
      throw new IllegalArgumentException("give exactly one of --width N or --widths n1,...,nL");
    }
    if (width != null) {
      if (width < 1) {
        throw new IllegalArgumentException("--width must be >= 1, got " + width);
      }
      w = NetworkSpec.equalWidths(depth, width);
    } else {
      double[] parsed = parseVector("--widths", widths);
      if (parsed.length != depth) {
        throw new IllegalArgumentException("--widths has " + parsed.length + " entries but --depth is " + depth);
      }
      w = new int[depth];
      for (int l = 0; l < depth; l++) {
        double x = parsed[l];
        if (!(x >= 1) || x != Math.rint(x) || x > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("--widths entry " + (l + 1) + " must be an integer >= 1, got " + number(x));
        }
        w[l] = (int) x;
      }
    }
    int given = (gram == null ? 0 : 1) + (inputs == null ? 0 : 1) + (gramFile == null ? 0 : 1)
        + (inputsFile == null ? 0 : 1);
    if (given != 1) {
      throw new IllegalArgumentException("give exactly one of --gram MATRIX, --inputs VECTORS, --gram-file FILE"
          + " or --inputs-file FILE");
    }
    if (gram != null || gramFile != null) {
      double[][] g;
      if (gram != null) {
        g = parseMatrix("--gram", gram);
        for (int a = 0; a < g.length; a++) {
          if (g[a].length != g.length) {
            throw new IllegalArgumentException("--gram must be a square matrix: row " + (a + 1) + " has " + g[a].length
                + " entries for " + g.length + " rows ('" + gram + "')");
          }
        }
      } else {
        g = MatrixFile.readGram("--gram-file", gramFile);
      }
      int n0 = inputDim == null ? g.length : inputDim;
      if (n0 < 1) {
        throw new IllegalArgumentException("--input-dim must be >= 1, got " + n0);
      }
      if (gramFile == null) {
        return NetworkSpec.ofGram(act, cb, cw, n0, w, g);
      }
      try {
        return NetworkSpec.ofGram(act, cb, cw, n0, w, g);
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        throw new IllegalArgumentException(m.startsWith("the Gram matrix") ? "--gram-file " + gramFile + ": "
            + m.replaceFirst(": \\[\\[.*$", "") : m);
      }
    }
    String flag = inputs != null ? "--inputs" : "--inputs-file";
    double[][] x = inputs != null ? parseMatrix("--inputs", inputs) : MatrixFile.read("--inputs-file", inputsFile);
    if (inputDim != null && inputDim != x[0].length) {
      throw new IllegalArgumentException("--input-dim " + inputDim + " disagrees with the " + x[0].length
          + " components of " + flag);
    }
    return NetworkSpec.ofInputs(act, cb, cw, w, x);
  }

  private static double[][] parseMatrix(String flag, String text) {
    String[] rows = text.split(";", -1);
    double[][] m = new double[rows.length][];
    for (int a = 0; a < rows.length; a++) {
      m[a] = parseVector(flag, rows[a]);
    }
    return m;
  }

  private static double[] parseVector(String flag, String text) {
    String[] parts = text.split(",", -1);
    double[] v = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      try {
        v[i] = Double.parseDouble(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": '" + p + "' is not a number (in '" + text + "')");
      }
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(flag + ": entries must be finite, got '" + p + "'");
      }
    }
    return v;
  }

  private static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }

  /**
   * The JSON object of a network ({@code "spec"} in the output of {@code theory} and
   * {@code simulate}): activation (canonical spec), cb, cw, inputDim, depth, widths, gram, and
   * inputs when given explicitly.
   */
  public static Map<String, Object> specJson(NetworkSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activation", spec.activation().spec());
    m.put("cb", spec.cb());
    m.put("cw", spec.cw());
    m.put("inputDim", spec.inputDim());
    m.put("depth", spec.depth());
    List<Integer> w = new ArrayList<>();
    for (int n : spec.widths()) {
      w.add(n);
    }
    m.put("widths", w);
    m.put("gram", spec.gram());
    m.put("gramId", TidyCsv.gramId(spec.gram()));
    if (spec.hasExplicitInputs()) {
      m.put("inputs", spec.inputs());
    }
    return m;
  }
}
