package org.finwidth.vector.panama;

import java.util.Objects;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.FMA;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.OR;
import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;
import static org.finwidth.random.Philox4x32.W0;
import static org.finwidth.random.Philox4x32.W1;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.Philox4x32;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.NormalKernels;

/**
 * {@link NormalKernels} on the Vector API: the normals of {@link BoxMuller} with the same
 * operations in the same order, so that the output is bitwise that of the scalar reference.
 *
 * <p>Per segment of {@value BoxMuller#SEGMENT} normals: {@link #philoxPass} computes the sixteen
 * Philox4x32-10 seed blocks (one block per int lane; its 32x32&rarr;64-bit products on 64-bit
 * lanes, see there) and writes them into the first two whole runs of the destination; then
 * {@link #segmentPass} loads them as xoshiro128++ states, one vector of lanes at a time (8 lanes
 * with AVX2, 16 with AVX-512), and runs the generator and the Box–Muller transform fused, in
 * registers: two steps give one vector of radius words and one of angle words, which become one
 * vector of {@code z_c} and one of {@code z_s}, stored at their final place. Runs (32 normals) at
 * the ends of the range that it covers only in part are stored whole to floats of the calling
 * thread's own (allocated once per thread) and their part of the range is copied from there after
 * the segment: the loop has no masked store, so no call and no profile of one (docs/performance.md,
 * "Per-fork spread of the generator"). When the range holds fewer than two whole runs of a
 * segment (no room for the seeds), the seeds go to the thread's floats too.
 *
 * <p>The kernel is one flat method (no helper methods taking or returning vectors): C2 refuses
 * to inline helpers once a method is large, and a helper that is not inlined boxes its vectors
 * (docs/performance.md, trap 3). Vectors wider than 512 bits are not used, because a segment has 16
 * lanes.
 */
public final class PanamaNormalKernels implements NormalKernels {

