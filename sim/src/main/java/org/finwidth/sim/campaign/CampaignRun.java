package org.finwidth.sim.campaign;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;

/**
 * One run of a campaign, resolved: the network (activation, C_b, C_W, equal widths, depth, the
 * inputs as a Gram matrix or explicit vectors), the sampler, the number of networks M, its key
 * and its seed. The same run is the single command {@link #simulateArgs()}.
 *
 * <p><b>Key.</b> {@link #canonical()} is a text that determines the run exactly (doubles in their
 * shortest round-trip form, the activation's canonical spec); the key is a readable prefix
 * {@code ACTIVATION-L<depth>-n<width>} (characters other than {@code [A-Za-z0-9.=_-]} replaced by
 * {@code _}, at most 40) followed by {@code -} and the first 12 hexadecimal digits of the SHA-256
 * of the canonical text: {@code tanh-L4-n16-3f2a9c01b7de}. It depends on nothing else (not on the
 * plan's other runs, the order, the campaign name or the base seed), so adding or removing runs
 * never changes another run's key.
 *
 * <p><b>Seed.</b> The first 8 bytes (big-endian, two's complement) of the SHA-256 of the UTF-8
 * text {@code finwidth-campaign-seed;<base seed>;<key>}: a function of the base seed and the key
 * only ({@link #deriveSeed}).
 *
 * @param key the run's key (its file name under {@code runs/})
 * @param seed the derived seed
 * @param activation the activation's canonical spec
 * @param init {@code critical} when C_b and C_W were solved, else {@code explicit}
 * @param cb C_b
 * @param cw C_W
 * @param inputDim n_0
 * @param depth L
 * @param width n (all L layers)
 * @param gram the Gram matrix of the inputs (d × d); with explicit inputs, computed from them
 * @param inputs the explicit input vectors (d × n_0), or null when the run is given by its Gram
 * @param sampler {@code conditional} or {@code weights}
 * @param networks M
 * @param origin where the run comes from: {@code grid} or {@code run[i]} (an explicit run)
 */
public record CampaignRun(String key, long seed, String activation, String init, double cb, double cw, int inputDim,
    int depth, int width, double[][] gram, double[][] inputs, String sampler, long networks, String origin) {

  /** Version tag of the canonical text (a new tag would give every run a new key). */
  static final String CANONICAL_TAG = "finwidth-campaign-run/1";

  /**
   * A run with its key and seed computed from its parameters and the base seed.
   *
   * @throws IllegalArgumentException if the parameters do not make a network ({@link NetworkSpec})
   */
  static CampaignRun of(long baseSeed, String activation, String init, double cb, double cw, int inputDim, int depth,
      int width, double[][] gram, double[][] inputs, String sampler, long networks, String origin) {
    int[] widths = NetworkSpec.equalWidths(depth, width);
    Activation a = Activation.parse(activation);
    NetworkSpec spec = inputs != null ? NetworkSpec.ofInputs(a, cb, cw, widths, inputs)
        : NetworkSpec.ofGram(a, cb, cw, inputDim, widths, gram);
    double[][] g = spec.gram();
    int n0 = spec.inputDim();
    String canonical = canonical(activation, cb, cw, n0, depth, width, g, inputs, sampler, networks);
    String key = key(activation, depth, width, canonical);
    return new CampaignRun(key, deriveSeed(baseSeed, key), activation, init, cb, cw, n0, depth, width, g, inputs,
        sampler, networks, origin);
  }

  /** The network ({@link NetworkSpec}). */
  public NetworkSpec spec() {
    Activation a = Activation.parse(activation);
    int[] widths = NetworkSpec.equalWidths(depth, width);
    return inputs != null ? NetworkSpec.ofInputs(a, cb, cw, widths, inputs)
        : NetworkSpec.ofGram(a, cb, cw, inputDim, widths, gram);
  }

  /** Number of inputs d. */
  public int inputCount() {
    return gram.length;
  }

  /** The text the key is the hash of (see the class documentation). */
  public String canonical() {
    return canonical(activation, cb, cw, inputDim, depth, width, gram, inputs, sampler, networks);
  }

  static String canonical(String activation, double cb, double cw, int inputDim, int depth, int width,
      double[][] gram, double[][] inputs, String sampler, long networks) {
    StringBuilder sb = new StringBuilder(CANONICAL_TAG);
    sb.append(";activation=").append(activation);
    sb.append(";cb=").append(cb).append(";cw=").append(cw);
    sb.append(";n0=").append(inputDim).append(";depth=").append(depth).append(";width=").append(width);
    if (inputs != null) {
      sb.append(";inputs=").append(matrixText(inputs));
    } else {
      sb.append(";gram=").append(matrixText(gram));
    }
    sb.append(";sampler=").append(sampler).append(";networks=").append(networks);
    return sb.toString();
  }

  /** Rows separated by {@code ;}, entries by {@code ,}, each double in its shortest round-trip form. */
  public static String matrixText(double[][] m) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < m.length; i++) {
      if (i > 0) {
        sb.append(';');
      }
      for (int j = 0; j < m[i].length; j++) {
        if (j > 0) {
          sb.append(',');
        }
        sb.append(m[i][j]);
      }
    }
    return sb.toString();
  }

  static String key(String activation, int depth, int width, String canonical) {
    String slug = activation.replaceAll("[^A-Za-z0-9.=_-]", "_");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40);
    }
    return String.format(Locale.ROOT, "%s-L%d-n%d-%s", slug, depth, width,
        HexFormat.of().formatHex(sha256(canonical), 0, 6));
  }

  /**
   * The seed of the run {@code key} in a campaign of base seed {@code baseSeed}: the first 8
   * bytes (big-endian) of SHA-256("finwidth-campaign-seed;" + baseSeed + ";" + key).
   */
  public static long deriveSeed(long baseSeed, String key) {
    return ByteBuffer.wrap(sha256("finwidth-campaign-seed;" + baseSeed + ";" + key)).getLong();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * The arguments of the single {@code finwidth simulate} command that computes this run (network,
   * M, seed, sampler), without threads, output or progress flags: its result file is bitwise this
   * run's (doubles are passed in their round-trip form).
   */
  public List<String> simulateArgs() {
    List<String> a = new ArrayList<>(List.of("simulate", "-a", activation, "--cb", Double.toString(cb), "--cw",
        Double.toString(cw), "-L", Integer.toString(depth), "-n", Integer.toString(width)));
    if (inputs != null) {
      a.addAll(List.of("--inputs", matrixText(inputs)));
    } else {
      a.addAll(List.of("--gram", matrixText(gram)));
      if (inputDim != gram.length) {
        a.addAll(List.of("--input-dim", Integer.toString(inputDim)));
      }
    }
    a.addAll(List.of("-M", Long.toString(networks), "-s", Long.toString(seed), "--sampler", sampler));
    return a;
  }

  /** The first 12 hexadecimal digits of the SHA-256 of the Gram matrix's {@link #matrixText}. */
  public String gramId() {
    return gramId(gram);
  }

  /** The Gram matrix's id of the tidy CSV ({@link org.finwidth.sim.cli.TidyCsv#gramId}). */
  public static String gramId(double[][] gram) {
    return org.finwidth.sim.cli.TidyCsv.gramId(gram);
  }
}
