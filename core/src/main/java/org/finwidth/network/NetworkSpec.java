package org.finwidth.network;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.finwidth.activation.Activation;

/**
 * One fully specified random multilayer perceptron at initialisation, the object that theory and
 * Monte Carlo both read (docs/design.md invariant 5). Conventions of docs/theory.md §1.1:
 *
 * <pre>
 *   z^(1)_{i;α}   = b^(1)_i + Σ_{j&lt;n_0} W^(1)_{ij} x_{j;α}
 *   z^(ℓ+1)_{i;α} = b^(ℓ+1)_i + Σ_{j&lt;n_ℓ} W^(ℓ+1)_{ij} σ(z^(ℓ)_{j;α})
 *   b ~ N(0, C_b),  W^(ℓ)_{ij} ~ N(0, C_W / n_{ℓ−1})
 * </pre>
 *
 * <p>Layers are numbered {@code 1..L}; {@link #width(int) width(ℓ)} is {@code n_ℓ} and
 * {@code width(0)} is the input dimension {@code n_0}. The {@code d} inputs are described by their
 * Gram matrix {@code (1/n_0) x_α·x_β}, and optionally by explicit vectors; when only the Gram matrix
 * is given, {@link #inputs()} synthesises vectors with exactly that Gram matrix (a scaled Cholesky
 * factor padded with zeros), which is all a sampler needs: the law of the network depends on the
 * inputs only through their Gram matrix.
 *
 * <p>Instances are immutable; accessors return copies of arrays.
 */
public final class NetworkSpec {
  /** Relative tolerance for the symmetry and positive semi-definiteness checks of the Gram matrix. */
  private static final double GRAM_TOLERANCE = 1e-12;

  private final Activation activation;
  private final double cb;
  private final double cw;
  private final int inputDim;
  private final int[] widths;
  private final double[][] gram;
  private final double[][] inputs; // null when given by the Gram matrix only

  private NetworkSpec(Activation activation, double cb, double cw, int inputDim, int[] widths,
      double[][] gram, double[][] inputs) {
    this.activation = Objects.requireNonNull(activation, "activation");
    if (!(cb >= 0) || Double.isInfinite(cb)) {
      throw new IllegalArgumentException("C_b must be a finite number >= 0, got cb=" + cb);
    }
    if (!(cw > 0) || Double.isInfinite(cw)) {
      throw new IllegalArgumentException("C_W must be a finite number > 0, got cw=" + cw);
    }
    if (inputDim < 1) {
      throw new IllegalArgumentException("the input dimension n_0 must be >= 1, got input-dim=" + inputDim);
    }
    if (widths.length < 1) {
      throw new IllegalArgumentException("the depth L must be >= 1, got depth=" + widths.length);
    }
    for (int l = 0; l < widths.length; l++) {
      if (widths[l] < 1) {
        throw new IllegalArgumentException(
            "every width must be >= 1, got n_" + (l + 1) + "=" + widths[l]);
      }
    }
    this.cb = cb + 0.0; // −0.0 + 0.0 = +0.0: −0.0 is the same network as 0 (and prints, compares, merges as 0)
    this.cw = cw;
    this.inputDim = inputDim;
    this.widths = widths.clone();
    this.gram = checkGram(gram);
    if (inputs != null && inputs.length != gram.length) {
      throw new IllegalArgumentException("internal: inputs and Gram matrix disagree on d");
    }
    this.inputs = inputs == null ? null : deepCopy(inputs);
  }

  /**
   * A network whose inputs are given by their Gram matrix {@code (1/n_0) x_α·x_β} (d×d,
   * symmetric, positive semi-definite, finite).
   *
   * @throws IllegalArgumentException naming the offending field and value
   */
  public static NetworkSpec ofGram(Activation activation, double cb, double cw, int inputDim,
      int[] widths, double[][] gram) {
    Objects.requireNonNull(gram, "gram");
    if (inputDim >= 1 && gram.length > inputDim) {
      throw new IllegalArgumentException("d = " + gram.length + " inputs need input-dim >= d to be realised as vectors, got input-dim=" + inputDim);
    }
    return new NetworkSpec(activation, cb, cw, inputDim, widths, gram, null);
  }

