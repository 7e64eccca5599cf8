package org.finwidth.vector.panama;

import java.util.Arrays;
import java.util.Objects;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import org.finwidth.random.RandomStreams;
import org.finwidth.vector.LayerChecks;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;
import org.finwidth.vector.PairIndex;

/**
 * {@link LayerKernels} on the Vector API, bitwise equal to the scalar reference
 * ({@code ScalarLayerKernels}).
 *
 * <p>The kernels run on 256-bit vectors (8 floats, 4 doubles) whatever the machine's preferred
 * width: the fixed summation orders of the interface (16 float partials, 16 double partials) are
 * then two or four accumulators per sum, and the kernels are small enough that AVX-512 would add
 * little (the weights layer is bound by generating its normals, docs/performance.md). The
 * exception is the Gram kernel with a work array, the conditional sampler's largest cost after its
 * normals for several inputs: on 512-bit machines it keeps the 16 partials in two 8-lane vectors
 * (the same partials, so the same bits), sums the pairs of four rows by four rows at once
 * (register tiles: half a load per FMA) and halves the partials of 8 pairs with shared vector
 * additions; and the conditional transform, element-wise, which runs on 16-lane vectors there,
 * four rows at a time (docs/performance.md, the conditional sampler's layer kernels).
 *
 * <p>Weights layer: a block of normals is generated into the work array by
 * {@link PanamaNormalKernels} (L1-resident), then each complete row is dotted with up to four
 * inputs at a time (the row is loaded once for the four; eight accumulators and the two row
 * vectors fit the 16 AVX2 registers). The normals cost about 30 times the multiply-adds that use
 * them, so generating them into a buffer instead of registers costs little (measured in
 * bench/README.md, LayerBenchmark).
 */
public final class PanamaLayerKernels implements LayerKernels {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> H = FloatVector.SPECIES_128;
  private static final int FL = 8;
  private static final int DL = 4;

  private final NormalKernels normals;

  /** Layer kernels over the Panama normals (tests and benchmarks; the engine takes them from the provider). */
  public PanamaLayerKernels() {
    this(new PanamaNormalKernels());
  }

  PanamaLayerKernels(NormalKernels normals) {
    this.normals = Objects.requireNonNull(normals, "normals");
    if (F.length() != FL || D.length() != DL || FLOAT_PARTIALS != 2 * FL || DOUBLE_PARTIALS != 4 * DL) {
      throw new IllegalStateException("unexpected species " + F + ", " + D);
    }
  }

  @Override
  public String name() {
    return "panama";
  }

  // ---- weights layer ----------------------------------------------------------------------

  @Override
  public void weightsLayer(long seed, long network, int layer, float[][] h, int d, int m,
      float weightScale, float biasScale, float[][] z, int n, float[] work) {
    LayerChecks.weights(layer, h, d, m, weightScale, biasScale, z, n, work);
    int bias = work.length - n;
    if (biasScale != 0) {
      normals.fill(seed, network, layer, RandomStreams.BIASES, 0, biasScale, work, bias, n);
    } else {
      Arrays.fill(work, bias, bias + n, 0f);
    }
    // The inputs, zero-padded to a multiple of 16 after the normals' block (and its 16 floats of
    // slack): a padded product g·0 adds ±0 to a partial sum, which never changes it (a partial is
    // never -0), so the loops need no masks. Masked tails made the kernels too large for C1
    // ("out of virtual registers") and C2 (boxed vectors).
    int block = LayerKernels.weightsBlock(m);
    int mPad = (m + FLOAT_PARTIALS - 1) & -FLOAT_PARTIALS;
    int xs = m - 1 + block + FLOAT_PARTIALS;
    for (int a = 0; a < d; a++) {
      System.arraycopy(h[a], 0, work, xs + a * mPad, m);
      Arrays.fill(work, xs + a * mPad + m, xs + (a + 1) * mPad, 0f);
    }
    // work[0 .. have) holds normals i*m .. i*m + have of the stream; blocks start on segments.
    long total = (long) n * m;
    long next = 0;
    int have = 0;
    for (int i0 = 0; i0 < n;) {
      int len = (int) Math.min(block, total - next);
      normals.fill(seed, network, layer, RandomStreams.WEIGHTS, next, 1f, work, have, len);
      next += len;
      have += len;
      // A row's padded tail reads up to 15 floats past the block: make them finite.
      Arrays.fill(work, have, have + FLOAT_PARTIALS, 0f);
      int i1 = i0 + Math.min(have / m, n - i0);
      int a = 0;
      for (; a + 4 <= d; a += 4) {
        rows4(work, m, mPad, i0, i1, xs + a * mPad, z[a], z[a + 1], z[a + 2], z[a + 3], weightScale, bias);
      }
      if (d - a >= 2) {
        rows2(work, m, mPad, i0, i1, xs + a * mPad, z[a], z[a + 1], weightScale, bias);
        a += 2;
      }
      if (d - a == 1) {
        rows1(work, m, mPad, i0, i1, xs + a * mPad, z[a], weightScale, bias);
      }
      int used = (i1 - i0) * m;
      have -= used;
      System.arraycopy(work, used, work, 0, have); // the started row: fewer than m normals
      i0 = i1;
    }
  }

  // The row kernels below are written flat (the halving of the 16 partials inline, no helper
  // calls, no masks): C2 then keeps every vector in a register (docs/performance.md, trap 3).
  // Partial k < 8 is lane k of the first accumulator of an input, partial 8 + k lane k of the
  // second; the halving is h = 8 (the two accumulators), then 4, 2, 1 within the vector.

  /**
   * Rows i0..i1 (row r at w[(r - i0) m ..]) dotted with one padded input at w[x ..], four rows at
   * a time, then two, then one: eight independent FMA chains (with four, the chains' 4-cycle
   * latency bounded the dot at one FMA per cycle, about 3 µs of a 256 x 256 layer's 60) and each
   * input vector loaded once for the four rows.
   */
  private static void rows1(float[] w, int m, int mPad, int i0, int i1, int x, float[] z0, float ws, int bo) {
    int i = i0;
    int row = 0;
    // Four rows at a time: eight FMA chains, enough to keep both FMA pipes busy (the latency is
    // 4 cycles); 8 accumulators + 2 input vectors, the row vectors as memory operands.
    for (; i + 3 < i1; i += 4, row += 4 * m) {
      int row2 = row + m;
      int row3 = row2 + m;
      int row4 = row3 + m;
      FloatVector a0 = FloatVector.zero(F);
      FloatVector a1 = FloatVector.zero(F);
      FloatVector b0 = FloatVector.zero(F);
      FloatVector b1 = FloatVector.zero(F);
      FloatVector c0 = FloatVector.zero(F);
      FloatVector c1 = FloatVector.zero(F);
      FloatVector e0 = FloatVector.zero(F);
      FloatVector e1 = FloatVector.zero(F);
      for (int j = 0; j < mPad; j += 16) {
        FloatVector x0 = FloatVector.fromArray(F, w, x + j);
        FloatVector x1 = FloatVector.fromArray(F, w, x + j + FL);
        a0 = FloatVector.fromArray(F, w, row + j).fma(x0, a0);
        a1 = FloatVector.fromArray(F, w, row + j + FL).fma(x1, a1);
        b0 = FloatVector.fromArray(F, w, row2 + j).fma(x0, b0);
        b1 = FloatVector.fromArray(F, w, row2 + j + FL).fma(x1, b1);
        c0 = FloatVector.fromArray(F, w, row3 + j).fma(x0, c0);
        c1 = FloatVector.fromArray(F, w, row3 + j + FL).fma(x1, c1);
        e0 = FloatVector.fromArray(F, w, row4 + j).fma(x0, e0);
        e1 = FloatVector.fromArray(F, w, row4 + j + FL).fma(x1, e1);
      }
      FloatVector r = a0.add(a1);
      r = r.add(r.slice(4));
      r = r.add(r.slice(2));
      r = r.add(r.slice(1));
      z0[i] = Math.fma(ws, r.lane(0), w[bo + i]);
      FloatVector t = b0.add(b1);
      t = t.add(t.slice(4));
      t = t.add(t.slice(2));
      t = t.add(t.slice(1));
      z0[i + 1] = Math.fma(ws, t.lane(0), w[bo + i + 1]);
      FloatVector u = c0.add(c1);
      u = u.add(u.slice(4));
      u = u.add(u.slice(2));
      u = u.add(u.slice(1));
      z0[i + 2] = Math.fma(ws, u.lane(0), w[bo + i + 2]);
      FloatVector v = e0.add(e1);
      v = v.add(v.slice(4));
      v = v.add(v.slice(2));
      v = v.add(v.slice(1));
      z0[i + 3] = Math.fma(ws, v.lane(0), w[bo + i + 3]);
    }
    for (; i + 1 < i1; i += 2, row += 2 * m) {
      int row2 = row + m;
      FloatVector a0 = FloatVector.zero(F);
      FloatVector a1 = FloatVector.zero(F);
      FloatVector b0 = FloatVector.zero(F);
      FloatVector b1 = FloatVector.zero(F);
      for (int j = 0; j < mPad; j += 16) {
        FloatVector x0 = FloatVector.fromArray(F, w, x + j);
        FloatVector x1 = FloatVector.fromArray(F, w, x + j + FL);
        a0 = FloatVector.fromArray(F, w, row + j).fma(x0, a0);
        a1 = FloatVector.fromArray(F, w, row + j + FL).fma(x1, a1);
        b0 = FloatVector.fromArray(F, w, row2 + j).fma(x0, b0);
        b1 = FloatVector.fromArray(F, w, row2 + j + FL).fma(x1, b1);
      }
      FloatVector r = a0.add(a1);
      r = r.add(r.slice(4));
      r = r.add(r.slice(2));
      r = r.add(r.slice(1));
      z0[i] = Math.fma(ws, r.lane(0), w[bo + i]);
      FloatVector t = b0.add(b1);
      t = t.add(t.slice(4));
      t = t.add(t.slice(2));
      t = t.add(t.slice(1));
      z0[i + 1] = Math.fma(ws, t.lane(0), w[bo + i + 1]);
    }
    if (i < i1) {
      FloatVector a0 = FloatVector.zero(F);
      FloatVector a1 = FloatVector.zero(F);
      for (int j = 0; j < mPad; j += 16) {
        a0 = FloatVector.fromArray(F, w, row + j).fma(FloatVector.fromArray(F, w, x + j), a0);
        a1 = FloatVector.fromArray(F, w, row + j + FL).fma(FloatVector.fromArray(F, w, x + j + FL), a1);
      }
      FloatVector r = a0.add(a1);
      r = r.add(r.slice(4));
      r = r.add(r.slice(2));
      r = r.add(r.slice(1));
      z0[i] = Math.fma(ws, r.lane(0), w[bo + i]);
    }
  }