  private static final VectorShape SHAPE = VectorShapes.SHAPE.vectorBitSize() > 512
      ? VectorShape.S_512_BIT : VectorShapes.SHAPE;
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
  /** Blocks per sub-group = int lanes; divides 16. */
  private static final int LANES = IS.length();
  private static final long MASK32 = 0xFFFF_FFFFL;
  private static final long M0 = Philox4x32.M0 & MASK32;
  private static final long M1 = Philox4x32.M1 & MASK32;
  /** Where in {@link #SCRATCH} the partial runs go: the first at +0, the last at +32. */
  private static final int PARTIAL = 64;
  /**
   * The thread's own floats: [0, 64) the seed words of a segment when the range does not have
   * room for them (fewer than two whole runs of the segment), [64, 128) the runs that the range
   * covers only in part (at most two per segment), stored whole. One array per thread, allocated
   * once.
   */
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[PARTIAL + 64]);

  // Offsets in {@link #constants} of the constants that the kernel reads as whole vectors.
  private static final int C_M1 = 0;
  private static final int C_M3 = LANES;
  private static final int C_M5 = 2 * LANES;
  private static final int C_M7 = 3 * LANES;
  private static final int C_NEG_TWO_LN2 = 4 * LANES;
  private static final int C_X_SCALE = 5 * LANES;
  private static final int C_MINUS_X_SCALE = 6 * LANES;
  private static final int C_HALF = 7 * LANES;
  private static final int C_MINUS_TWO = 8 * LANES;
  private static final int C_T7 = 9 * LANES;
  private static final int C_D6 = 10 * LANES;

  /**
   * The kernel's constants that are a multiplier or a second operand, each repeated over the
   * lanes (offsets {@code C_*}). Read inside the loop as vectors, C2 folds each load into the
   * instruction that uses it (a memory operand) instead of emitting a separate broadcast: 11 fewer
   * instructions per iteration, 6 % faster with AVX2's 16 registers, which cannot hold the 26
   * constants. An instance field passed as an argument: loads from a {@code static final} array
   * are hoisted out of the loop instead, and spilled. Never written after construction.
   */
  private final float[] constants = new float[11 * LANES];

  /**
   * Creates the (stateless) Panama kernels.
   *
   * @throws IllegalStateException if the vector shape has fewer than 4 int lanes
   */
  public PanamaNormalKernels() {
    if (LANES < 4 || BoxMuller.LANES % LANES != 0) {
      throw new IllegalStateException("unsupported vector shape " + SHAPE + " (" + LANES + " int lanes)");
    }
    float[] values = {BoxMuller.M1, BoxMuller.M3, BoxMuller.M5, BoxMuller.M7, BoxMuller.NEG_TWO_LN2,
      BoxMuller.X_SCALE, -BoxMuller.X_SCALE, 0.5f, -2f, BoxMuller.T7, BoxMuller.D6};
    for (int c = 0; c < values.length; c++) {
      java.util.Arrays.fill(constants, c * LANES, (c + 1) * LANES, values[c]);
    }
  }

  @Override
  public String name() {
    return "panama";
  }

  /** The int species the kernel runs on, e.g. {@code Species[int, 8, S_256_BIT]} (for logs and tests). */
  public static String species() {
    return IS.toString();
  }

  @Override
  public void fill(long seed, long network, int layer, int purpose, long firstIndex, float scale,
          float[] out, int off, int len) {
    RandomStreams.checkStream(layer, purpose);
    BoxMuller.checkRange(firstIndex, len);
    Objects.checkFromIndexSize(off, len, out.length);
    if (len == 0) {
      return;
    }
    int k0 = RandomStreams.key0(seed);
    int k1 = RandomStreams.key1(seed);
    int c1 = RandomStreams.counter1(layer, purpose);
    int c2 = RandomStreams.counter2(network);
    int c3 = RandomStreams.counter3(network);
    long end = firstIndex + len;
    for (long s = firstIndex >>> 10, sEnd = (end + BoxMuller.SEGMENT - 1) >>> 10; s < sEnd; s++) {
      long base = s << 10;
      int lo = (int) (Math.max(firstIndex, base) - base);
      int hi = (int) (Math.min(end, base + BoxMuller.SEGMENT) - base);
      int at = off + (int) (base - firstIndex); // where local index 0 of the segment would go
      int jw0 = (lo + BoxMuller.RUN - 1) >>> 5;  // whole runs [jw0, jw1)
      int jw1 = hi >>> 5;
      boolean ragged = ((lo | hi) & (BoxMuller.RUN - 1)) != 0; // a run covered only in part
      float[] seeds = out;
      int p = at + BoxMuller.RUN * jw0;
      float[] scratch = out; // never written when no run is partial
      if (jw1 - jw0 < 2 || ragged) {
        scratch = SCRATCH.get();
        if (jw1 - jw0 < 2) { // no room for the seeds in the range
          seeds = scratch;
          p = 0;
        }
      }
      philoxPass(k0, k1, c1, c2, c3, s, s + 1, seeds, p);
      segmentPass(constants, scale, seeds, p, out, at, lo, hi, scratch);
      if (ragged) {
        copyPartialRuns(scratch, out, at, lo, hi);
      }
    }
  }

  /**
   * Copies the part of the range in the first and the last run of the segment, where the range
   * covers them only in part, from {@code scratch[PARTIAL ...]} (where {@link #segmentPass} stored
   * them whole) to {@code out[at + lo .. at + hi)}.
   */
  private static void copyPartialRuns(float[] scratch, float[] out, int at, int lo, int hi) {
    int j0 = lo >>> 5;
    int j1 = (hi + BoxMuller.RUN - 1) >>> 5;
    if ((lo & (BoxMuller.RUN - 1)) != 0 || (j0 == j1 - 1 && (hi & (BoxMuller.RUN - 1)) != 0)) {
      int end = Math.min(hi, BoxMuller.RUN * (j0 + 1));
      System.arraycopy(scratch, PARTIAL + lo - BoxMuller.RUN * j0, out, at + lo, end - lo);
    }
    if (j1 - 1 > j0 && (hi & (BoxMuller.RUN - 1)) != 0) {
      int start = BoxMuller.RUN * (j1 - 1);
      System.arraycopy(scratch, PARTIAL + BoxMuller.RUN, out, at + start, hi - start);
    }
  }

  /**
   * Writes the Philox4x32-10 words of blocks [16 g0, 16 g1) of the stream as float bits to
   * {@code out[at ...]}: word {@code j} of block {@code 16 g + l} at
   * {@code at + 64 (g - g0) + 16 j + l}.
   */
  private static void philoxPass(int k0, int k1, int c1, int c2, int c3, long g0, long g1, float[] out, int at) {
    assert at >= 0 && at + ((g1 - g0) << 6) <= out.length;
    // Round 1 of words 0 and 1 does not depend on the block: x0' = hi(M1 c2) ^ c1 ^ k0, x1' = lo(M1 c2).
    long p = (c2 & MASK32) * M1;
    long r1x0 = (p >>> 32) ^ c1 ^ k0;
    long r1x1 = p;
    long r1x2 = c3 ^ k1;
    // Counter offsets of the halves: A holds blocks base + 0, 2, 4, ..., B base + 1, 3, 5, ...
    LongVector evenA = LongVector.zero(LS).addIndex(2);
    // Both factors of every product are written as (x & 0xFFFFFFFF) so that C2 emits one
    // vpmuludq (JDK-8341137); a plain broadcast multiplier gives a 64x64 multiply, 3x slower on AVX2.
    LongVector m0 = LongVector.broadcast(LS, M0).and(MASK32);
    LongVector m1 = LongVector.broadcast(LS, M1).and(MASK32);
    int i = at;
    for (long base = g0 << 4, baseEnd = g1 << 4; base < baseEnd; base += LANES) {
      // Round 1 (key k0, k1).
      LongVector ca = LongVector.broadcast(LS, base).add(evenA);
      LongVector p0 = ca.and(MASK32).mul(m0);
      LongVector p1 = ca.add(1L).and(MASK32).mul(m0);
      LongVector a0 = LongVector.broadcast(LS, r1x0);
      LongVector a1 = LongVector.broadcast(LS, r1x1);
      LongVector a2 = p0.lanewise(LSHR, 32).lanewise(XOR, r1x2);
      LongVector a3 = p0;
      LongVector b0 = a0;
      LongVector b1 = a1;
      LongVector b2 = p1.lanewise(LSHR, 32).lanewise(XOR, r1x2);
      LongVector b3 = p1;
      // Rounds 2..10, unrolled by hand: C2 does not unroll this loop fully, and unrolled it
      // runs twice as fast. The upper halves of the lanes hold garbage (sign extension, the
      // high product): only the low 32 bits are ever used (masked before every multiply and
      // when the words are packed).
      // round 2: key (k0 + 1 W0, k1 + 1 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 1 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 1 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 1 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 1 * W1);
      b1 = p1;
      b3 = p0;
      // round 3: key (k0 + 2 W0, k1 + 2 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 2 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 2 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 2 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 2 * W1);
      b1 = p1;
      b3 = p0;
      // round 4: key (k0 + 3 W0, k1 + 3 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 3 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 3 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 3 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 3 * W1);
      b1 = p1;
      b3 = p0;
      // round 5: key (k0 + 4 W0, k1 + 4 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 4 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 4 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 4 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 4 * W1);
      b1 = p1;
      b3 = p0;
      // round 6: key (k0 + 5 W0, k1 + 5 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 5 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 5 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 5 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 5 * W1);
      b1 = p1;
      b3 = p0;
      // round 7: key (k0 + 6 W0, k1 + 6 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 6 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 6 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 6 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 6 * W1);
      b1 = p1;
      b3 = p0;
      // round 8: key (k0 + 7 W0, k1 + 7 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 7 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 7 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 7 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 7 * W1);
      b1 = p1;
      b3 = p0;
      // round 9: key (k0 + 8 W0, k1 + 8 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 8 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 8 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 8 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 8 * W1);
      b1 = p1;
      b3 = p0;
      // round 10: key (k0 + 9 W0, k1 + 9 W1)
      p0 = a0.and(MASK32).mul(m0);
      p1 = a2.and(MASK32).mul(m1);
      a0 = p1.lanewise(LSHR, 32).lanewise(XOR, a1).lanewise(XOR, k0 + 9 * W0);
      a2 = p0.lanewise(LSHR, 32).lanewise(XOR, a3).lanewise(XOR, k1 + 9 * W1);
      a1 = p1;
      a3 = p0;
      p0 = b0.and(MASK32).mul(m0);
      p1 = b2.and(MASK32).mul(m1);
      b0 = p1.lanewise(LSHR, 32).lanewise(XOR, b1).lanewise(XOR, k0 + 9 * W0);
      b2 = p0.lanewise(LSHR, 32).lanewise(XOR, b3).lanewise(XOR, k1 + 9 * W1);
      b1 = p1;
      b3 = p0;
      // Pack: int lane 2k = A lane k (block base + 2k), int lane 2k + 1 = B lane k.
      int row = i + (int) (base & 15);
      a0.and(MASK32).or(b0.lanewise(LSHL, 32)).reinterpretAsFloats().intoArray(out, row);
      a1.and(MASK32).or(b1.lanewise(LSHL, 32)).reinterpretAsFloats().intoArray(out, row + 16);
      a2.and(MASK32).or(b2.lanewise(LSHL, 32)).reinterpretAsFloats().intoArray(out, row + 32);
      a3.and(MASK32).or(b3.lanewise(LSHL, 32)).reinterpretAsFloats().intoArray(out, row + 48);
      if ((base & 15) + LANES == 16) {
        i += 4 * BoxMuller.LANES;
      }
    }
  }

  /**
   * Runs the sixteen xoshiro128++ lanes of one segment, whose seeds {@link #philoxPass} wrote to
   * {@code seeds[p + 16 k + l]} (word k of lane l: inside the whole runs of the range when
   * {@code seeds == out}), and writes normals {@code lo .. hi} of the segment to
   * {@code out[at + lo .. at + hi)} (local index i at {@code at + i}), computed as
   * {@link BoxMuller} does. Runs that the range covers only in part are stored whole to
   * {@code scratch}: the first run of the segment at {@code PARTIAL}, any other at
   * {@code PARTIAL + 32} ({@link #copyPartialRuns} takes their part of the range from there).
   */
  private static void segmentPass(float[] k, float scale, float[] seeds, int p, float[] out, int at, int lo,
                  int hi, float[] scratch) {
    assert lo >= 0 && lo < hi && hi <= BoxMuller.SEGMENT && p >= 0 && p + 64 <= seeds.length
        && k.length == 11 * LANES;
    assert ((lo | hi) & (BoxMuller.RUN - 1)) == 0 || scratch.length >= PARTIAL + 64;
    int j0 = lo >>> 5;
    int j1 = (hi + BoxMuller.RUN - 1) >>> 5;
    int jw0 = (lo + BoxMuller.RUN - 1) >>> 5;
    int jw1 = hi >>> 5;
    boolean unitScale = scale == 1f;
    for (int h = 0; h < BoxMuller.LANES; h += LANES) {
      // The lanes h .. h + LANES - 1 only read and write their own columns of the runs, so the
      // seeds of the other lanes (in the same runs) survive until their turn.
      IntVector s0 = FloatVector.fromArray(FS, seeds, p + h).reinterpretAsInts();
      IntVector s1 = FloatVector.fromArray(FS, seeds, p + 16 + h).reinterpretAsInts();
      IntVector s2 = FloatVector.fromArray(FS, seeds, p + 32 + h).reinterpretAsInts();
      IntVector s3 = FloatVector.fromArray(FS, seeds, p + 48 + h).reinterpretAsInts();
      s0 = s0.lanewise(OR, 1, s0.or(s1).or(s2).or(s3).compare(EQ, 0)); // Xoshiro128PlusPlus.seedWord0
      for (int j = 0; j < j0; j++) {
        // Pairs before the range: two steps each, no transform.
        IntVector t = s1.lanewise(LSHL, 9);
        s2 = s2.lanewise(XOR, s0);
        s3 = s3.lanewise(XOR, s1);
        s1 = s1.lanewise(XOR, s2);
        s0 = s0.lanewise(XOR, s3);
        s2 = s2.lanewise(XOR, t);
        s3 = s3.lanewise(ROL, 11);
        t = s1.lanewise(LSHL, 9);
        s2 = s2.lanewise(XOR, s0);
        s3 = s3.lanewise(XOR, s1);
        s1 = s1.lanewise(XOR, s2);
        s0 = s0.lanewise(XOR, s3);
        s2 = s2.lanewise(XOR, t);
        s3 = s3.lanewise(ROL, 11);
      }
      for (int j = j0; j < j1; j++) {
        // ---- two xoshiro128++ steps: radius word a, angle word b (Xoshiro128PlusPlus) ----
        IntVector a = s0.add(s3).lanewise(ROL, 7).add(s0);
        IntVector t = s1.lanewise(LSHL, 9);
        s2 = s2.lanewise(XOR, s0);
        s3 = s3.lanewise(XOR, s1);
        s1 = s1.lanewise(XOR, s2);
        s0 = s0.lanewise(XOR, s3);
        s2 = s2.lanewise(XOR, t);
        s3 = s3.lanewise(ROL, 11);
        IntVector b = s0.add(s3).lanewise(ROL, 7).add(s0);
        t = s1.lanewise(LSHL, 9);
        s2 = s2.lanewise(XOR, s0);
        s3 = s3.lanewise(XOR, s1);
        s1 = s1.lanewise(XOR, s2);
        s0 = s0.lanewise(XOR, s3);
        s2 = s2.lanewise(XOR, t);
        s3 = s3.lanewise(ROL, 11);
        // ---- radius: scale * sqrt(-2 ln U), as BoxMuller.radiusSquared ----
        FloatVector v = a.lanewise(LSHR, 1).convert(I2F, 0).reinterpretAsFloats().add(FloatVector.fromArray(FS, k, C_HALF));
        IntVector ix = v.reinterpretAsInts().sub(BoxMuller.SQRT_HALF_BITS_31);
        FloatVector kf = ix.lanewise(ASHR, 23).convert(I2F, 0).reinterpretAsFloats();
        FloatVector u = ix.and(BoxMuller.MANTISSA_MASK).add(BoxMuller.SQRT_HALF_BITS).reinterpretAsFloats()
            .fma(FloatVector.fromArray(FS, k, C_MINUS_TWO), FloatVector.broadcast(FS, 2f));
        FloatVector u2 = u.mul(u);
        FloatVector e0 = u.fma(FloatVector.fromArray(FS, k, C_M1), FloatVector.broadcast(FS, BoxMuller.M0));
        FloatVector e1 = u.fma(FloatVector.fromArray(FS, k, C_M3), FloatVector.broadcast(FS, BoxMuller.M2));
        FloatVector e2 = u.fma(FloatVector.fromArray(FS, k, C_M5), FloatVector.broadcast(FS, BoxMuller.M4));
        FloatVector e3 = u.fma(FloatVector.fromArray(FS, k, C_M7), FloatVector.broadcast(FS, BoxMuller.M6));
        FloatVector u4 = u2.mul(u2);
        e0 = u2.fma(e1, e0);
        e2 = u2.fma(e3, e2);
        FloatVector q = u4.fma(e2, e0);
        FloatVector rf = kf.fma(FloatVector.fromArray(FS, k, C_NEG_TWO_LN2), u2.fma(q, u)).sqrt();
        if (!unitScale) { // loop-invariant: C2 unswitches the loop; multiplying by 1 is exact
          rf = rf.mul(scale);
        }
        IntVector r = rf.reinterpretAsInts();
        // ---- angle: as BoxMuller.cosPart and sinPart; signs from bit 0 of a and of b ----
        FloatVector xf = b.lanewise(ASHR, 8).convert(I2F, 0).reinterpretAsFloats();
        FloatVector x = xf.mul(FloatVector.fromArray(FS, k, C_X_SCALE));
        FloatVector y2 = x.mul(x);
        FloatVector sp = y2.fma(FloatVector.fromArray(FS, k, C_T7), FloatVector.broadcast(FS, BoxMuller.T5));
        sp = y2.lanewise(FMA, sp, BoxMuller.T3);
        sp = y2.lanewise(FMA, sp, BoxMuller.T1);
        FloatVector cp = y2.fma(FloatVector.fromArray(FS, k, C_D6), FloatVector.broadcast(FS, BoxMuller.D4));
        cp = y2.lanewise(FMA, cp, BoxMuller.D2);
        cp = y2.lanewise(FMA, cp, BoxMuller.D0);
        FloatVector zc = xf.mul(FloatVector.fromArray(FS, k, C_MINUS_X_SCALE)).lanewise(FMA, sp, cp)
            .mul(r.lanewise(XOR, a.lanewise(LSHL, 31)).reinterpretAsFloats());
        FloatVector zs = x.lanewise(FMA, sp, cp)
            .mul(r.lanewise(XOR, b.lanewise(LSHL, 31)).reinterpretAsFloats());
        // A whole run goes to its place, a partial one whole to the scratch: two plain stores
        // either way (a masked store here is a call C2 may not inline, and boxes the vectors).
        boolean whole = j >= jw0 && j < jw1;
        float[] dst = whole ? out : scratch;
        int d = (whole ? at + 32 * j : j == j0 ? PARTIAL : PARTIAL + BoxMuller.RUN) + h; // lane h's z_c
        zc.intoArray(dst, d);
        zs.intoArray(dst, d + 16);
      }
    }
  }
}