  /**
   * A network fed with explicit input vectors {@code inputs[α][j]}, {@code α < d}, {@code j < n_0};
   * the input dimension is their common length.
   *
   * @throws IllegalArgumentException if the vectors are empty, ragged or not finite
   */
  public static NetworkSpec ofInputs(Activation activation, double cb, double cw, int[] widths,
      double[][] inputs) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.length < 1) {
      throw new IllegalArgumentException("at least one input vector is needed");
    }
    int n0 = inputs[0].length;
    double[][] g = new double[inputs.length][inputs.length];
    for (int a = 0; a < inputs.length; a++) {
      if (inputs[a].length != n0) {
        throw new IllegalArgumentException("all inputs must have the same dimension: input 1 has "
            + n0 + " components, input " + (a + 1) + " has " + inputs[a].length);
      }
      for (int j = 0; j < n0; j++) {
        if (!Double.isFinite(inputs[a][j])) {
          throw new IllegalArgumentException("input " + (a + 1) + " component " + (j + 1) + " is not finite: " + inputs[a][j]);
        }
      }
    }
    for (int a = 0; a < inputs.length; a++) {
      for (int b = 0; b <= a; b++) {
        double s = 0;
        for (int j = 0; j < n0; j++) {
          s += inputs[a][j] * inputs[b][j];
        }
        g[a][b] = g[b][a] = s / n0;
      }
    }
    return new NetworkSpec(activation, cb, cw, n0, widths, g, inputs);
  }

  /** Equal hidden widths: {@code n_1 = … = n_L = width}. */
  public static int[] equalWidths(int depth, int width) {
    if (depth < 1) {
      throw new IllegalArgumentException("the depth L must be >= 1, got depth=" + depth);
    }
    int[] w = new int[depth];
    Arrays.fill(w, width);
    return w;
  }

  private static double[][] checkGram(double[][] g) {
    int d = g.length;
    if (d < 1) {
      throw new IllegalArgumentException("the Gram matrix must be at least 1x1");
    }
    double[][] c = new double[d][];
    for (int a = 0; a < d; a++) {
      if (g[a] == null || g[a].length != d) {
        throw new IllegalArgumentException("the Gram matrix must be square, row " + (a + 1) + " has "
            + (g[a] == null ? 0 : g[a].length) + " entries for d=" + d);
      }
      c[a] = g[a].clone();
      for (int b = 0; b < d; b++) {
        c[a][b] += 0.0; // −0.0 → +0.0
        if (!Double.isFinite(g[a][b])) {
          throw new IllegalArgumentException("Gram matrix entry (" + (a + 1) + "," + (b + 1) + ") is not finite: " + g[a][b]);
        }
      }
    }
    for (int a = 0; a < d; a++) {
      if (!(c[a][a] >= 0)) {
        throw new IllegalArgumentException("Gram matrix diagonal entry (" + (a + 1) + "," + (a + 1) + ") must be >= 0, got " + c[a][a]);
      }
      for (int b = 0; b < a; b++) {
        double scale = Math.max(Math.abs(c[a][b]), Math.abs(c[b][a]));
        if (Math.abs(c[a][b] - c[b][a]) > GRAM_TOLERANCE * Math.max(scale, Double.MIN_NORMAL)) {
          throw new IllegalArgumentException("the Gram matrix is not symmetric: entry (" + (a + 1) + "," + (b + 1) + ")=" + c[a][b]
              + " but (" + (b + 1) + "," + (a + 1) + ")=" + c[b][a]);
        }
        c[b][a] = c[a][b];
      }
    }
    if (cholesky(c) == null) {
      throw new IllegalArgumentException("the Gram matrix is not positive semi-definite (smallest eigenvalue "
          + (float) smallestEigenvalue(c) + ")" + (d <= 4 ? ": " + Arrays.deepToString(c) : ""));
    }
    return c;
  }

  /**
   * The smallest eigenvalue of a symmetric matrix (cyclic Jacobi rotations to convergence; O(d³)
   * per sweep, a few sweeps), for messages about matrices that are not positive semidefinite.
   *
   * @throws IllegalArgumentException if the matrix is not square
   */
  public static double smallestEigenvalue(double[][] symmetric) {
    int d = symmetric.length;
    double[][] a = new double[d][];
    for (int i = 0; i < d; i++) {
      if (symmetric[i].length != d) {
        throw new IllegalArgumentException("the matrix must be square");
      }
      a[i] = symmetric[i].clone();
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < d; i++) {
        diag += a[i][i] * a[i][i];
        for (int j = i + 1; j < d; j++) {
          off += a[i][j] * a[i][j];
        }
      }
      if (off <= 1e-30 * diag || off == 0) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          if (a[p][q] == 0) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double sn = t * c;
          for (int k = 0; k < d; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - sn * akq;
            a[k][q] = sn * akp + c * akq;
          }
          for (int k = 0; k < d; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - sn * aqk;
            a[q][k] = sn * apk + c * aqk;
          }
        }
      }
    }
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < d; i++) {
      min = Math.min(min, a[i][i]);
    }
    return min;
  }

  /**
   * Lower Cholesky factor L with {@code L Lᵀ = g} for a positive semi-definite g (pivots that are
   * zero up to rounding are set to zero and their column dropped), or null if g is not PSD.
   */
  static double[][] cholesky(double[][] g) {
    int d = g.length;
    double maxDiag = 0;
    for (int a = 0; a < d; a++) {
      maxDiag = Math.max(maxDiag, g[a][a]);
    }
    double tol = GRAM_TOLERANCE * d * Math.max(maxDiag, Double.MIN_NORMAL);
    double[][] l = new double[d][d];
    for (int j = 0; j < d; j++) {
      double s = g[j][j];
      for (int k = 0; k < j; k++) {
        s -= l[j][k] * l[j][k];
      }
      if (s < -tol) {
        return null;
      }
      double pivot = s > tol ? Math.sqrt(s) : 0;
      l[j][j] = pivot;
      for (int i = j + 1; i < d; i++) {
        double t = g[i][j];
        for (int k = 0; k < j; k++) {
          t -= l[i][k] * l[j][k];
        }
        if (pivot == 0) {
          if (Math.abs(t) > Math.sqrt(tol) * Math.sqrt(Math.max(g[i][i], Double.MIN_NORMAL))) {
            return null;
          }
          l[i][j] = 0;
        } else {
          l[i][j] = t / pivot;
        }
      }
    }
    return l;
  }

  /** The activation σ. */
  public Activation activation() {
    return activation;
  }

  /** Bias variance {@code C_b}. */
  public double cb() {
    return cb;
  }

  /** Weight variance scale {@code C_W} (the variance of a weight is {@code C_W / fan-in}). */
  public double cw() {
    return cw;
  }

  /** Number of layers L. */
  public int depth() {
    return widths.length;
  }

  /** {@code n_ℓ} for {@code ℓ = 0..L}; {@code n_0} is the input dimension. */
  public int width(int layer) {
    if (layer < 0 || layer > widths.length) {
      throw new IndexOutOfBoundsException("layer " + layer + " not in 0.." + widths.length);
    }
    return layer == 0 ? inputDim : widths[layer - 1];
  }

  /** The hidden widths {@code n_1..n_L} (a copy). */
  public int[] widths() {
    return widths.clone();
  }

  /** Input dimension {@code n_0}. */
  public int inputDim() {
    return inputDim;
  }

  /** Number of inputs d. */
  public int inputCount() {
    return gram.length;
  }

  /** The Gram matrix {@code (1/n_0) x_α·x_β} (a copy). */
  public double[][] gram() {
    return deepCopy(gram);
  }

  /** Whether the inputs were given as explicit vectors. */
  public boolean hasExplicitInputs() {
    return inputs != null;
  }

  /**
   * Input vectors {@code x[α][j]} with Gram matrix {@link #gram()}: the explicit ones, or
   * {@code x_α = √n_0 · (row α of the Cholesky factor of the Gram matrix)} padded with zeros to
   * length {@code n_0}.
   */
  public double[][] inputs() {
    if (inputs != null) {
      return deepCopy(inputs);
    }
    int d = gram.length;
    double[][] l = cholesky(gram);
    double[][] x = new double[d][inputDim];
    double s = Math.sqrt(inputDim);
    for (int a = 0; a < d; a++) {
      for (int k = 0; k <= a; k++) {
        x[a][k] = s * l[a][k];
      }
    }
    return x;
  }

  /** The first-layer kernel {@code K^(1) = C_b + C_W · Gram} (exact: layer 1 is Gaussian). */
  public double[][] kernel1() {
    int d = gram.length;
    double[][] k = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        k[a][b] = cb + cw * gram[a][b];
      }
    }
    return k;
  }

  /** The same network with other widths (for width scans). */
  public NetworkSpec withWidths(int[] newWidths) {
    return new NetworkSpec(activation, cb, cw, inputDim, newWidths, gram, inputs);
  }

  /** The same network with another depth and equal widths {@code width}. */
  public NetworkSpec withEqualWidths(int depth, int width) {
    return withWidths(equalWidths(depth, width));
  }

  /**
   * A canonical one-line description that determines the network exactly (doubles in their
   * shortest round-trip form), used to check that two results belong to the same network.
   */
  public String canonical() {
    StringBuilder sb = new StringBuilder();
    sb.append("activation=").append(activation.spec());
    sb.append(";cb=").append(cb).append(";cw=").append(cw);
    sb.append(";n0=").append(inputDim);
    sb.append(";widths=").append(join(widths));
    sb.append(";gram=");
    appendMatrix(sb, gram);
    if (inputs != null) {
      sb.append(";inputs=");
      appendMatrix(sb, inputs);
    }
    return sb.toString();
  }

  private static String join(int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < w.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(w[i]);
    }
    return sb.toString();
  }

  private static void appendMatrix(StringBuilder sb, double[][] m) {
    for (int a = 0; a < m.length; a++) {
      if (a > 0) {
        sb.append('|');
      }
      for (int b = 0; b < m[a].length; b++) {
        if (b > 0) {
          sb.append(',');
        }
        sb.append(m[a][b]);
      }
    }
  }

  /** A copy with −0.0 replaced by +0.0 (the same input, one spelling). */
  private static double[][] deepCopy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
      for (int k = 0; k < c[i].length; k++) {
        c[i][k] += 0.0;
      }
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSpec s && canonical().equals(s.canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "NetworkSpec[%s]", canonical());
  }
}