  /** Rows i0..i1 dotted with two padded inputs at w[x ..] and w[x + mPad ..] (each row vector loaded once). */
  private static void rows2(float[] w, int m, int mPad, int i0, int i1, int x, float[] z0, float[] z1, float ws,
      int bo) {
    int x1 = x + mPad;
    for (int i = i0, row = 0; i < i1; i++, row += m) {
      FloatVector a0 = FloatVector.zero(F);
      FloatVector a1 = FloatVector.zero(F);
      FloatVector c0 = FloatVector.zero(F);
      FloatVector c1 = FloatVector.zero(F);
      for (int j = 0; j < mPad; j += 16) {
        FloatVector g0 = FloatVector.fromArray(F, w, row + j);
        FloatVector g1 = FloatVector.fromArray(F, w, row + j + FL);
        a0 = g0.fma(FloatVector.fromArray(F, w, x + j), a0);
        a1 = g1.fma(FloatVector.fromArray(F, w, x + j + FL), a1);
        c0 = g0.fma(FloatVector.fromArray(F, w, x1 + j), c0);
        c1 = g1.fma(FloatVector.fromArray(F, w, x1 + j + FL), c1);
      }
      float bi = w[bo + i];
      FloatVector r = a0.add(a1);
      r = r.add(r.slice(4));
      r = r.add(r.slice(2));
      r = r.add(r.slice(1));
      z0[i] = Math.fma(ws, r.lane(0), bi);
      FloatVector t = c0.add(c1);
      t = t.add(t.slice(4));
      t = t.add(t.slice(2));
      t = t.add(t.slice(1));
      z1[i] = Math.fma(ws, t.lane(0), bi);
    }
  }

  /** Rows i0..i1 dotted with four padded inputs: 8 accumulators + 2 row vectors + 1 input vector. */
  private static void rows4(float[] w, int m, int mPad, int i0, int i1, int x, float[] z0, float[] z1, float[] z2,
      float[] z3, float ws, int bo) {
    int x1 = x + mPad;
    int x2 = x1 + mPad;
    int x3 = x2 + mPad;
    for (int i = i0, row = 0; i < i1; i++, row += m) {
      FloatVector a0 = FloatVector.zero(F);
      FloatVector a1 = FloatVector.zero(F);
      FloatVector c0 = FloatVector.zero(F);
      FloatVector c1 = FloatVector.zero(F);
      FloatVector e0 = FloatVector.zero(F);
      FloatVector e1 = FloatVector.zero(F);
      FloatVector f0 = FloatVector.zero(F);
      FloatVector f1 = FloatVector.zero(F);
      for (int j = 0; j < mPad; j += 16) {
        FloatVector g0 = FloatVector.fromArray(F, w, row + j);
        FloatVector g1 = FloatVector.fromArray(F, w, row + j + FL);
        a0 = g0.fma(FloatVector.fromArray(F, w, x + j), a0);
        a1 = g1.fma(FloatVector.fromArray(F, w, x + j + FL), a1);
        c0 = g0.fma(FloatVector.fromArray(F, w, x1 + j), c0);
        c1 = g1.fma(FloatVector.fromArray(F, w, x1 + j + FL), c1);
        e0 = g0.fma(FloatVector.fromArray(F, w, x2 + j), e0);
        e1 = g1.fma(FloatVector.fromArray(F, w, x2 + j + FL), e1);
        f0 = g0.fma(FloatVector.fromArray(F, w, x3 + j), f0);
        f1 = g1.fma(FloatVector.fromArray(F, w, x3 + j + FL), f1);
      }
      float bi = w[bo + i];
      FloatVector r = a0.add(a1);
      r = r.add(r.slice(4));
      r = r.add(r.slice(2));
      r = r.add(r.slice(1));
      z0[i] = Math.fma(ws, r.lane(0), bi);
      FloatVector s = c0.add(c1);
      s = s.add(s.slice(4));
      s = s.add(s.slice(2));
      s = s.add(s.slice(1));
      z1[i] = Math.fma(ws, s.lane(0), bi);
      FloatVector t = e0.add(e1);
      t = t.add(t.slice(4));
      t = t.add(t.slice(2));
      t = t.add(t.slice(1));
      z2[i] = Math.fma(ws, t.lane(0), bi);
      FloatVector u = f0.add(f1);
      u = u.add(u.slice(4));
      u = u.add(u.slice(2));
      u = u.add(u.slice(1));
      z3[i] = Math.fma(ws, u.lane(0), bi);
    }
  }

  // ---- conditional layer --------------------------------------------------------------------

  @Override
  public void conditionalTransform(float[] chol, int d, float[] g, int offset, int stride, float[][] z, int n) {
    LayerChecks.conditional(chol, d, g, offset, stride, z, n);
    if (WIDE) {
      conditionalWide(chol, d, g, offset, stride, z, n);
      return;
    }
    // Eight independent chains of 8 lanes (64 neurons) per row: the FMA latency, not the
    // throughput, bounded one chain per vector. Each element still sees t = c0·g_0, then
    // t = fma(g_b, c_b, t) for b = 1..a in order (the scalar reference's operations).
    int body64 = n & -64;
    int body = n & -FL;
    for (int a = 0; a < d; a++) {
      float[] za = z[a];
      int row = a * d;
      float c0 = chol[row];
      for (int i = 0; i < body64; i += 64) {
        int at = offset + i;
        FloatVector t0 = FloatVector.fromArray(F, g, at).mul(c0);
        FloatVector t1 = FloatVector.fromArray(F, g, at + 8).mul(c0);
        FloatVector t2 = FloatVector.fromArray(F, g, at + 16).mul(c0);
        FloatVector t3 = FloatVector.fromArray(F, g, at + 24).mul(c0);
        FloatVector t4 = FloatVector.fromArray(F, g, at + 32).mul(c0);
        FloatVector t5 = FloatVector.fromArray(F, g, at + 40).mul(c0);
        FloatVector t6 = FloatVector.fromArray(F, g, at + 48).mul(c0);
        FloatVector t7 = FloatVector.fromArray(F, g, at + 56).mul(c0);
        for (int b = 1; b <= a; b++) {
          FloatVector c = FloatVector.broadcast(F, chol[row + b]);
          int gb = at + b * stride;
          t0 = FloatVector.fromArray(F, g, gb).fma(c, t0);
          t1 = FloatVector.fromArray(F, g, gb + 8).fma(c, t1);
          t2 = FloatVector.fromArray(F, g, gb + 16).fma(c, t2);
          t3 = FloatVector.fromArray(F, g, gb + 24).fma(c, t3);
          t4 = FloatVector.fromArray(F, g, gb + 32).fma(c, t4);
          t5 = FloatVector.fromArray(F, g, gb + 40).fma(c, t5);
          t6 = FloatVector.fromArray(F, g, gb + 48).fma(c, t6);
          t7 = FloatVector.fromArray(F, g, gb + 56).fma(c, t7);
        }
        t0.intoArray(za, i);
        t1.intoArray(za, i + 8);
        t2.intoArray(za, i + 16);
        t3.intoArray(za, i + 24);
        t4.intoArray(za, i + 32);
        t5.intoArray(za, i + 40);
        t6.intoArray(za, i + 48);
        t7.intoArray(za, i + 56);
      }
      for (int i = body64; i < body; i += FL) {
        FloatVector t = FloatVector.fromArray(F, g, offset + i).mul(c0);
        for (int b = 1; b <= a; b++) {
          t = FloatVector.fromArray(F, g, offset + b * stride + i).fma(FloatVector.broadcast(F, chol[row + b]), t);
        }
        t.intoArray(za, i);
      }
      // Tail in scalar, the same operations element by element.
      for (int i = body; i < n; i++) {
        float t = c0 * g[offset + i];
        for (int b = 1; b <= a; b++) {
          t = Math.fma(chol[row + b], g[offset + b * stride + i], t);
        }
        za[i] = t;
      }
    }
  }

