package org.finwidth.vector.panama;

import java.util.Objects;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.FMA;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.XOR;
import static org.finwidth.random.Philox4x32.W0;
import static org.finwidth.random.Philox4x32.W1;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.Philox4x32;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.NormalKernels;
import org.finwidth.vector.ScalarNormalKernels;

/**
 * {@link NormalKernels} on the Vector API: Philox4x32-10 over vector lanes (one counter block
 * per int lane) and the float Box–Muller transform of {@link BoxMuller} with the same operations
 * in the same order, so that the output is bitwise that of the scalar reference.
 *
 * <p>Whole groups of {@value BoxMuller#GROUP} normals run in two passes over the destination:
 * the first writes the Philox words (as float bits) where the layout puts the normals they make,
 * the second turns each pair of rows (radius words, angle words) into normals in place. (One
 * fused pass is too large for C1 and C2: it ran 1000 times slower, boxed.) The partial groups at
 * the ends of an unaligned range are computed whole in the space of the first whole group and
 * copied out; a range that holds no whole group (fewer than 127 normals) is left to
 * {@link ScalarNormalKernels}: same bits, about 10 times slower per normal.
 *
 * <p>The 32x32→64-bit Philox products are computed on 64-bit lanes holding zero-extended words:
 * the blocks of a sub-group are split into even ones (half A) and odd ones (half B), and word
 * {@code j} of the sub-group is {@code (A_j & 0xFFFFFFFF) | (B_j << 32)} seen as int lanes, so
 * lane {@code i} holds block {@code base + i} without a shuffle. A sub-group is one int vector
 * of blocks (8 with AVX2, 16 with AVX-512); vectors wider than 512 bits are not used, because a
 * group of the layout has 16 blocks.
 */
public final class PanamaNormalKernels implements NormalKernels {

  private static final VectorShape SHAPE = VectorShape.preferredShape().vectorBitSize() > 512
      ? VectorShape.S_512_BIT : VectorShape.preferredShape();
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
  /** Blocks per sub-group = int lanes; divides 16. */
  private static final int LANES = IS.length();
  private static final long MASK32 = 0xFFFF_FFFFL;
  private static final long M0 = Philox4x32.M0 & MASK32;
  private static final long M1 = Philox4x32.M1 & MASK32;
  private static final NormalKernels EDGES = ScalarNormalKernels.INSTANCE;

