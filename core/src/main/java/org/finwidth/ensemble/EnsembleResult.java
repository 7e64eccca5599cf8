package org.finwidth.ensemble;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.finwidth.activation.Activation;
import org.finwidth.network.FloatScale;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.MomentSums;
import org.finwidth.stats.NtkEstimates;
import org.finwidth.stats.NtkSums;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.stats.ObservableSink;
import org.finwidth.vector.KernelProvider;

/**
 * The sufficient statistics of a set of whole blocks of one ensemble: what a run, a shard or a
 * checkpoint produces, and what {@link #merge} combines exactly. Immutable.
 *
 * <p>An <em>ensemble</em> is identified by (spec, seed, sampler kind, number of networks M, block
 * size B, reference); its networks are {@code 0..M−1}, block {@code b} is networks
 * {@code [bB, min((b+1)B, M))}. The statistics kept ({@link ObservableLayout}: the metric ones, and
 * the distinct-neuron ones or not) are a part of the identity too. A result holds the blocks in {@link #blocks()}: the exact sums of
 * the statistics of their non-diverged networks ({@link MomentSums}), and the diverged networks
 * counted by the first layer where they diverged. Two results of the same ensemble with disjoint
 * blocks merge into the result of the union, bitwise identical to a run of the union in one go.
 *
 * <h2>State (binary, {@link #writeTo})</h2>
 * Big-endian as {@link DataOutput} writes; the shard/checkpoint file format wraps it (magic,
 * checksums and atomic writing are its business). Version {@value #STATE_VERSION}:
 * <pre>
 *   i32 state version
 *   spec:   UTF activation spec, f64 C_b, f64 C_W, i32 n_0, i32 L, L × i32 widths n_1..n_L,
 *           i32 d, d×d f64 Gram matrix (row-major), u8 explicit inputs (0/1), if 1: d×n_0 f64 inputs
 *   i64 seed, UTF sampler kind, UTF kernels ("panama" or "scalar"), i64 networks M, i32 block size B
 *   u8 statistics: 0 the metric statistics, 1 metric and distinct-neuron (ObservableLayout)
 *   reference: L × P f64, c^(ℓ)_p (P = d(d+1)/2, pair order of PairIndex)
 *   blocks: i32 range count k, k × (i64 from, i64 to)  (sorted, disjoint, non-adjacent)
 *   i64 diverged, L × i64 diverged by first layer, i64 smallest diverged network (−1: none)
 *   MomentSums state (ObservableLayout of d inputs and the statistics, depth L)
 *   u8 NTK section present (0/1), if 1: the {@link NtkResult} state (docs/theory.md §11.8)
 * </pre>
 * The reference and the sums of layer ℓ are held in the float units of {@link FloatScale}
 * ({@code 4^e[ℓ]} for the second moments; {@code e = 0}, true units, for every network whose
 * kernels lie within [2<sup>−100</sup>, 2<sup>100</sup>]). The NTK section ({@link NtkResult})
 * is measured only for networks held in true units (every exponent of {@link FloatScale#exponents} 0): its
 * references and sums are true units. The kernels are the implementation
 * ({@link KernelProvider.Implementation}) of the JVM that computed the result, the NTK section's
 * included: the activation kernels of the two round differently, so results of different kernels
 * are different ensembles (the same statistics to float accuracy, not the same bits) and never
 * merge. Version 3 (the same without the NTK flag) is still read, as a result without an NTK
 * section. Versions 1 and 2 (before the float units and the kernels; version 1 also before the
 * layout of {@link ObservableLayout} by sum segments) are refused with a line saying so: such a
 * file was written by an older finwidth and cannot be merged with or resumed by this one.
 */
public final class EnsembleResult {
  /** Version of the binary state layout (and of the statistics layout it implies). */
  public static final int STATE_VERSION = 4;

  /** Why a network beyond the true units gets no NTK section. */
  static final String NOT_TRUE_UNITS = "the NTK is measured only for networks whose kernels lie within"
      + " 2^-100..2^100 (this one's need the float units beyond them)";