  /**
   * {@link #conditionalTransform} on 16-lane vectors (a 512-bit machine), the same operations per
   * element in the same order (element-wise, so the width does not change a bit): rows in blocks of
   * four, 32 neurons per step, each row vector of g loaded once for the four rows (eight chains;
   * the 8-lane loop, one load per FMA, ran at about half the machine's FMA rate). The rows after
   * the last whole block, and the last n mod 32 neurons of a block, one row at a time.
   */
  private static void conditionalWide(float[] chol, int d, float[] g, int offset, int stride, float[][] z, int n) {
    int body = n & -32;
    int a0 = 0;
    for (; a0 + 4 <= d; a0 += 4) {
      float[] z0 = z[a0];
      float[] z1 = z[a0 + 1];
      float[] z2 = z[a0 + 2];
      float[] z3 = z[a0 + 3];
      int r0 = a0 * d;
      int r1 = r0 + d;
      int r2 = r1 + d;
      int r3 = r2 + d;
      for (int i = 0; i < body; i += 32) {
        int at = offset + i;
        // b = 0: t = c_a0 g_0 for the four rows
        FloatVector g0 = FloatVector.fromArray(F16, g, at);
        FloatVector g1 = FloatVector.fromArray(F16, g, at + 16);
        float c = chol[r0];
        FloatVector t00 = g0.mul(c);
        FloatVector t01 = g1.mul(c);
        c = chol[r1];
        FloatVector t10 = g0.mul(c);
        FloatVector t11 = g1.mul(c);
        c = chol[r2];
        FloatVector t20 = g0.mul(c);
        FloatVector t21 = g1.mul(c);
        c = chol[r3];
        FloatVector t30 = g0.mul(c);
        FloatVector t31 = g1.mul(c);
        // b = 1 .. a0: every row of the block
        for (int b = 1; b <= a0; b++) {
          int gb = at + b * stride;
          g0 = FloatVector.fromArray(F16, g, gb);
          g1 = FloatVector.fromArray(F16, g, gb + 16);
          FloatVector c0 = FloatVector.broadcast(F16, chol[r0 + b]);
          t00 = g0.fma(c0, t00);
          t01 = g1.fma(c0, t01);
          FloatVector c1 = FloatVector.broadcast(F16, chol[r1 + b]);
          t10 = g0.fma(c1, t10);
          t11 = g1.fma(c1, t11);
          FloatVector c2 = FloatVector.broadcast(F16, chol[r2 + b]);
          t20 = g0.fma(c2, t20);
          t21 = g1.fma(c2, t21);
          FloatVector c3 = FloatVector.broadcast(F16, chol[r3 + b]);
          t30 = g0.fma(c3, t30);
          t31 = g1.fma(c3, t31);
        }
        // b = a0 + 1, a0 + 2, a0 + 3: the triangle of the block
        int gb = at + (a0 + 1) * stride;
        g0 = FloatVector.fromArray(F16, g, gb);
        g1 = FloatVector.fromArray(F16, g, gb + 16);
        FloatVector c1 = FloatVector.broadcast(F16, chol[r1 + a0 + 1]);
        t10 = g0.fma(c1, t10);
        t11 = g1.fma(c1, t11);
        FloatVector c2 = FloatVector.broadcast(F16, chol[r2 + a0 + 1]);
        t20 = g0.fma(c2, t20);
        t21 = g1.fma(c2, t21);
        FloatVector c3 = FloatVector.broadcast(F16, chol[r3 + a0 + 1]);
        t30 = g0.fma(c3, t30);
        t31 = g1.fma(c3, t31);
        gb += stride;
        g0 = FloatVector.fromArray(F16, g, gb);
        g1 = FloatVector.fromArray(F16, g, gb + 16);
        c2 = FloatVector.broadcast(F16, chol[r2 + a0 + 2]);
        t20 = g0.fma(c2, t20);
        t21 = g1.fma(c2, t21);
        c3 = FloatVector.broadcast(F16, chol[r3 + a0 + 2]);
        t30 = g0.fma(c3, t30);
        t31 = g1.fma(c3, t31);
        gb += stride;
        g0 = FloatVector.fromArray(F16, g, gb);
        g1 = FloatVector.fromArray(F16, g, gb + 16);
        c3 = FloatVector.broadcast(F16, chol[r3 + a0 + 3]);
        t30 = g0.fma(c3, t30);
        t31 = g1.fma(c3, t31);
        t00.intoArray(z0, i);
        t01.intoArray(z0, i + 16);
        t10.intoArray(z1, i);
        t11.intoArray(z1, i + 16);
        t20.intoArray(z2, i);
        t21.intoArray(z2, i + 16);
        t30.intoArray(z3, i);
        t31.intoArray(z3, i + 16);
      }
      if (body < n) {
        for (int a = a0; a < a0 + 4; a++) {
          conditionalRow(chol, d, g, offset, stride, z[a], a, body, n);
        }
      }
    }
    for (; a0 < d; a0++) {
      conditionalRow(chol, d, g, offset, stride, z[a0], a0, 0, n);
    }
  }

  /** Row a of {@link #conditionalWide} for neurons from .. n: 16 lanes, then scalar. */
  private static void conditionalRow(float[] chol, int d, float[] g, int offset, int stride, float[] za, int a,
      int from, int n) {
    int row = a * d;
    float c0 = chol[row];
    int i = from;
    for (int body = from + ((n - from) & -16); i < body; i += 16) {
      FloatVector t = FloatVector.fromArray(F16, g, offset + i).mul(c0);
      for (int b = 1; b <= a; b++) {
        t = FloatVector.fromArray(F16, g, offset + b * stride + i).fma(FloatVector.broadcast(F16, chol[row + b]), t);
      }
      t.intoArray(za, i);
    }
    for (; i < n; i++) {
      float t = c0 * g[offset + i];
      for (int b = 1; b <= a; b++) {
        t = Math.fma(chol[row + b], g[offset + b * stride + i], t);
      }
      za[i] = t;
    }
  }

  // ---- reductions in double -----------------------------------------------------------------

  // The fixed halving of 16 double partials held in four 4-lane vectors (partial 4q + k in lane k
  // of p_q): h = 8 pairs p0 + p2 and p1 + p3, h = 4 adds those two, h = 2 and 1 within the lanes.
  // Written inline where needed.

