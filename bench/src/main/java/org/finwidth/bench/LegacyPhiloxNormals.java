package org.finwidth.bench;

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

import org.finwidth.random.Philox4x32;
import org.finwidth.random.RandomStreams;

/**
 * The engine's previous normal generator, kept in the benchmarks as the "before" of
 * bench/README.md (commit 50f4c9a..2c2dfc7 of core, verbatim but for the unaligned ends): every
 * normal from its own 32-bit word of the counter-based Philox4x32-10, two passes over the row
 * (Philox words, then a float Box–Muller with an octant reduction and quadrant swaps). Only whole
 * groups of 64 normals (rows starting at a multiple of 64, lengths a multiple of 64).
 */
final class LegacyPhiloxNormals {

  private static final VectorShape SHAPE = VectorShape.preferredShape().vectorBitSize() > 512
      ? VectorShape.S_512_BIT : VectorShape.preferredShape();
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final int LANES = IS.length();
  private static final int GROUP = 64;
  private static final long MASK32 = 0xFFFF_FFFFL;
  private static final long M0 = Philox4x32.M0 & MASK32;
  private static final long M1 = Philox4x32.M1 & MASK32;
  private static final float U_SCALE = 0x1p-31f;
  private static final float U_OFFSET = 0x1p-32f;
  private static final int SQRT_HALF_BITS = 0x3f3504f3;
  private static final int MANTISSA_MASK = 0x007fffff;
  private static final float L0 = -2f * -0.4999999f;
  private static final float L1 = -2f * 0.3333395f;
  private static final float L2 = -2f * -0.25001755f;
  private static final float L3 = -2f * 0.19962072f;
  private static final float L4 = -2f * -0.16570508f;
  private static final float L5 = -2f * 0.14917974f;
  private static final float L6 = -2f * -0.14307518f;
  private static final float L7 = -2f * 0.087348364f;
  private static final float NEG_TWO_LN2_HI = -1.3862944f;
  private static final float NEG_TWO_LN2_LO = (float) (-1.3862943611198906 - (double) NEG_TWO_LN2_HI);
  private static final int HALF_QUADRANT = 0x2000_0000;
  private static final float X_SCALE = 0x1p-29f;
  private static final float S1 = 0.7853982f;
  private static final float S3 = -0.080745436f;
  private static final float S5 = 0.002490001f;
  private static final float S7 = -3.5950477e-05f;
  private static final float C2 = -0.30842513f;
  private static final float C4 = 0.015854327f;
  private static final float C6 = -0.00032594008f;
  private static final float C8 = 3.530338e-06f;

  private LegacyPhiloxNormals() {
  }

  /** Normals {@code firstIndex .. firstIndex + len} (both multiples of 64) of the old definition. */
  static void fill(long seed, long network, int layer, int purpose, long firstIndex, float scale, float[] out,
           int off, int len) {
    if ((firstIndex & 63) != 0 || (len & 63) != 0) {
      throw new IllegalArgumentException("whole groups of 64 only: " + firstIndex + ", " + len);
    }
    java.util.Objects.checkFromIndexSize(off, len, out.length);
    philoxPass(RandomStreams.key0(seed), RandomStreams.key1(seed), RandomStreams.counter1(layer, purpose),
        RandomStreams.counter2(network), RandomStreams.counter3(network), firstIndex >>> 6,
        (firstIndex + len) >>> 6, out, off);
    boxMullerPass(scale, out, off, len);
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
        i += GROUP;
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
        // ---- radius: R = scale * sqrt(-2 ln U), as radiusSquared ----
        FloatVector u = wr.lanewise(LSHR, 1).convert(I2F, 0).reinterpretAsFloats()
            .fma(U_SCALE, U_OFFSET);
        IntVector ix = u.reinterpretAsInts().sub(SQRT_HALF_BITS);
        FloatVector kf = ix.lanewise(ASHR, 23).convert(I2F, 0).reinterpretAsFloats();
        FloatVector x = ix.and(MANTISSA_MASK).add(SQRT_HALF_BITS)
            .reinterpretAsFloats().sub(1f);
        FloatVector x2 = x.mul(x);
        FloatVector q = x.fma(L7, L6);
        q = x.lanewise(FMA, q, L5);
        q = x.lanewise(FMA, q, L4);
        q = x.lanewise(FMA, q, L3);
        q = x.lanewise(FMA, q, L2);
        q = x.lanewise(FMA, q, L1);
        q = x.lanewise(FMA, q, L0);
        FloatVector t = x2.fma(q, x.mul(-2f));
        FloatVector r2 = kf.lanewise(FMA, NEG_TWO_LN2_LO, t);
        r2 = kf.lanewise(FMA, NEG_TWO_LN2_HI, r2);
        FloatVector r = r2.sqrt().mul(scale);
        // ---- angle: as cosTurn and sinTurn ----
        IntVector v = wa.add(HALF_QUADRANT);
        FloatVector y = wa.lanewise(LSHL, 2).lanewise(ASHR, 2).convert(I2F, 0).reinterpretAsFloats()
            .mul(X_SCALE);
        FloatVector y2 = y.mul(y);
        FloatVector sp = y2.fma(S7, S5);
        sp = y2.lanewise(FMA, sp, S3);
        sp = y2.lanewise(FMA, sp, S1);
        IntVector sinBits = y.mul(sp).reinterpretAsInts();
        FloatVector cp = y2.fma(C8, C6);
        cp = y2.lanewise(FMA, cp, C4);
        cp = y2.lanewise(FMA, cp, C2);
        IntVector cosBits = y2.lanewise(FMA, cp, 1f).reinterpretAsInts();
        // Odd quadrants swap sin and cos; the signs are bits of v (see cosTurn).
        VectorMask<Integer> swap = v.and(0x4000_0000).compare(NE, 0);
        cosBits.blend(sinBits, swap).lanewise(XOR, v.add(0x4000_0000).and(0x8000_0000))
            .reinterpretAsFloats().mul(r).intoArray(out, i + h);
        sinBits.blend(cosBits, swap).lanewise(XOR, v.and(0x8000_0000))
            .reinterpretAsFloats().mul(r).intoArray(out, i + 16 + h);
      }
    }
  }
}