  /**
   * Creates the (stateless) Panama kernels.
   *
   * @throws IllegalStateException if the vector shape has fewer than 2 int lanes
   */
  public PanamaNormalKernels() {
    if (LANES < 2 || BoxMuller.GROUP_BLOCKS % LANES != 0) {
      throw new IllegalStateException("unsupported vector shape " + SHAPE + " (" + LANES + " int lanes)");
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
    long end = firstIndex + len;
    long g0 = (firstIndex + BoxMuller.GROUP - 1) >>> 6; // first whole group
    long g1 = end >>> 6;                                 // end of the whole groups
    if (g0 >= g1) {
      EDGES.fill(seed, network, layer, purpose, firstIndex, scale, out, off, len);
      return;
    }
    int head = (int) ((g0 << 6) - firstIndex);
    int body = (int) ((g1 - g0) << 6);
    int tail = len - head - body;
    int at = off + head;
    int k0 = RandomStreams.key0(seed);
    int k1 = RandomStreams.key1(seed);
    int c1 = RandomStreams.counter1(layer, purpose);
    int c2 = RandomStreams.counter2(network);
    int c3 = RandomStreams.counter3(network);
    // The partial groups at the ends are computed whole in the space of the first whole group
    // (overwritten afterwards), and the part that was asked for is copied out.
    if (head > 0) {
      philoxPass(k0, k1, c1, c2, c3, g0 - 1, g0, out, at);
      boxMullerPass(scale, out, at, BoxMuller.GROUP);
      System.arraycopy(out, at + BoxMuller.GROUP - head, out, off, head);
    }
    if (tail > 0) {
      philoxPass(k0, k1, c1, c2, c3, g1, g1 + 1, out, at);
      boxMullerPass(scale, out, at, BoxMuller.GROUP);
      System.arraycopy(out, at, out, at + body, tail);
    }
    philoxPass(k0, k1, c1, c2, c3, g0, g1, out, at);
    boxMullerPass(scale, out, at, body);
  }

  /**
   * Writes the Philox words of groups [g0, g1) as float bits to {@code out[at ...]}: word
   * {@code j} of block {@code 16 g + l} at {@code at + 64 (g - g0) + 16 j + l}.
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
        i += BoxMuller.GROUP;
      }
    }
  }

  /**
   * Turns {@code out[at .. at+n)} (n a multiple of 64) from Philox words into normals, in place:
   * each run of 32 holds 16 radius words then 16 angle words and becomes 16 (scale R) cos theta
   * then 16 (scale R) sin theta, computed as {@link BoxMuller} does.
   */
  private static void boxMullerPass(float scale, float[] out, int at, int n) {
    assert (n & 63) == 0 && at >= 0 && at + n <= out.length;
    for (int i = at, iEnd = at + n; i < iEnd; i += 32) {
      for (int h = 0; h < 16; h += LANES) {
        IntVector wr = FloatVector.fromArray(FS, out, i + h).reinterpretAsInts();
        IntVector wa = FloatVector.fromArray(FS, out, i + 16 + h).reinterpretAsInts();
        // ---- radius: R = scale * sqrt(-2 ln U), as BoxMuller.radiusSquared ----
        FloatVector u = wr.lanewise(LSHR, 1).convert(I2F, 0).reinterpretAsFloats()
            .fma(BoxMuller.U_SCALE, BoxMuller.U_OFFSET);
        IntVector ix = u.reinterpretAsInts().sub(BoxMuller.SQRT_HALF_BITS);
        FloatVector kf = ix.lanewise(ASHR, 23).convert(I2F, 0).reinterpretAsFloats();
        FloatVector x = ix.and(BoxMuller.MANTISSA_MASK).add(BoxMuller.SQRT_HALF_BITS)
            .reinterpretAsFloats().sub(1f);
        FloatVector x2 = x.mul(x);
        FloatVector q = x.fma(BoxMuller.L7, BoxMuller.L6);
        q = x.lanewise(FMA, q, BoxMuller.L5);
        q = x.lanewise(FMA, q, BoxMuller.L4);
        q = x.lanewise(FMA, q, BoxMuller.L3);
        q = x.lanewise(FMA, q, BoxMuller.L2);
        q = x.lanewise(FMA, q, BoxMuller.L1);
        q = x.lanewise(FMA, q, BoxMuller.L0);
        FloatVector t = x2.fma(q, x.mul(-2f));
        FloatVector r2 = kf.lanewise(FMA, BoxMuller.NEG_TWO_LN2_LO, t);
        r2 = kf.lanewise(FMA, BoxMuller.NEG_TWO_LN2_HI, r2);
        FloatVector r = r2.sqrt().mul(scale);
        // ---- angle: as BoxMuller.cosTurn and sinTurn ----
        IntVector v = wa.add(BoxMuller.HALF_QUADRANT);
        FloatVector y = wa.lanewise(LSHL, 2).lanewise(ASHR, 2).convert(I2F, 0).reinterpretAsFloats()
            .mul(BoxMuller.X_SCALE);
        FloatVector y2 = y.mul(y);
        FloatVector sp = y2.fma(BoxMuller.S7, BoxMuller.S5);
        sp = y2.lanewise(FMA, sp, BoxMuller.S3);
        sp = y2.lanewise(FMA, sp, BoxMuller.S1);
        IntVector sinBits = y.mul(sp).reinterpretAsInts();
        FloatVector cp = y2.fma(BoxMuller.C8, BoxMuller.C6);
        cp = y2.lanewise(FMA, cp, BoxMuller.C4);
        cp = y2.lanewise(FMA, cp, BoxMuller.C2);
        IntVector cosBits = y2.lanewise(FMA, cp, 1f).reinterpretAsInts();
        // Odd quadrants swap sin and cos; the signs are bits of v (see BoxMuller.cosTurn).
        VectorMask<Integer> swap = v.and(0x4000_0000).compare(NE, 0);
        cosBits.blend(sinBits, swap).lanewise(XOR, v.add(0x4000_0000).and(0x8000_0000))
            .reinterpretAsFloats().mul(r).intoArray(out, i + h);
        sinBits.blend(cosBits, swap).lanewise(XOR, v.and(0x8000_0000))
            .reinterpretAsFloats().mul(r).intoArray(out, i + 16 + h);
      }
    }
  }
}