  @Override
  public void gram(float[][] h, int d, int n, double[] gram) {
    LayerChecks.rows(h, d, n);
    Objects.checkFromIndexSize(0, d * d, gram.length);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double s = pairSum(h[a], h[b], n);
        gram[a * d + b] = s;
        gram[b * d + a] = s;
      }
    }
  }

  /**
   * The Gram sums with the rows converted to double once (into {@code work}, zero-padded to a
   * multiple of 16: a zero product leaves a partial unchanged, a partial being never -0), then
   * the pairs of rows in blocks of four, a tile of 16 (or the 10 of a block with itself) per pass
   * over one lane group of the partials (each row vector loaded once for four pairs), and the rows
   * after the last whole block two pairs (a, b), (a, b+1) per pass. On
   * 512-bit machines the 16 partials of a pair are two 8-lane vectors, else four 4-lane ones: the
   * same partials in the same order, so the same bits as {@link #gram(float[][], int, int,
   * double[])} and the scalar reference.
   */
  @Override
  public void gram(float[][] h, int d, int n, double[] gram, double[] work) {
    LayerChecks.rows(h, d, n);
    Objects.checkFromIndexSize(0, d * d, gram.length);
    Objects.checkFromIndexSize(0, LayerKernels.gramWorkLength(d, n), work.length);
    if (d == 1) {
      gram[0] = pairSum(h[0], h[0], n); // one row: each element is converted once there already
      return;
    }
    int nPad = (n + DOUBLE_PARTIALS - 1) & -DOUBLE_PARTIALS;
    for (int a = 0; a < d; a++) {
      float[] x = h[a];
      int at = a * nPad;
      int i = 0;
      if (WIDE) {
        for (int body8 = n & -8; i < body8; i += 8) {
          ((DoubleVector) FloatVector.fromArray(F, x, i).convertShape(VectorOperators.F2D, D8, 0)).intoArray(work, at + i);
        }
      }
      for (int body = n & -DL; i < body; i += DL) {
        ((DoubleVector) FloatVector.fromArray(H, x, i).convertShape(VectorOperators.F2D, D, 0)).intoArray(work, at + i);
      }
      for (; i < n; i++) {
        work[at + i] = x[i];
      }
      Arrays.fill(work, at + n, at + nPad, 0.0);
    }
    int out = d * nPad;
    // Rows in blocks of four: the 16 pairs of two blocks (or the 10 of a block with itself) per
    // tile, one lane group of the 16 partials per pass (C2 keeps the 16 accumulators and the 8
    // row vectors in registers: half a load per FMA instead of one and a half).
    int blocks = d / 4;
    for (int ab = 0; ab < blocks; ab++) {
      int a0 = 4 * ab;
      for (int bb = 0; bb < ab; bb++) {
        int b0 = 4 * bb;
        for (int off = 0; off < DOUBLE_PARTIALS; off += LANES) {
          if (WIDE) {
            tile512(work, a0 * nPad, b0 * nPad, nPad, off, out);
          } else {
            tile256(work, a0 * nPad, b0 * nPad, nPad, off, out);
          }
        }
        if (WIDE) {
          halve8(work, out, out + HALVED);
          halve8(work, out + 8 * DOUBLE_PARTIALS, out + HALVED + 8);
          for (int k = 0; k < 4; k++) {
            for (int l = 0; l < 4; l++) {
              gram[(a0 + k) * d + b0 + l] = gram[(b0 + l) * d + a0 + k] = work[out + HALVED + 4 * k + l];
            }
          }
        } else {
          for (int k = 0; k < 4; k++) {
            for (int l = 0; l < 4; l++) {
              gram[(a0 + k) * d + b0 + l] = gram[(b0 + l) * d + a0 + k] = halveAt(work, out + (4 * k + l) * DOUBLE_PARTIALS);
            }
          }
        }
      }
      for (int off = 0; off < DOUBLE_PARTIALS; off += LANES) {
        if (WIDE) {
          diagonal512(work, a0 * nPad, nPad, off, out);
        } else {
          diagonal256(work, a0 * nPad, nPad, off, out);
        }
      }
      if (WIDE) {
        // pairs 10 .. 15 of the second call are stale partials: their sums are not used
        halve8(work, out, out + HALVED);
        halve8(work, out + 8 * DOUBLE_PARTIALS, out + HALVED + 8);
      }
      for (int k = 0, p = 0; k < 4; k++) {
        for (int l = 0; l <= k; l++, p++) {
          gram[(a0 + k) * d + a0 + l] = gram[(a0 + l) * d + a0 + k] =
              WIDE ? work[out + HALVED + p] : halveAt(work, out + p * DOUBLE_PARTIALS);
        }
      }
    }
    // The rows after the last whole block: two pairs per pass.
    for (int a = 4 * blocks; a < d; a++) {
      int b = 0;
      for (; b + 1 <= a; b += 2) {
        if (WIDE) {
          pairSums512(work, a * nPad, b * nPad, (b + 1) * nPad, nPad, out);
        } else {
          pairSums256(work, a * nPad, b * nPad, (b + 1) * nPad, nPad, out);
        }
        gram[a * d + b] = gram[b * d + a] = halveAt(work, out);
        gram[a * d + b + 1] = gram[(b + 1) * d + a] = halveAt(work, out + DOUBLE_PARTIALS);
      }
      if (b == a) {
        if (WIDE) {
          pairSums512(work, a * nPad, a * nPad, a * nPad, nPad, out);
        } else {
          pairSums256(work, a * nPad, a * nPad, a * nPad, nPad, out);
        }
        gram[a * d + a] = halveAt(work, out);
      }
    }
  }

  /** Whether the Gram kernel runs on 8-lane doubles (a 512-bit machine, or forced). */
  private static final boolean WIDE = VectorShapes.SHAPE.vectorBitSize() >= 512;
  private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
  private static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;
  /** Partials per lane group of the Gram tiles: the lanes of the doubles the Gram kernel runs on. */
  private static final int LANES = WIDE ? 8 : DL;

  /**
   * Partials {@code off .. off + 8)} of the 16 pairs (a0 + k, b0 + l), k, l &lt; 4 (rows of
   * doubles at {@code a0 + k·nPad}, {@code b0 + l·nPad} of w), into w[out + (4k + l)·16 + off ..].
   */
  private static void tile512(double[] w, int a0, int b0, int nPad, int off, int out) {
    DoubleVector s00 = DoubleVector.zero(D8);
    DoubleVector s01 = DoubleVector.zero(D8);
    DoubleVector s02 = DoubleVector.zero(D8);
    DoubleVector s03 = DoubleVector.zero(D8);
    DoubleVector s10 = DoubleVector.zero(D8);
    DoubleVector s11 = DoubleVector.zero(D8);
    DoubleVector s12 = DoubleVector.zero(D8);
    DoubleVector s13 = DoubleVector.zero(D8);
    DoubleVector s20 = DoubleVector.zero(D8);
    DoubleVector s21 = DoubleVector.zero(D8);
    DoubleVector s22 = DoubleVector.zero(D8);
    DoubleVector s23 = DoubleVector.zero(D8);
    DoubleVector s30 = DoubleVector.zero(D8);
    DoubleVector s31 = DoubleVector.zero(D8);
    DoubleVector s32 = DoubleVector.zero(D8);
    DoubleVector s33 = DoubleVector.zero(D8);
    int a1 = a0 + nPad;
    int a2 = a1 + nPad;
    int a3 = a2 + nPad;
    int b1 = b0 + nPad;
    int b2 = b1 + nPad;
    int b3 = b2 + nPad;
    for (int i = off; i < nPad; i += 16) {
      DoubleVector x0 = DoubleVector.fromArray(D8, w, a0 + i);
      DoubleVector x1 = DoubleVector.fromArray(D8, w, a1 + i);
      DoubleVector x2 = DoubleVector.fromArray(D8, w, a2 + i);
      DoubleVector x3 = DoubleVector.fromArray(D8, w, a3 + i);
      DoubleVector y0 = DoubleVector.fromArray(D8, w, b0 + i);
      DoubleVector y1 = DoubleVector.fromArray(D8, w, b1 + i);
      DoubleVector y2 = DoubleVector.fromArray(D8, w, b2 + i);
      DoubleVector y3 = DoubleVector.fromArray(D8, w, b3 + i);
      s00 = x0.fma(y0, s00);
      s01 = x0.fma(y1, s01);
      s02 = x0.fma(y2, s02);
      s03 = x0.fma(y3, s03);
      s10 = x1.fma(y0, s10);
      s11 = x1.fma(y1, s11);
      s12 = x1.fma(y2, s12);
      s13 = x1.fma(y3, s13);
      s20 = x2.fma(y0, s20);
      s21 = x2.fma(y1, s21);
      s22 = x2.fma(y2, s22);
      s23 = x2.fma(y3, s23);
      s30 = x3.fma(y0, s30);
      s31 = x3.fma(y1, s31);
      s32 = x3.fma(y2, s32);
      s33 = x3.fma(y3, s33);
    }
    s00.intoArray(w, out + 0 + off);
    s01.intoArray(w, out + 16 + off);
    s02.intoArray(w, out + 32 + off);
    s03.intoArray(w, out + 48 + off);
    s10.intoArray(w, out + 64 + off);
    s11.intoArray(w, out + 80 + off);
    s12.intoArray(w, out + 96 + off);
    s13.intoArray(w, out + 112 + off);
    s20.intoArray(w, out + 128 + off);
    s21.intoArray(w, out + 144 + off);
    s22.intoArray(w, out + 160 + off);
    s23.intoArray(w, out + 176 + off);
    s30.intoArray(w, out + 192 + off);
    s31.intoArray(w, out + 208 + off);
    s32.intoArray(w, out + 224 + off);
    s33.intoArray(w, out + 240 + off);
  }

  /**
   * Partials {@code off .. off + 8)} of the 10 pairs (a0 + k, a0 + l), l ≤ k &lt; 4, in the
   * order (0,0), (1,0), (1,1), (2,0), …, into w[out + p·16 + off ..] for the p-th pair.
   */
  private static void diagonal512(double[] w, int a0, int nPad, int off, int out) {
    DoubleVector s00 = DoubleVector.zero(D8);
    DoubleVector s10 = DoubleVector.zero(D8);
    DoubleVector s11 = DoubleVector.zero(D8);
    DoubleVector s20 = DoubleVector.zero(D8);
    DoubleVector s21 = DoubleVector.zero(D8);
    DoubleVector s22 = DoubleVector.zero(D8);
    DoubleVector s30 = DoubleVector.zero(D8);
    DoubleVector s31 = DoubleVector.zero(D8);
    DoubleVector s32 = DoubleVector.zero(D8);
    DoubleVector s33 = DoubleVector.zero(D8);
    int a1 = a0 + nPad;
    int a2 = a1 + nPad;
    int a3 = a2 + nPad;
    for (int i = off; i < nPad; i += 16) {
      DoubleVector x0 = DoubleVector.fromArray(D8, w, a0 + i);
      DoubleVector x1 = DoubleVector.fromArray(D8, w, a1 + i);
      DoubleVector x2 = DoubleVector.fromArray(D8, w, a2 + i);
      DoubleVector x3 = DoubleVector.fromArray(D8, w, a3 + i);
      s00 = x0.fma(x0, s00);
      s10 = x1.fma(x0, s10);
      s11 = x1.fma(x1, s11);
      s20 = x2.fma(x0, s20);
      s21 = x2.fma(x1, s21);
      s22 = x2.fma(x2, s22);
      s30 = x3.fma(x0, s30);
      s31 = x3.fma(x1, s31);
      s32 = x3.fma(x2, s32);
      s33 = x3.fma(x3, s33);
    }
    s00.intoArray(w, out + 0 + off);
    s10.intoArray(w, out + 16 + off);
    s11.intoArray(w, out + 32 + off);
    s20.intoArray(w, out + 48 + off);
    s21.intoArray(w, out + 64 + off);
    s22.intoArray(w, out + 80 + off);
    s30.intoArray(w, out + 96 + off);
    s31.intoArray(w, out + 112 + off);
    s32.intoArray(w, out + 128 + off);
    s33.intoArray(w, out + 144 + off);
  }

  /**
   * Partials {@code off .. off + 4)} of the 16 pairs (a0 + k, b0 + l), k, l &lt; 4 (rows of
   * doubles at {@code a0 + k·nPad}, {@code b0 + l·nPad} of w), into w[out + (4k + l)·16 + off ..].
   */
  private static void tile256(double[] w, int a0, int b0, int nPad, int off, int out) {
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s01 = DoubleVector.zero(D);
    DoubleVector s02 = DoubleVector.zero(D);
    DoubleVector s03 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
    DoubleVector s12 = DoubleVector.zero(D);
    DoubleVector s13 = DoubleVector.zero(D);
    DoubleVector s20 = DoubleVector.zero(D);
    DoubleVector s21 = DoubleVector.zero(D);
    DoubleVector s22 = DoubleVector.zero(D);
    DoubleVector s23 = DoubleVector.zero(D);
    DoubleVector s30 = DoubleVector.zero(D);
    DoubleVector s31 = DoubleVector.zero(D);
    DoubleVector s32 = DoubleVector.zero(D);
    DoubleVector s33 = DoubleVector.zero(D);
    int a1 = a0 + nPad;
    int a2 = a1 + nPad;
    int a3 = a2 + nPad;
    int b1 = b0 + nPad;
    int b2 = b1 + nPad;
    int b3 = b2 + nPad;
    for (int i = off; i < nPad; i += 16) {
      DoubleVector x0 = DoubleVector.fromArray(D, w, a0 + i);
      DoubleVector x1 = DoubleVector.fromArray(D, w, a1 + i);
      DoubleVector x2 = DoubleVector.fromArray(D, w, a2 + i);
      DoubleVector x3 = DoubleVector.fromArray(D, w, a3 + i);
      DoubleVector y0 = DoubleVector.fromArray(D, w, b0 + i);
      DoubleVector y1 = DoubleVector.fromArray(D, w, b1 + i);
      DoubleVector y2 = DoubleVector.fromArray(D, w, b2 + i);
      DoubleVector y3 = DoubleVector.fromArray(D, w, b3 + i);
      s00 = x0.fma(y0, s00);
      s01 = x0.fma(y1, s01);
      s02 = x0.fma(y2, s02);
      s03 = x0.fma(y3, s03);
      s10 = x1.fma(y0, s10);
      s11 = x1.fma(y1, s11);
      s12 = x1.fma(y2, s12);
      s13 = x1.fma(y3, s13);
      s20 = x2.fma(y0, s20);
      s21 = x2.fma(y1, s21);
      s22 = x2.fma(y2, s22);
      s23 = x2.fma(y3, s23);
      s30 = x3.fma(y0, s30);
      s31 = x3.fma(y1, s31);
      s32 = x3.fma(y2, s32);
      s33 = x3.fma(y3, s33);
    }
    s00.intoArray(w, out + 0 + off);
    s01.intoArray(w, out + 16 + off);
    s02.intoArray(w, out + 32 + off);
    s03.intoArray(w, out + 48 + off);
    s10.intoArray(w, out + 64 + off);
    s11.intoArray(w, out + 80 + off);
    s12.intoArray(w, out + 96 + off);
    s13.intoArray(w, out + 112 + off);
    s20.intoArray(w, out + 128 + off);
    s21.intoArray(w, out + 144 + off);
    s22.intoArray(w, out + 160 + off);
    s23.intoArray(w, out + 176 + off);
    s30.intoArray(w, out + 192 + off);
    s31.intoArray(w, out + 208 + off);
    s32.intoArray(w, out + 224 + off);
    s33.intoArray(w, out + 240 + off);
  }

  /**
   * Partials {@code off .. off + 4)} of the 10 pairs (a0 + k, a0 + l), l ≤ k &lt; 4, in the
   * order (0,0), (1,0), (1,1), (2,0), …, into w[out + p·16 + off ..] for the p-th pair.
   */
  private static void diagonal256(double[] w, int a0, int nPad, int off, int out) {
    DoubleVector s00 = DoubleVector.zero(D);
    DoubleVector s10 = DoubleVector.zero(D);
    DoubleVector s11 = DoubleVector.zero(D);
    DoubleVector s20 = DoubleVector.zero(D);
    DoubleVector s21 = DoubleVector.zero(D);
    DoubleVector s22 = DoubleVector.zero(D);
    DoubleVector s30 = DoubleVector.zero(D);
    DoubleVector s31 = DoubleVector.zero(D);
    DoubleVector s32 = DoubleVector.zero(D);
    DoubleVector s33 = DoubleVector.zero(D);
    int a1 = a0 + nPad;
    int a2 = a1 + nPad;
    int a3 = a2 + nPad;
    for (int i = off; i < nPad; i += 16) {
      DoubleVector x0 = DoubleVector.fromArray(D, w, a0 + i);
      DoubleVector x1 = DoubleVector.fromArray(D, w, a1 + i);
      DoubleVector x2 = DoubleVector.fromArray(D, w, a2 + i);
      DoubleVector x3 = DoubleVector.fromArray(D, w, a3 + i);
      s00 = x0.fma(x0, s00);
      s10 = x1.fma(x0, s10);
      s11 = x1.fma(x1, s11);
      s20 = x2.fma(x0, s20);
      s21 = x2.fma(x1, s21);
      s22 = x2.fma(x2, s22);
      s30 = x3.fma(x0, s30);
      s31 = x3.fma(x1, s31);
      s32 = x3.fma(x2, s32);
      s33 = x3.fma(x3, s33);
    }
    s00.intoArray(w, out + 0 + off);
    s10.intoArray(w, out + 16 + off);
    s11.intoArray(w, out + 32 + off);
    s20.intoArray(w, out + 48 + off);
    s21.intoArray(w, out + 64 + off);
    s22.intoArray(w, out + 80 + off);
    s30.intoArray(w, out + 96 + off);
    s31.intoArray(w, out + 112 + off);
    s32.intoArray(w, out + 128 + off);
    s33.intoArray(w, out + 144 + off);
  }

  /**
   * The 16 partials of Σ x_i y_i and of Σ x_i v_i (x, y, v rows of doubles at xa, xb, xc of w,
   * nPad a multiple of 16) into w[out .. out+16) and w[out+16 .. out+32); 4-lane vectors.
   */
  private static void pairSums256(double[] w, int xa, int xb, int xc, int nPad, int out) {
    DoubleVector s0 = DoubleVector.zero(D);
    DoubleVector s1 = DoubleVector.zero(D);
    DoubleVector s2 = DoubleVector.zero(D);
    DoubleVector s3 = DoubleVector.zero(D);
    DoubleVector t0 = DoubleVector.zero(D);
    DoubleVector t1 = DoubleVector.zero(D);
    DoubleVector t2 = DoubleVector.zero(D);
    DoubleVector t3 = DoubleVector.zero(D);
    for (int i = 0; i < nPad; i += 16) {
      DoubleVector a0 = DoubleVector.fromArray(D, w, xa + i);
      DoubleVector a1 = DoubleVector.fromArray(D, w, xa + i + 4);
      DoubleVector a2 = DoubleVector.fromArray(D, w, xa + i + 8);
      DoubleVector a3 = DoubleVector.fromArray(D, w, xa + i + 12);
      s0 = a0.fma(DoubleVector.fromArray(D, w, xb + i), s0);
      s1 = a1.fma(DoubleVector.fromArray(D, w, xb + i + 4), s1);
      s2 = a2.fma(DoubleVector.fromArray(D, w, xb + i + 8), s2);
      s3 = a3.fma(DoubleVector.fromArray(D, w, xb + i + 12), s3);
      t0 = a0.fma(DoubleVector.fromArray(D, w, xc + i), t0);
      t1 = a1.fma(DoubleVector.fromArray(D, w, xc + i + 4), t1);
      t2 = a2.fma(DoubleVector.fromArray(D, w, xc + i + 8), t2);
      t3 = a3.fma(DoubleVector.fromArray(D, w, xc + i + 12), t3);
    }
    s0.intoArray(w, out);
    s1.intoArray(w, out + 4);
    s2.intoArray(w, out + 8);
    s3.intoArray(w, out + 12);
    t0.intoArray(w, out + 16);
    t1.intoArray(w, out + 20);
    t2.intoArray(w, out + 24);
    t3.intoArray(w, out + 28);
  }

  /** {@link #pairSums256} on 8-lane vectors: partials 0..7 and 8..15 of each sum. */
  private static void pairSums512(double[] w, int xa, int xb, int xc, int nPad, int out) {
    DoubleVector s0 = DoubleVector.zero(D8);
    DoubleVector s1 = DoubleVector.zero(D8);
    DoubleVector t0 = DoubleVector.zero(D8);
    DoubleVector t1 = DoubleVector.zero(D8);
    for (int i = 0; i < nPad; i += 16) {
      DoubleVector a0 = DoubleVector.fromArray(D8, w, xa + i);
      DoubleVector a1 = DoubleVector.fromArray(D8, w, xa + i + 8);
      s0 = a0.fma(DoubleVector.fromArray(D8, w, xb + i), s0);
      s1 = a1.fma(DoubleVector.fromArray(D8, w, xb + i + 8), s1);
      t0 = a0.fma(DoubleVector.fromArray(D8, w, xc + i), t0);
      t1 = a1.fma(DoubleVector.fromArray(D8, w, xc + i + 8), t1);
    }
    s0.intoArray(w, out);
    s1.intoArray(w, out + 8);
    t0.intoArray(w, out + 16);
    t1.intoArray(w, out + 24);
  }

  /**
   * Σ x_i y_i in double (products exact), partial k = i mod 16 in four 4-lane accumulators. A
   * tail (n not a multiple of 16) is added in scalar to the extracted partials, whose last terms
   * its products are: masked loads or a helper taking the vectors made C2 box them.
   */
  private static double pairSum(float[] x, float[] y, int n) {
    if (WIDE && x == y && (n & 15) == 0) {
      return sumOfSquaresWide(x, n);
    }
    DoubleVector s0 = DoubleVector.zero(D);
    DoubleVector s1 = DoubleVector.zero(D);
    DoubleVector s2 = DoubleVector.zero(D);
    DoubleVector s3 = DoubleVector.zero(D);
    int body = n & -16;
    if (x == y) {
      // A diagonal entry: each element converted once (the conversions bound this loop).
      for (int i = 0; i < body; i += 16) {
        DoubleVector x0 = (DoubleVector) FloatVector.fromArray(H, x, i).convertShape(VectorOperators.F2D, D, 0);
        DoubleVector x1 = (DoubleVector) FloatVector.fromArray(H, x, i + 4).convertShape(VectorOperators.F2D, D, 0);
        DoubleVector x2 = (DoubleVector) FloatVector.fromArray(H, x, i + 8).convertShape(VectorOperators.F2D, D, 0);
        DoubleVector x3 = (DoubleVector) FloatVector.fromArray(H, x, i + 12).convertShape(VectorOperators.F2D, D, 0);
        s0 = x0.fma(x0, s0);
        s1 = x1.fma(x1, s1);
        s2 = x2.fma(x2, s2);
        s3 = x3.fma(x3, s3);
      }
    } else {
      for (int i = 0; i < body; i += 16) {
        s0 = ((DoubleVector) FloatVector.fromArray(H, x, i).convertShape(VectorOperators.F2D, D, 0))
            .fma((DoubleVector) FloatVector.fromArray(H, y, i).convertShape(VectorOperators.F2D, D, 0), s0);
        s1 = ((DoubleVector) FloatVector.fromArray(H, x, i + 4).convertShape(VectorOperators.F2D, D, 0))
            .fma((DoubleVector) FloatVector.fromArray(H, y, i + 4).convertShape(VectorOperators.F2D, D, 0), s1);
        s2 = ((DoubleVector) FloatVector.fromArray(H, x, i + 8).convertShape(VectorOperators.F2D, D, 0))
            .fma((DoubleVector) FloatVector.fromArray(H, y, i + 8).convertShape(VectorOperators.F2D, D, 0), s2);
        s3 = ((DoubleVector) FloatVector.fromArray(H, x, i + 12).convertShape(VectorOperators.F2D, D, 0))
            .fma((DoubleVector) FloatVector.fromArray(H, y, i + 12).convertShape(VectorOperators.F2D, D, 0), s3);
      }
    }
    if (body == n) {
      // The halving of the class comment: h = 8 is s0 + s2, s1 + s3; h = 4 their sum; then lanes.
      DoubleVector r = s0.add(s2).add(s1.add(s3));
      return (r.lane(0) + r.lane(2)) + (r.lane(1) + r.lane(3));
    }
    // Adding 0 to a partial leaves it unchanged (a partial is never -0).
    double p0 = s0.lane(0) + term(x, y, n, body);
    double p1 = s0.lane(1) + term(x, y, n, body + 1);
    double p2 = s0.lane(2) + term(x, y, n, body + 2);
    double p3 = s0.lane(3) + term(x, y, n, body + 3);
    double p4 = s1.lane(0) + term(x, y, n, body + 4);
    double p5 = s1.lane(1) + term(x, y, n, body + 5);
    double p6 = s1.lane(2) + term(x, y, n, body + 6);
    double p7 = s1.lane(3) + term(x, y, n, body + 7);
    double p8 = s2.lane(0) + term(x, y, n, body + 8);
    double p9 = s2.lane(1) + term(x, y, n, body + 9);
    double p10 = s2.lane(2) + term(x, y, n, body + 10);
    double p11 = s2.lane(3) + term(x, y, n, body + 11);
    double p12 = s3.lane(0) + term(x, y, n, body + 12);
    double p13 = s3.lane(1) + term(x, y, n, body + 13);
    double p14 = s3.lane(2) + term(x, y, n, body + 14);
    double p15 = s3.lane(3); // a tail has at most 15 elements
    double u0 = (p0 + p8) + (p4 + p12);
    double u1 = (p1 + p9) + (p5 + p13);
    double u2 = (p2 + p10) + (p6 + p14);
    double u3 = (p3 + p11) + (p7 + p15);
    return (u0 + u2) + (u1 + u3);
  }

  /**
   * Σ x_i² for n a multiple of 16 on 8-lane doubles: partial k in lane k mod 8 of vector k / 8,
   * updated in the same order as {@link #pairSum}'s four 4-lane chains (the same roundings), and halved
   * in the same tree (h = 8 adds the two vectors): the same bits with half the instructions.
   */
  private static double sumOfSquaresWide(float[] x, int n) {
    DoubleVector s0 = DoubleVector.zero(D8);
    DoubleVector s1 = DoubleVector.zero(D8);
    for (int i = 0; i < n; i += 16) {
      DoubleVector x0 = (DoubleVector) FloatVector.fromArray(F, x, i).convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector x1 = (DoubleVector) FloatVector.fromArray(F, x, i + 8).convertShape(VectorOperators.F2D, D8, 0);
      // x² is exact in double, so s + x·x is fma(x, x, s) bit for bit (the scalar reference's
      // operation) with the add's shorter latency: the two chains bound this loop.
      s0 = s0.add(x0.mul(x0));
      s1 = s1.add(x1.mul(x1));
    }
    // h = 8 adds the two vectors; h = 4, 2, 1 within the lanes (no helper: C2 would box its argument)
    DoubleVector r = s0.add(s1);
    return ((r.lane(0) + r.lane(4)) + (r.lane(2) + r.lane(6))) + ((r.lane(1) + r.lane(5)) + (r.lane(3) + r.lane(7)));
  }

  /** x_i y_i (exact in double) if i &lt; n, else 0. */
  private static double term(float[] x, float[] y, int n, int i) {
    return i < n ? (double) x[i] * y[i] : 0.0;
  }

  @Override
  public void moments(float[][] z, int d, int n, double[] s2, double[] s4, double[] work) {
    LayerChecks.rows(z, d, n);
    int pairs = PairIndex.pairCount(d);
    int quads = PairIndex.quadCount(d);
    Objects.checkFromIndexSize(0, pairs, s2.length);
    Objects.checkFromIndexSize(0, quads, s4.length);
    Objects.checkFromIndexSize(0, LayerKernels.momentsWorkLength(d), work.length);
    if (d == 1) {
      if (WIDE && (n & 15) == 0) {
        moments1Wide(z[0], n, s2, 0, s4, 0);
      } else {
        moments1(z[0], n, s2, 0, s4, 0, work);
      }
      return;
    }
    PairIndex index = PairIndex.of(d);
    // work = [pair products of a chunk: pairs x MOMENT_CHUNK][s2 partials: pairs x 16][s4 partials: quads x 16]
    int p2 = pairs * MOMENT_CHUNK;
    int p4 = p2 + pairs * DOUBLE_PARTIALS;
    Arrays.fill(work, p2, p4 + quads * DOUBLE_PARTIALS, 0.0);
    for (int i0 = 0; i0 < n; i0 += MOMENT_CHUNK) {
      int c = Math.min(MOMENT_CHUNK, n - i0);
      int cPad = (c + 15) & -16; // products beyond c are zero: fma(0, 0, s) = s
      int u = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++, u++) {
          pairProducts(z[a], z[b], i0, c, cPad, work, u * MOMENT_CHUNK, p2 + u * DOUBLE_PARTIALS);
        }
      }
      int q = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          int pu = index.pair(a, b) * MOMENT_CHUNK;
          for (int cc = b; cc < d; cc++) {
            for (int e = cc; e < d; e++, q++) {
              quadProducts(work, pu, index.pair(cc, e) * MOMENT_CHUNK, cPad, p4 + q * DOUBLE_PARTIALS);
            }
          }
        }
      }
    }
    for (int u = 0; u < pairs; u++) {
      s2[u] = halveAt(work, p2 + u * DOUBLE_PARTIALS);
    }
    for (int q = 0; q < quads; q++) {
      s4[q] = halveAt(work, p4 + q * DOUBLE_PARTIALS);
    }
  }

  /** Where {@link #halve8} puts the sums of a tile: after the partials of its 16 pairs. */
  private static final int HALVED = 16 * DOUBLE_PARTIALS;
  // Lane selections of halve8: the first half of each of two vectors, the second half, the lanes
  // 0, 1, 4, 5 and 2, 3, 6, 7 of each, the even and the odd lanes (each taken from both vectors
  // by a blend of the upper four lanes).
  private static final VectorShuffle<Double> LOW4 = VectorShuffle.fromValues(D8, 0, 1, 2, 3, 0, 1, 2, 3);
  private static final VectorShuffle<Double> HIGH4 = VectorShuffle.fromValues(D8, 4, 5, 6, 7, 4, 5, 6, 7);
  private static final VectorShuffle<Double> LOW2 = VectorShuffle.fromValues(D8, 0, 1, 4, 5, 0, 1, 4, 5);
  private static final VectorShuffle<Double> HIGH2 = VectorShuffle.fromValues(D8, 2, 3, 6, 7, 2, 3, 6, 7);
  private static final VectorShuffle<Double> EVEN = VectorShuffle.fromValues(D8, 0, 2, 4, 6, 0, 2, 4, 6);
  private static final VectorShuffle<Double> ODD = VectorShuffle.fromValues(D8, 1, 3, 5, 7, 1, 3, 5, 7);

  /**
   * {@link #halveAt} of the 8 pairs at w[at + 16 p ..], p &lt; 8, into w[to + p] on 8-lane
   * vectors (a 512-bit machine), the same additions: r_p = s_l + s_{l+8} is one vector add per
   * pair; then the lanes l and l + 4 of two pairs' r are added as one vector (u), the lanes l and
   * l + 2 of four pairs' u (v), and the lanes 0 and 1 of eight pairs' v: {@code ((s0 + s8) + (s4
   * + s12)) + ((s2 + s10) + (s6 + s14))} added to the same for the odd partials, as halveAt does.
   */
  private static void halve8(double[] w, int at, int to) {
    DoubleVector r0 = DoubleVector.fromArray(D8, w, at).add(DoubleVector.fromArray(D8, w, at + 8));
    DoubleVector r1 = DoubleVector.fromArray(D8, w, at + 16).add(DoubleVector.fromArray(D8, w, at + 24));
    DoubleVector r2 = DoubleVector.fromArray(D8, w, at + 32).add(DoubleVector.fromArray(D8, w, at + 40));
    DoubleVector r3 = DoubleVector.fromArray(D8, w, at + 48).add(DoubleVector.fromArray(D8, w, at + 56));
    DoubleVector r4 = DoubleVector.fromArray(D8, w, at + 64).add(DoubleVector.fromArray(D8, w, at + 72));
    DoubleVector r5 = DoubleVector.fromArray(D8, w, at + 80).add(DoubleVector.fromArray(D8, w, at + 88));
    DoubleVector r6 = DoubleVector.fromArray(D8, w, at + 96).add(DoubleVector.fromArray(D8, w, at + 104));
    DoubleVector r7 = DoubleVector.fromArray(D8, w, at + 112).add(DoubleVector.fromArray(D8, w, at + 120));
    VectorMask<Double> up = VectorMask.fromLong(D8, 0xF0);
    DoubleVector u01 = r0.rearrange(LOW4).blend(r1.rearrange(LOW4), up).add(r0.rearrange(HIGH4).blend(r1.rearrange(HIGH4), up));
    DoubleVector u23 = r2.rearrange(LOW4).blend(r3.rearrange(LOW4), up).add(r2.rearrange(HIGH4).blend(r3.rearrange(HIGH4), up));
    DoubleVector u45 = r4.rearrange(LOW4).blend(r5.rearrange(LOW4), up).add(r4.rearrange(HIGH4).blend(r5.rearrange(HIGH4), up));
    DoubleVector u67 = r6.rearrange(LOW4).blend(r7.rearrange(LOW4), up).add(r6.rearrange(HIGH4).blend(r7.rearrange(HIGH4), up));
    DoubleVector v03 = u01.rearrange(LOW2).blend(u23.rearrange(LOW2), up).add(u01.rearrange(HIGH2).blend(u23.rearrange(HIGH2), up));
    DoubleVector v47 = u45.rearrange(LOW2).blend(u67.rearrange(LOW2), up).add(u45.rearrange(HIGH2).blend(u67.rearrange(HIGH2), up));
    v03.rearrange(EVEN).blend(v47.rearrange(EVEN), up).add(v03.rearrange(ODD).blend(v47.rearrange(ODD), up)).intoArray(w, to);
  }

  /** The halving of the 16 partials at w[at ..]. */
  private static double halveAt(double[] v, int at) {
    double u0 = (v[at] + v[at + 8]) + (v[at + 4] + v[at + 12]);
    double u1 = (v[at + 1] + v[at + 9]) + (v[at + 5] + v[at + 13]);
    double u2 = (v[at + 2] + v[at + 10]) + (v[at + 6] + v[at + 14]);
    double u3 = (v[at + 3] + v[at + 11]) + (v[at + 7] + v[at + 15]);
    return (u0 + u2) + (u1 + u3);
  }

  /**
   * Products z_a z_b of neurons i0 .. i0 + c into w[pu ..], zero up to cPad (a plain loop: C2
   * vectorises it), then added to the 16 partials at w[acc ..] (a zero adds nothing: a partial
   * is never -0).
   */
  private static void pairProducts(float[] za, float[] zb, int i0, int c, int cPad, double[] w, int pu, int acc) {
    for (int k = 0; k < c; k++) {
      w[pu + k] = (double) za[i0 + k] * zb[i0 + k];
    }
    for (int k = c; k < cPad; k++) {
      w[pu + k] = 0.0;
    }
    DoubleVector q0 = DoubleVector.fromArray(D, w, acc);
    DoubleVector q1 = DoubleVector.fromArray(D, w, acc + DL);
    DoubleVector q2 = DoubleVector.fromArray(D, w, acc + 2 * DL);
    DoubleVector q3 = DoubleVector.fromArray(D, w, acc + 3 * DL);
    for (int k = 0; k < cPad; k += 16) {
      q0 = q0.add(DoubleVector.fromArray(D, w, pu + k));
      q1 = q1.add(DoubleVector.fromArray(D, w, pu + k + DL));
      q2 = q2.add(DoubleVector.fromArray(D, w, pu + k + 2 * DL));
      q3 = q3.add(DoubleVector.fromArray(D, w, pu + k + 3 * DL));
    }
    q0.intoArray(w, acc);
    q1.intoArray(w, acc + DL);
    q2.intoArray(w, acc + 2 * DL);
    q3.intoArray(w, acc + 3 * DL);
  }

  /** Σ fma(P_u, P_v, ·) over a chunk, into the 16 partials at w[acc ..]. */
  private static void quadProducts(double[] w, int pu, int pv, int cPad, int acc) {
    DoubleVector q0 = DoubleVector.fromArray(D, w, acc);
    DoubleVector q1 = DoubleVector.fromArray(D, w, acc + DL);
    DoubleVector q2 = DoubleVector.fromArray(D, w, acc + 2 * DL);
    DoubleVector q3 = DoubleVector.fromArray(D, w, acc + 3 * DL);
    for (int k = 0; k < cPad; k += 16) {
      q0 = DoubleVector.fromArray(D, w, pu + k).fma(DoubleVector.fromArray(D, w, pv + k), q0);
      q1 = DoubleVector.fromArray(D, w, pu + k + DL).fma(DoubleVector.fromArray(D, w, pv + k + DL), q1);
      q2 = DoubleVector.fromArray(D, w, pu + k + 2 * DL).fma(DoubleVector.fromArray(D, w, pv + k + 2 * DL), q2);
      q3 = DoubleVector.fromArray(D, w, pu + k + 3 * DL).fma(DoubleVector.fromArray(D, w, pv + k + 3 * DL), q3);
    }
    q0.intoArray(w, acc);
    q1.intoArray(w, acc + DL);
    q2.intoArray(w, acc + 2 * DL);
    q3.intoArray(w, acc + 3 * DL);
  }

  /** d = 1: s2 = Σ z², s4 = Σ fma(z², z², ·) in one pass, 16 partials each; a tail as in pairSum. */
  private static void moments1(float[] x, int n, double[] s2, int o2, double[] s4, int o4, double[] w) {
    DoubleVector a0 = DoubleVector.zero(D);
    DoubleVector a1 = DoubleVector.zero(D);
    DoubleVector a2 = DoubleVector.zero(D);
    DoubleVector a3 = DoubleVector.zero(D);
    DoubleVector c0 = DoubleVector.zero(D);
    DoubleVector c1 = DoubleVector.zero(D);
    DoubleVector c2 = DoubleVector.zero(D);
    DoubleVector c3 = DoubleVector.zero(D);
    int body = n & -16;
    for (int i = 0; i < body; i += 16) {
      DoubleVector x0 = (DoubleVector) FloatVector.fromArray(H, x, i).convertShape(VectorOperators.F2D, D, 0);
      DoubleVector x1 = (DoubleVector) FloatVector.fromArray(H, x, i + 4).convertShape(VectorOperators.F2D, D, 0);
      DoubleVector x2 = (DoubleVector) FloatVector.fromArray(H, x, i + 8).convertShape(VectorOperators.F2D, D, 0);
      DoubleVector x3 = (DoubleVector) FloatVector.fromArray(H, x, i + 12).convertShape(VectorOperators.F2D, D, 0);
      DoubleVector p0 = x0.mul(x0);
      DoubleVector p1 = x1.mul(x1);
      DoubleVector p2 = x2.mul(x2);
      DoubleVector p3 = x3.mul(x3);
      a0 = a0.add(p0);
      a1 = a1.add(p1);
      a2 = a2.add(p2);
      a3 = a3.add(p3);
      c0 = p0.fma(p0, c0);
      c1 = p1.fma(p1, c1);
      c2 = p2.fma(p2, c2);
      c3 = p3.fma(p3, c3);
    }
    if (body == n) {
      // The halving of the class comment in registers (no round trip through w).
      DoubleVector r = a0.add(a2).add(a1.add(a3));
      DoubleVector t = c0.add(c2).add(c1.add(c3));
      s2[o2] = (r.lane(0) + r.lane(2)) + (r.lane(1) + r.lane(3));
      s4[o4] = (t.lane(0) + t.lane(2)) + (t.lane(1) + t.lane(3));
      return;
    }
    // The partials to w[0 .. 32), the tail's terms added last (as in the scalar order).
    a0.intoArray(w, 0);
    a1.intoArray(w, 4);
    a2.intoArray(w, 8);
    a3.intoArray(w, 12);
    c0.intoArray(w, 16);
    c1.intoArray(w, 20);
    c2.intoArray(w, 24);
    c3.intoArray(w, 28);
    for (int i = body; i < n; i++) {
      double p = (double) x[i] * x[i];
      w[i - body] += p;
      w[16 + i - body] = Math.fma(p, p, w[16 + i - body]);
    }
    s2[o2] = halveAt(w, 0);
    s4[o4] = halveAt(w, 16);
  }

  /**
   * {@link #moments1} for n a multiple of 16 on 8-lane doubles (a 512-bit machine): the 16
   * partials of each sum in two vectors (partial k in lane k mod 8 of vector k / 8), the same
   * operations in the same order, the same halving: the same bits with half the instructions.
   */
  private static void moments1Wide(float[] x, int n, double[] s2, int o2, double[] s4, int o4) {
    DoubleVector a0 = DoubleVector.zero(D8);
    DoubleVector a1 = DoubleVector.zero(D8);
    DoubleVector c0 = DoubleVector.zero(D8);
    DoubleVector c1 = DoubleVector.zero(D8);
    for (int i = 0; i < n; i += 16) {
      DoubleVector x0 = (DoubleVector) FloatVector.fromArray(F, x, i).convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector x1 = (DoubleVector) FloatVector.fromArray(F, x, i + 8).convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector p0 = x0.mul(x0);
      DoubleVector p1 = x1.mul(x1);
      a0 = a0.add(p0);
      a1 = a1.add(p1);
      c0 = p0.fma(p0, c0);
      c1 = p1.fma(p1, c1);
    }
    DoubleVector r = a0.add(a1); // h = 8; then h = 4, 2, 1 within the lanes
    DoubleVector t = c0.add(c1);
    s2[o2] = ((r.lane(0) + r.lane(4)) + (r.lane(2) + r.lane(6))) + ((r.lane(1) + r.lane(5)) + (r.lane(3) + r.lane(7)));
    s4[o4] = ((t.lane(0) + t.lane(4)) + (t.lane(2) + t.lane(6))) + ((t.lane(1) + t.lane(5)) + (t.lane(3) + t.lane(7)));
  }

  // ---- one input: the layer's sums in one pass -----------------------------------------------

  @Override
  public void sums1(float[] z, float[] h, int n, double[] out, double[] work) {
    LayerChecks.sums1(z, h, n, out, work);
    if (WIDE && (n & 15) == 0) {
      sums1Wide(z, h, n, out);
      return;
    }
    moments1(z, n, out, 0, out, 1, work);
    out[2] = pairSum(h, h, n);
  }

  /**
   * {@link #sums1} for n a multiple of 16 on 8-lane doubles: the loops of {@link #moments1Wide}
   * and {@link #sumOfSquaresWide} in one (six chains instead of two or four per loop: the add and
   * FMA latencies bounded each loop alone), the same operations in the same order, the same
   * halvings.
   */
  private static void sums1Wide(float[] z, float[] h, int n, double[] out) {
    DoubleVector a0 = DoubleVector.zero(D8);
    DoubleVector a1 = DoubleVector.zero(D8);
    DoubleVector c0 = DoubleVector.zero(D8);
    DoubleVector c1 = DoubleVector.zero(D8);
    DoubleVector e0 = DoubleVector.zero(D8);
    DoubleVector e1 = DoubleVector.zero(D8);
    for (int i = 0; i < n; i += 16) {
      DoubleVector x0 = (DoubleVector) FloatVector.fromArray(F, z, i).convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector x1 = (DoubleVector) FloatVector.fromArray(F, z, i + 8).convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector y0 = (DoubleVector) FloatVector.fromArray(F, h, i).convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector y1 = (DoubleVector) FloatVector.fromArray(F, h, i + 8).convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector p0 = x0.mul(x0);
      DoubleVector p1 = x1.mul(x1);
      a0 = a0.add(p0);
      a1 = a1.add(p1);
      c0 = p0.fma(p0, c0);
      c1 = p1.fma(p1, c1);
      e0 = e0.add(y0.mul(y0));
      e1 = e1.add(y1.mul(y1));
    }
    halve3(a0.add(a1), c0.add(c1), e0.add(e1), out); // h = 8 adds the two vectors
  }

  @Override
  public void reluLayer1(float c, float[] g, int offset, float[] z, int n, double[] out, double[] work) {
    LayerChecks.oneInput(g, offset, z, n, out, work);
    if ((n & 15) == 0) {
      if (WIDE) {
        reluLayer1Wide(c, g, offset, z, n, out);
      } else {
        reluLayer1Narrow(c, g, offset, z, n, out);
      }
      return;
    }
    int body = n & -FL;
    for (int i = 0; i < body; i += FL) {
      FloatVector.fromArray(F, g, offset + i).mul(c).intoArray(z, i);
    }
    for (int i = body; i < n; i++) {
      z[i] = c * g[offset + i];
    }
    moments1(z, n, out, 0, out, 1, work);
    out[2] = positiveSquares(z, n);
  }

  /**
   * {@link #reluLayer1} for n a multiple of 16 on a 512-bit machine: each 8 normals are scaled,
   * stored as z and converted to an 8-lane double once, which feeds the chains of
   * {@link #sums1Wide} (h² = z² or 0: the square of the float ReLU, which conversion commutes
   * with). 31 ns for 256 neurons against 79 for the four kernels it replaces (Zen 4, idle).
   */
  private static void reluLayer1Wide(float c, float[] g, int offset, float[] z, int n, double[] out) {
    DoubleVector a0 = DoubleVector.zero(D8);
    DoubleVector a1 = DoubleVector.zero(D8);
    DoubleVector c0 = DoubleVector.zero(D8);
    DoubleVector c1 = DoubleVector.zero(D8);
    DoubleVector e0 = DoubleVector.zero(D8);
    DoubleVector e1 = DoubleVector.zero(D8);
    for (int i = 0; i < n; i += 16) {
      FloatVector f0 = FloatVector.fromArray(F, g, offset + i).mul(c);
      FloatVector f1 = FloatVector.fromArray(F, g, offset + i + 8).mul(c);
      f0.intoArray(z, i);
      f1.intoArray(z, i + 8);
      DoubleVector x0 = (DoubleVector) f0.convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector x1 = (DoubleVector) f1.convertShape(VectorOperators.F2D, D8, 0);
      DoubleVector p0 = x0.mul(x0);
      DoubleVector p1 = x1.mul(x1);
      a0 = a0.add(p0);
      a1 = a1.add(p1);
      c0 = p0.fma(p0, c0);
      c1 = p1.fma(p1, c1);
      // h² = z² where z > 0 (or NaN), else 0: a blend, not max(x, 0)², whose Java semantics
      // (NaN, -0) cost C2 several instructions per vector
      e0 = e0.add(p0.blend(0.0, x0.compare(VectorOperators.LE, 0.0)));
      e1 = e1.add(p1.blend(0.0, x1.compare(VectorOperators.LE, 0.0)));
    }
    halve3(a0.add(a1), c0.add(c1), e0.add(e1), out);
  }

  /** Lane j of v and lane j + 4, j + 2, j + 1 (the halvings h = 4, 2, 1 of an 8-lane vector). */
  private static final VectorShuffle<Double> HALF4 = VectorShuffle.fromValues(D8, 4, 5, 6, 7, 0, 1, 2, 3);
  private static final VectorShuffle<Double> HALF2 = VectorShuffle.fromValues(D8, 2, 3, 0, 1, 6, 7, 4, 5);
  private static final VectorShuffle<Double> HALF1 = VectorShuffle.fromValues(D8, 1, 0, 3, 2, 5, 4, 7, 6);

  /**
   * out[0..2] = the halvings h = 4, 2, 1 of three 8-lane vectors of partials (h = 8 done: lane k
   * holds s_k + s_{k+8}), by shuffles: lane 0 ends as ((s_0 + s_4) + (s_2 + s_6)) + ((s_1 + s_5) +
   * (s_3 + s_7)) of the vector's lanes, the order of the class comment, in 9 shuffles and adds
   * instead of 24 lane extractions. Called with vectors from a loop it is inlined into (a vector
   * argument of a call that is not inlined is boxed).
   */
  private static void halve3(DoubleVector r, DoubleVector t, DoubleVector u, double[] out) {
    r = r.add(r.rearrange(HALF4));
    t = t.add(t.rearrange(HALF4));
    u = u.add(u.rearrange(HALF4));
    r = r.add(r.rearrange(HALF2));
    t = t.add(t.rearrange(HALF2));
    u = u.add(u.rearrange(HALF2));
    r = r.add(r.rearrange(HALF1));
    t = t.add(t.rearrange(HALF1));
    u = u.add(u.rearrange(HALF1));
    out[0] = r.lane(0);
    out[1] = t.lane(0);
    out[2] = u.lane(0);
  }

  /**
   * {@link #reluLayer1} for n a multiple of 16 on 256-bit vectors: the loop of
   * {@link #reluLayer1Wide} with each sum's 16 partials in four 4-lane accumulators (partials
   * 4j .. 4j + 3 in accumulator j, as {@link #moments1}), 4 normals at a time, and its halvings.
   */
  private static void reluLayer1Narrow(float c, float[] g, int offset, float[] z, int n, double[] out) {
    DoubleVector a0 = DoubleVector.zero(D);
    DoubleVector a1 = DoubleVector.zero(D);
    DoubleVector a2 = DoubleVector.zero(D);
    DoubleVector a3 = DoubleVector.zero(D);
    DoubleVector c0 = DoubleVector.zero(D);
    DoubleVector c1 = DoubleVector.zero(D);
    DoubleVector c2 = DoubleVector.zero(D);
    DoubleVector c3 = DoubleVector.zero(D);
    DoubleVector e0 = DoubleVector.zero(D);
    DoubleVector e1 = DoubleVector.zero(D);
    DoubleVector e2 = DoubleVector.zero(D);
    DoubleVector e3 = DoubleVector.zero(D);
    for (int i = 0; i < n; i += 16) {
      FloatVector f = FloatVector.fromArray(H, g, offset + i).mul(c);
      f.intoArray(z, i);
      DoubleVector x = (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
      DoubleVector p = x.mul(x);
      a0 = a0.add(p);
      c0 = p.fma(p, c0);
      e0 = e0.add(p.blend(0.0, x.compare(VectorOperators.LE, 0.0)));
      f = FloatVector.fromArray(H, g, offset + i + 4).mul(c);
      f.intoArray(z, i + 4);
      x = (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
      p = x.mul(x);
      a1 = a1.add(p);
      c1 = p.fma(p, c1);
      e1 = e1.add(p.blend(0.0, x.compare(VectorOperators.LE, 0.0)));
      f = FloatVector.fromArray(H, g, offset + i + 8).mul(c);
      f.intoArray(z, i + 8);
      x = (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
      p = x.mul(x);
      a2 = a2.add(p);
      c2 = p.fma(p, c2);
      e2 = e2.add(p.blend(0.0, x.compare(VectorOperators.LE, 0.0)));
      f = FloatVector.fromArray(H, g, offset + i + 12).mul(c);
      f.intoArray(z, i + 12);
      x = (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
      p = x.mul(x);
      a3 = a3.add(p);
      c3 = p.fma(p, c3);
      e3 = e3.add(p.blend(0.0, x.compare(VectorOperators.LE, 0.0)));
    }
    // h = 8 and h = 4 as in moments1; then the lanes
    DoubleVector r = a0.add(a2).add(a1.add(a3));
    DoubleVector t = c0.add(c2).add(c1.add(c3));
    DoubleVector u = e0.add(e2).add(e1.add(e3));
    out[0] = (r.lane(0) + r.lane(2)) + (r.lane(1) + r.lane(3));
    out[1] = (t.lane(0) + t.lane(2)) + (t.lane(1) + t.lane(3));
    out[2] = (u.lane(0) + u.lane(2)) + (u.lane(1) + u.lane(3));
  }

  /**
   * Σ max(x_i, 0)² in double: {@link #pairSum} of the float ReLU of x with itself (partial
   * k = i mod 16 in four 4-lane accumulators, a tail added to the extracted partials).
   */
  private static double positiveSquares(float[] x, int n) {
    DoubleVector s0 = DoubleVector.zero(D);
    DoubleVector s1 = DoubleVector.zero(D);
    DoubleVector s2 = DoubleVector.zero(D);
    DoubleVector s3 = DoubleVector.zero(D);
    int body = n & -16;
    for (int i = 0; i < body; i += 16) {
      DoubleVector x0 = (DoubleVector) relu(FloatVector.fromArray(H, x, i)).convertShape(VectorOperators.F2D, D, 0);
      DoubleVector x1 = (DoubleVector) relu(FloatVector.fromArray(H, x, i + 4)).convertShape(VectorOperators.F2D, D, 0);
      DoubleVector x2 = (DoubleVector) relu(FloatVector.fromArray(H, x, i + 8)).convertShape(VectorOperators.F2D, D, 0);
      DoubleVector x3 = (DoubleVector) relu(FloatVector.fromArray(H, x, i + 12)).convertShape(VectorOperators.F2D, D, 0);
      s0 = x0.fma(x0, s0);
      s1 = x1.fma(x1, s1);
      s2 = x2.fma(x2, s2);
      s3 = x3.fma(x3, s3);
    }
    if (body == n) {
      DoubleVector r = s0.add(s2).add(s1.add(s3));
      return (r.lane(0) + r.lane(2)) + (r.lane(1) + r.lane(3));
    }
    double p0 = s0.lane(0) + positiveTerm(x, n, body);
    double p1 = s0.lane(1) + positiveTerm(x, n, body + 1);
    double p2 = s0.lane(2) + positiveTerm(x, n, body + 2);
    double p3 = s0.lane(3) + positiveTerm(x, n, body + 3);
    double p4 = s1.lane(0) + positiveTerm(x, n, body + 4);
    double p5 = s1.lane(1) + positiveTerm(x, n, body + 5);
    double p6 = s1.lane(2) + positiveTerm(x, n, body + 6);
    double p7 = s1.lane(3) + positiveTerm(x, n, body + 7);
    double p8 = s2.lane(0) + positiveTerm(x, n, body + 8);
    double p9 = s2.lane(1) + positiveTerm(x, n, body + 9);
    double p10 = s2.lane(2) + positiveTerm(x, n, body + 10);
    double p11 = s2.lane(3) + positiveTerm(x, n, body + 11);
    double p12 = s3.lane(0) + positiveTerm(x, n, body + 12);
    double p13 = s3.lane(1) + positiveTerm(x, n, body + 13);
    double p14 = s3.lane(2) + positiveTerm(x, n, body + 14);
    double p15 = s3.lane(3); // a tail has at most 15 elements
    double u0 = (p0 + p8) + (p4 + p12);
    double u1 = (p1 + p9) + (p5 + p13);
    double u2 = (p2 + p10) + (p6 + p14);
    double u3 = (p3 + p11) + (p7 + p15);
    return (u0 + u2) + (u1 + u3);
  }

  /** max(x, 0) lane-wise with Math.max's semantics (NaN stays, -0 gives 0), as a blend. */
  private static FloatVector relu(FloatVector x) {
    return x.blend(0f, x.compare(VectorOperators.LE, 0f));
  }

  /** max(x_i, 0)² (exact in double) if i &lt; n, else 0. */
  private static double positiveTerm(float[] x, int n, int i) {
    if (i >= n) {
      return 0.0;
    }
    double h = Math.max(x[i], 0f);
    return h * h;
  }

  @Override
  public float maxAbs(float[][] z, int d, int n) {
    LayerChecks.rows(z, d, n);
    // Four chains: vmaxps has a latency of several cycles. MAX propagates NaN.
    FloatVector m0 = FloatVector.zero(F);
    FloatVector m1 = FloatVector.zero(F);
    FloatVector m2 = FloatVector.zero(F);
    FloatVector m3 = FloatVector.zero(F);
    int body = n & -32;
    for (int a = 0; a < d; a++) {
      float[] za = z[a];
      for (int i = 0; i < body; i += 32) {
        m0 = m0.max(FloatVector.fromArray(F, za, i).abs());
        m1 = m1.max(FloatVector.fromArray(F, za, i + FL).abs());
        m2 = m2.max(FloatVector.fromArray(F, za, i + 2 * FL).abs());
        m3 = m3.max(FloatVector.fromArray(F, za, i + 3 * FL).abs());
      }
      for (int i = body; i < n; i += FL) {
        m0 = m0.max(FloatVector.fromArray(F, za, i, F.indexInRange(i, n)).abs());
      }
    }
    return m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
  }
}