  /** The oldest state version this build reads (3: the same state without the NTK flag). */
  public static final int OLDEST_READABLE_VERSION = 3;

  private final NetworkSpec spec;
  private final long seed;
  private final String sampler;
  private final String kernels;
  private final long networks;
  private final int blockSize;
  private final ObservableLayout layout;
  private final double[][] reference;
  private final BlockSet blocks;
  private final MomentSums sums;
  private final long diverged;
  private final long[] divergedByLayer;
  private final long firstDiverged;
  private volatile int[] units;
  /** The NTK section, or null when the ensemble does not measure the NTK. */
  private final NtkResult ntk;

  EnsembleResult(NetworkSpec spec, long seed, String sampler, String kernels, long networks, int blockSize,
      double[][] reference, BlockSet blocks, MomentSums sums, long diverged, long[] divergedByLayer,
      long firstDiverged, NtkResult ntk) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.seed = seed;
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    this.networks = networks;
    this.blockSize = blockSize;
    this.layout = sums.layout();
    this.reference = reference;
    this.blocks = blocks;
    this.sums = sums;
    this.diverged = diverged;
    this.divergedByLayer = divergedByLayer;
    this.firstDiverged = firstDiverged;
    this.ntk = ntk;
  }

  /**
   * The result of no blocks of an ensemble with the default statistics of its number of inputs
   * ({@link ObservableLayout#forInputs}).
   *
   * @throws IllegalArgumentException if networks &lt; 1, the block size &lt; 1, or the reference
   *     does not have L rows of P finite entries
   */
  public static EnsembleResult empty(NetworkSpec spec, long seed, String sampler, long networks,
      int blockSize, double[][] reference) {
    return empty(spec, seed, sampler, networks, blockSize, reference, ObservableLayout.forInputs(spec.inputCount()));
  }

  /**
   * The result of no blocks of an ensemble that keeps the statistics of {@code layout}.
   *
   * @throws IllegalArgumentException if networks &lt; 1, the block size &lt; 1, the reference
   *     does not have L rows of P finite entries, or the layout is for another number of inputs
   */
  public static EnsembleResult empty(NetworkSpec spec, long seed, String sampler, long networks,
      int blockSize, double[][] reference, ObservableLayout layout) {
    return empty(spec, seed, sampler, thisJvmsKernels(), networks, blockSize, reference, layout);
  }

  /** The kernels results of this JVM are computed with: {@link KernelProvider#getInstance()}'s, in lower case. */
  public static String thisJvmsKernels() {
    return KernelProvider.getInstance().implementation().name().toLowerCase(Locale.ROOT);
  }

  private static EnsembleResult empty(NetworkSpec spec, long seed, String sampler, String kernels, long networks,
      int blockSize, double[][] reference, ObservableLayout layout) {
    if (networks < 1) {
      throw new IllegalArgumentException("the number of networks must be >= 1, got " + networks);
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("the block size must be >= 1, got " + blockSize);
    }
    if (layout.inputs() != spec.inputCount()) {
      throw new IllegalArgumentException("statistics for " + layout.inputs() + " inputs, the network has " + spec.inputCount());
    }
    int depth = spec.depth();
    ObservableSink.checkReference(reference, depth, layout.pairs());
    double[][] ref = new double[depth][];
    for (int l = 0; l < depth; l++) {
      ref[l] = reference[l].clone();
    }
    return new EnsembleResult(spec, seed, sampler, kernels, networks, blockSize, ref, BlockSet.empty(),
        new MomentSums(layout, depth), 0, new long[depth], -1, null);
  }

  /**
   * This result of no blocks with an empty NTK section (docs/theory.md §11.8): the ensemble then
   * also measures the NTK of every network with these options, its statistics shifted by the
   * references h^(ℓ)_p (NTK) and c^(ℓ)_p (preactivations), in true units.
   *
   * @throws IllegalStateException if the result already holds blocks
   * @throws IllegalArgumentException if the references or options do not fit the network, the
   *     sampler is not the weights sampler (the NTK needs the weights), or the network's kernels
   *     leave [2<sup>−100</sup>, 2<sup>100</sup>] (its numbers would need the float units of
   *     {@link FloatScale}, which the NTK is not measured in)
   */
  public EnsembleResult withNtk(NtkOptions options, double[][] hReference, double[][] cReference) {
    if (!blocks.isEmpty()) {
      throw new IllegalStateException("an NTK section can only be added to a result of no blocks");
    }
    if (!sampler.equals("weights")) {
      throw new IllegalArgumentException("the NTK needs the weights sampler (--sampler weights), got " + sampler);
    }
    if (!inTrueUnits(spec)) {
      throw new IllegalArgumentException(NOT_TRUE_UNITS);
    }
    return new EnsembleResult(spec, seed, sampler, kernels, networks, blockSize, reference, blocks, sums, diverged,
        divergedByLayer, firstDiverged, NtkResult.empty(spec, options, hReference, cReference));
  }

  /** This result plus blocks {@code more} whose statistics are already in {@code merged}. */
  EnsembleResult withBlocks(BlockSet more, MomentSums merged, NtkSums ntkMerged, long[] moreDiverged,
      long moreFirst) {
    long[] dl = divergedByLayer.clone();
    long dv = diverged;
    for (int l = 0; l < dl.length; l++) {
      dl[l] += moreDiverged[l];
      dv += moreDiverged[l];
    }
    long first = firstDiverged < 0 ? moreFirst : moreFirst < 0 ? firstDiverged : Math.min(firstDiverged, moreFirst);
    return new EnsembleResult(spec, seed, sampler, kernels, networks, blockSize, reference, blocks.union(more),
        merged, dv, dl, first, ntk == null ? null : ntk.withSums(ntkMerged));
  }

  /**
   * The exact merge of two results of the same ensemble with disjoint blocks.
   *
   * @throws IllegalArgumentException naming the difference if they belong to different ensembles
   *     (spec, seed, sampler, kernels, networks, block size, reference) or share blocks
   */
  public EnsembleResult merge(EnsembleResult other) {
    checkSameEnsemble(other);
    if (blocks.intersects(other.blocks)) {
      throw new IllegalArgumentException("cannot merge results that share blocks: " + blocks + " and " + other.blocks);
    }
    MomentSums s = sums.copy();
    s.add(other.sums);
    NtkSums n = null;
    if (ntk != null) {
      n = ntk.sums().copy();
      n.add(other.ntk.sums());
    }
    return withBlocks(other.blocks, s, n, other.divergedByLayer, other.firstDiverged);
  }

  /**
   * Checks that {@code other} belongs to the same ensemble.
   *
   * @throws IllegalArgumentException naming the first difference
   */
  public void checkSameEnsemble(EnsembleResult other) {
    if (!spec.equals(other.spec)) {
      throw new IllegalArgumentException("results of different networks: " + spec.canonical() + " vs " + other.spec.canonical());
    }
    if (seed != other.seed) {
      throw new IllegalArgumentException("results of different seeds: " + seed + " vs " + other.seed);
    }
    if (!sampler.equals(other.sampler)) {
      throw new IllegalArgumentException("results of different samplers: " + sampler + " vs " + other.sampler);
    }
    if (!kernels.equals(other.kernels)) {
      throw new IllegalArgumentException("results computed with different kernels: " + kernels + " vs " + other.kernels
          + " (their activation kernels round differently, so the numbers differ in the last bits; compute every"
          + " part with the same -D" + KernelProvider.PROPERTY + "=" + other.kernels + ")");
    }
    if (networks != other.networks) {
      throw new IllegalArgumentException("results of ensembles of different sizes: " + networks + " vs " + other.networks + " networks");
    }
    if (blockSize != other.blockSize) {
      throw new IllegalArgumentException("results with different block sizes: " + blockSize + " vs " + other.blockSize);
    }
    if (layout != other.layout) {
      throw new IllegalArgumentException("results with different statistics: " + layout.describe() + " vs "
          + other.layout.describe() + " (--distinct-neurons)");
    }
    if (!Arrays.deepEquals(reference, other.reference)) {
      throw new IllegalArgumentException("results with different references: " + Arrays.deepToString(reference)
          + " vs " + Arrays.deepToString(other.reference));
    }
    if ((ntk == null) != (other.ntk == null)) {
      throw new IllegalArgumentException("a result with the NTK and one without: "
          + (ntk == null ? "the first" : "the second") + " does not measure the NTK");
    }
    if (ntk != null) {
      ntk.checkSame(other.ntk);
    }
  }

  /** The network. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The statistics kept. */
  public ObservableLayout layout() {
    return layout;
  }

  /** The sampler kind. */
  public String sampler() {
    return sampler;
  }

  /** The kernel implementation that computed it: "panama" or "scalar" ({@link KernelProvider.Implementation}). */
  public String kernels() {
    return kernels;
  }

  /** Ensemble size M (networks 0..M−1). */
  public long networks() {
    return networks;
  }

  /** Block size B. */
  public int blockSize() {
    return blockSize;
  }

  /** Number of blocks of the ensemble: ⌈M/B⌉. */
  public long blockCount() {
    return Math.ceilDiv(networks, (long) blockSize);
  }

  /** All blocks of the ensemble. */
  public BlockSet allBlocks() {
    return BlockSet.range(0, blockCount());
  }

  /** The blocks this result holds. */
  public BlockSet blocks() {
    return blocks;
  }

  /** Whether this result holds every block of the ensemble. */
  public boolean isComplete() {
    return blocks.equals(allBlocks());
  }

  /** First network of block b. */
  public long blockStart(long b) {
    return b * blockSize;
  }

  /** End (exclusive) of block b. */
  public long blockEnd(long b) {
    return Math.min(networks, (b + 1) * blockSize);
  }

  /** Networks in the blocks held (diverged ones included). */
  public long networksDone() {
    long n = 0;
    for (int i = 0; i < blocks.rangeCount(); i++) {
      long f = blocks.rangeFrom(i);
      long t = blocks.rangeTo(i);
      n += Math.min(networks, t * blockSize) - f * blockSize;
    }
    return n;
  }

  /** Networks folded into the statistics (non-diverged). */
  public long networksAccumulated() {
    return sums.count();
  }

  /** Diverged networks (never in the statistics). */
  public long diverged() {
    return diverged;
  }

  /** Diverged networks whose first non-finite layer was ℓ (1..L). */
  public long divergedAtLayer(int layer) {
    return divergedByLayer[layer - 1];
  }

  /** The smallest index of a diverged network, or −1 if none diverged (to reproduce one). */
  public long firstDivergedNetwork() {
    return firstDiverged;
  }

  /** The reference {@code c^(ℓ)_p} of layer ℓ (a copy). */
  public double[] reference(int layer) {
    return reference[layer - 1].clone();
  }

  /** The exact sums (read-only use). */
  public MomentSums sums() {
    return sums;
  }

  /** The units the statistics are held in ({@link FloatScale#exponents}), computed once. */
  private int[] units() {
    int[] u = units;
    if (u == null) {
      u = FloatScale.exponents(spec);
      units = u;
    }
    return u;
  }

  /** Whether every unit of the network is 1 (every exponent of {@link FloatScale#exponents} 0). */
  static boolean inTrueUnits(NetworkSpec spec) {
    for (int e : FloatScale.exponents(spec)) {
      if (e != 0) {
        return false;
      }
    }
    return true;
  }

  /** The NTK section, if the ensemble measures the NTK. */
  public java.util.Optional<NtkResult> ntk() {
    return java.util.Optional.ofNullable(ntk);
  }

  /**
   * NTK estimates of layer ℓ from the blocks held (true units: the NTK is measured only for
   * networks held in them).
   *
   * @throws IllegalStateException if the ensemble does not measure the NTK
   */
  public NtkEstimates ntkEstimates(int layer) {
    if (ntk == null) {
      throw new IllegalStateException("this ensemble does not measure the NTK");
    }
    return ntk.estimates(spec, layer);
  }

  /**
   * Estimates of layer ℓ from the blocks held, in true units (the sums are held in the units of
   * {@link FloatScale}; the estimates are multiplied back).
   */
  public LayerEstimates estimates(int layer) {
    return LayerEstimates.compute(sums, layer, reference[layer - 1], spec.width(layer - 1), spec.width(layer),
        units()[layer]);
  }

  // ---- serialisation --------------------------------------------------------------------------

  /**
   * Writes the state (see the class documentation).
   *
   * @throws IOException if {@code out} throws it
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(STATE_VERSION);
    writeSpec(out, spec);
    out.writeLong(seed);
    out.writeUTF(sampler);
    out.writeUTF(kernels);
    out.writeLong(networks);
    out.writeInt(blockSize);
    out.writeByte(layout.distinctNeurons() ? 1 : 0);
    for (double[] row : reference) {
      for (double c : row) {
        out.writeDouble(c);
      }
    }
    out.writeInt(blocks.rangeCount());
    for (int i = 0; i < blocks.rangeCount(); i++) {
      out.writeLong(blocks.rangeFrom(i));
      out.writeLong(blocks.rangeTo(i));
    }
    out.writeLong(diverged);
    for (long c : divergedByLayer) {
      out.writeLong(c);
    }
    out.writeLong(firstDiverged);
    sums.writeTo(out);
    out.writeBoolean(ntk != null);
    if (ntk != null) {
      ntk.writeTo(out);
    }
  }

  /**
   * Reads a state written by {@link #writeTo} from an input of unknown length (a trusted source:
   * for bytes from a file use {@link #readFrom(DataInput, long)}).
   *
   * @throws IOException if the input ends early, has another version, or is inconsistent (the
   *     message says what)
   */
  public static EnsembleResult readFrom(DataInput in) throws IOException {
    return readFrom(in, Long.MAX_VALUE);
  }

  /**
   * Reads a state of at most {@code length} bytes written by {@link #writeTo}. Every count the
   * state holds (depth, input dimension, explicit inputs, block ranges, the per-layer sums) is
   * checked against {@code length} before anything of that size is allocated, so a damaged or
   * forged state costs memory in proportion to its length, never more.
   *
   * @param length the number of bytes the state occupies (an upper bound)
   * @throws IOException if the input ends early, has another version, announces more than
   *     {@code length} bytes of content, or is inconsistent (the message says what)
   */
  public static EnsembleResult readFrom(DataInput in, long length) throws IOException {
    int version = in.readInt();
    if (version < OLDEST_READABLE_VERSION || version > STATE_VERSION) {
      throw new IOException("result state version " + version + (version < STATE_VERSION
          ? " was written by an older finwidth with another statistics layout" : " was written by a newer finwidth")
          + "; this build reads versions " + OLDEST_READABLE_VERSION + " to " + STATE_VERSION + " only (results of"
          + " different layouts never merge: rerun it with this build)");
    }
    NetworkSpec spec = readSpec(in, length);
    long seed = in.readLong();
    String sampler = in.readUTF();
    String kernels = in.readUTF();
    if (!kernels.equals("panama") && !kernels.equals("scalar")) {
      throw new IOException("inconsistent result state: kernels '" + (kernels.length() > 20 ? kernels.substring(0, 20) + "..." : kernels)
          + "' (expected panama or scalar)");
    }
    long networks = in.readLong();
    int blockSize = in.readInt();
    int statistics = in.readUnsignedByte();
    if (statistics > 1) {
      throw new IOException("inconsistent result state: statistics " + statistics);
    }
    int depth = spec.depth();
    ObservableLayout layout;
    double[][] reference;
    EnsembleResult empty;
    try {
      layout = ObservableLayout.of(spec.inputCount(), statistics == 1);
      // per layer at least: the width, the reference, a divergence count, one byte per exact sum
      // and the maxima (ObservableLayout, MomentSums)
      long perLayer = 4 + 8L * layout.pairs() + 8 + layout.sumCount() + 8L * layout.maxCount();
      need(depth * perLayer, length, depth + " layers of " + spec.inputCount() + " input" + (spec.inputCount() == 1 ? "" : "s"));
      reference = new double[depth][layout.pairs()];
      for (double[] row : reference) {
        for (int p = 0; p < row.length; p++) {
          row[p] = in.readDouble();
        }
      }
      empty = empty(spec, seed, sampler, kernels, networks, blockSize, reference, layout);
    } catch (IllegalArgumentException e) {
      throw new IOException("inconsistent result state: " + e.getMessage(), e);
    }
    int ranges = in.readInt();
    if (ranges < 0 || ranges > 1 << 24) {
      throw new IOException("inconsistent result state: " + ranges + " block ranges");
    }
    need(16L * ranges, length, ranges + " block ranges");
    long[] bounds = new long[2 * ranges];
    long prevTo = -1;
    for (int i = 0; i < ranges; i++) {
      long f = in.readLong();
      long t = in.readLong();
      if (f <= prevTo || t <= f || t > empty.blockCount()) {
        throw new IOException("inconsistent result state: block range [" + f + ", " + t + ") after " + prevTo
            + " (ranges must be sorted, disjoint, non-adjacent and within 0.." + empty.blockCount() + ")");
      }
      bounds[2 * i] = f;
      bounds[2 * i + 1] = t;
      prevTo = t;
    }
    long diverged = in.readLong();
    long[] byLayer = new long[depth];
    long total = 0;
    for (int l = 0; l < depth; l++) {
      byLayer[l] = in.readLong();
      if (byLayer[l] < 0) {
        throw new IOException("inconsistent result state: negative divergence count at layer " + (l + 1));
      }
      total += byLayer[l];
    }
    if (total != diverged) {
      throw new IOException("inconsistent result state: diverged " + diverged + " != sum over layers " + total);
    }
    long first = in.readLong();
    MomentSums sums = MomentSums.readFrom(in, layout, depth);
    NtkResult ntk = null;
    if (version >= 4 && in.readBoolean()) {
      if (!inTrueUnits(spec)) {
        throw new IOException("inconsistent result state: an NTK section for a network beyond the true units"
            + " (kernels outside 2^-100..2^100), which the NTK is not measured in");
      }
      ntk = NtkResult.readFrom(in, spec);
      if (ntk.sums().count() != sums.count()) {
        throw new IOException("inconsistent result state: " + ntk.sums().count() + " networks in the NTK sums, "
            + sums.count() + " in the preactivation sums");
      }
    }
    EnsembleResult r = new EnsembleResult(spec, seed, sampler, kernels, networks, blockSize, empty.reference,
        BlockSet.of(bounds), sums, diverged, byLayer, first, ntk);
    if (sums.count() + diverged != r.networksDone()) {
      throw new IOException("inconsistent result state: " + sums.count() + " accumulated + " + diverged
          + " diverged networks != " + r.networksDone() + " networks in the blocks " + r.blocks);
    }
    if ((first < 0) != (diverged == 0)) {
      throw new IOException("inconsistent result state: first diverged network " + first + " with " + diverged + " diverged");
    }
    return r;
  }

  private static void writeSpec(DataOutput out, NetworkSpec spec) throws IOException {
    out.writeUTF(spec.activation().spec());
    out.writeDouble(spec.cb());
    out.writeDouble(spec.cw());
    out.writeInt(spec.inputDim());
    out.writeInt(spec.depth());
    for (int w : spec.widths()) {
      out.writeInt(w);
    }
    double[][] gram = spec.gram();
    out.writeInt(gram.length);
    for (double[] row : gram) {
      for (double g : row) {
        out.writeDouble(g);
      }
    }
    out.writeBoolean(spec.hasExplicitInputs());
    if (spec.hasExplicitInputs()) {
      for (double[] x : spec.inputs()) {
        for (double v : x) {
          out.writeDouble(v);
        }
      }
    }
  }

  /**
   * Refuses a count whose content ({@code bytes}) the state's {@code length} cannot hold.
   *
   * @throws IOException "inconsistent result state: WHAT need at least N bytes, the state has L"
   */
  private static void need(long bytes, long length, String what) throws IOException {
    if (bytes > length || bytes < 0) {
      throw new IOException("inconsistent result state: " + what + " need at least " + bytes
          + " bytes, the state has " + length);
    }
  }

  private static NetworkSpec readSpec(DataInput in, long length) throws IOException {
    String activation = in.readUTF();
    double cb = in.readDouble();
    double cw = in.readDouble();
    int n0 = in.readInt();
    int depth = in.readInt();
    if (depth < 1 || depth > 1 << 20 || n0 < 1 || n0 > 1 << 28) {
      throw new IOException("inconsistent result state: depth " + depth + ", input dimension " + n0);
    }
    need(4L * depth, length, depth + " layer widths");
    int[] widths = new int[depth];
    for (int l = 0; l < depth; l++) {
      widths[l] = in.readInt();
    }
    int d = in.readInt();
    if (d < 1 || d > ObservableLayout.MAX_INPUTS) {
      throw new IOException("inconsistent result state: " + d + " inputs");
    }
    double[][] gram = new double[d][d];
    for (double[] row : gram) {
      for (int b = 0; b < d; b++) {
        row[b] = in.readDouble();
      }
    }
    boolean explicit = in.readBoolean();
    try {
      if (explicit) {
        need(8L * d * n0, length, d + " explicit inputs of dimension " + n0);
        double[][] x = new double[d][n0];
        for (double[] row : x) {
          for (int j = 0; j < n0; j++) {
            row[j] = in.readDouble();
          }
        }
        NetworkSpec s = NetworkSpec.ofInputs(Activation.parse(activation), cb, cw, widths, x);
        if (!Arrays.deepEquals(s.gram(), gram)) {
          throw new IOException("inconsistent result state: the Gram matrix does not match the inputs");
        }
        return s;
      }
      return NetworkSpec.ofGram(Activation.parse(activation), cb, cw, n0, widths, gram);
    } catch (IllegalArgumentException e) {
      throw new IOException("inconsistent result state: bad network: " + e.getMessage(), e);
    }
  }

  /** Same ensemble, same blocks, bitwise-equal sums and counts. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EnsembleResult r)) {
      return false;
    }
    return spec.equals(r.spec) && seed == r.seed && sampler.equals(r.sampler) && kernels.equals(r.kernels) && networks == r.networks
        && blockSize == r.blockSize && Arrays.deepEquals(reference, r.reference) && blocks.equals(r.blocks)
        && diverged == r.diverged && Arrays.equals(divergedByLayer, r.divergedByLayer)
        && firstDiverged == r.firstDiverged && sums.equals(r.sums) && Objects.equals(ntk, r.ntk);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, seed, sampler, networks, blocks, diverged, sums);
  }

  @Override
  public String toString() {
    return "EnsembleResult[" + spec.canonical() + ", seed=" + seed + ", sampler=" + sampler + ", kernels=" + kernels + ", statistics="
        + layout.describe() + ", networks=" + networks
        + ", blocks=" + blocks + " of " + blockCount() + ", accumulated=" + sums.count() + ", diverged=" + diverged
        + (ntk == null ? "" : ", ntk=" + ntk.options()) + "]";
  }
}
