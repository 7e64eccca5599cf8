package org.finwidth.vector.panama;

import java.util.Arrays;
import java.util.Objects;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.finwidth.random.RandomStreams;
import org.finwidth.vector.LayerChecks;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;

/**
 * {@link LayerKernels} on the Vector API, bitwise equal to the scalar reference
 * ({@code ScalarLayerKernels}).
 *
 * <p>All kernels run on 256-bit vectors (8 floats, 4 doubles) whatever the machine's preferred
 * width: the fixed summation orders of the interface (16 float partials, 8 double partials) are
 * then two accumulators per sum, and the kernels are small enough that AVX-512 would add little
 * (the weights layer is bound by generating its normals, PERFORMANCE.md).
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
  private static final int FL = 8;
  private static final int DL = 4;

  private final NormalKernels normals;

  /** Layer kernels over the Panama normals (tests and benchmarks; the engine takes them from the provider). */
  public PanamaLayerKernels() {
    this(new PanamaNormalKernels());
  }

  PanamaLayerKernels(NormalKernels normals) {
    this.normals = Objects.requireNonNull(normals, "normals");
    if (F.length() != FL || D.length() != DL || FLOAT_PARTIALS != 2 * FL || DOUBLE_PARTIALS != 2 * DL) {
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
  // calls, no masks): C2 then keeps every vector in a register (PERFORMANCE.md, trap 3).
  // Partial k < 8 is lane k of the first accumulator of an input, partial 8 + k lane k of the
  // second; the halving is h = 8 (the two accumulators), then 4, 2, 1 within the vector.

  /** Rows i0..i1 (row r at w[(r - i0) m ..]) dotted with one padded input at w[x ..]. */
  private static void rows1(float[] w, int m, int mPad, int i0, int i1, int x, float[] z0, float ws, int bo) {
    for (int i = i0, row = 0; i < i1; i++, row += m) {
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
  public void conditionalLayer(long seed, long network, int layer, float[] chol, int d, float[][] z, int n,
      float[] work) {
    LayerChecks.conditional(layer, chol, d, z, n, work);
    int stride = (int) LayerKernels.conditionalStride(n);
    normals.fill(seed, network, layer, RandomStreams.CONDITIONAL, 0, 1f, work, 0, (d - 1) * stride + n);
    int body = n & -FL;
    VectorMask<Float> tail = F.indexInRange(body, n);
    for (int a = 0; a < d; a++) {
      float[] za = z[a];
      float c0 = chol[a * d];
      for (int i = 0; i < body; i += FL) {
        FloatVector t = FloatVector.fromArray(F, work, i).mul(c0);
        for (int b = 1; b <= a; b++) {
          t = FloatVector.fromArray(F, work, b * stride + i).lanewise(VectorOperators.FMA, chol[a * d + b], t);
        }
        t.intoArray(za, i);
      }
      if (body < n) {
        FloatVector t = FloatVector.fromArray(F, work, body, tail).mul(c0);
        for (int b = 1; b <= a; b++) {
          t = FloatVector.fromArray(F, work, b * stride + body, tail).lanewise(VectorOperators.FMA, chol[a * d + b], t);
        }
        t.intoArray(za, body, tail);
      }
    }
  }

  // ---- reductions in double -----------------------------------------------------------------

  /** The fixed halving of 8 double partials (k in lane k of p0, 4 + k in lane k of p1). */
  private static double halve(DoubleVector p0, DoubleVector p1) {
    DoubleVector r = p0.add(p1);
    double u0 = r.lane(0) + r.lane(2);
    double u1 = r.lane(1) + r.lane(3);
    return u0 + u1;
  }

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

  /** Σ x_i y_i in double (products exact), partial k = i mod 8 in two 4-lane accumulators. */
  private static double pairSum(float[] x, float[] y, int n) {
    DoubleVector s0 = DoubleVector.zero(D);
    DoubleVector s1 = DoubleVector.zero(D);
    int body = n & -FL;
    for (int i = 0; i < body; i += FL) {
      FloatVector xv = FloatVector.fromArray(F, x, i);
      FloatVector yv = FloatVector.fromArray(F, y, i);
      s0 = lo(xv).fma(lo(yv), s0);
      s1 = hi(xv).fma(hi(yv), s1);
    }
    if (body < n) {
      VectorMask<Float> t = F.indexInRange(body, n);
      FloatVector xv = FloatVector.fromArray(F, x, body, t);
      FloatVector yv = FloatVector.fromArray(F, y, body, t);
      s0 = lo(xv).fma(lo(yv), s0);
      s1 = hi(xv).fma(hi(yv), s1);
    }
    return halve(s0, s1);
  }

  private static DoubleVector lo(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
  }

  private static DoubleVector hi(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
  }

  @Override
  public void moments(float[][] z, int d, int n, double[] s2, double[] s4, double[] work) {
    LayerChecks.rows(z, d, n);
    int pairs = LayerKernels.pairCount(d);
    int quads = LayerKernels.quadCount(d);
    Objects.checkFromIndexSize(0, pairs, s2.length);
    Objects.checkFromIndexSize(0, quads, s4.length);
    Objects.checkFromIndexSize(0, LayerKernels.momentsWorkLength(d), work.length);
    if (d == 1) {
      moments1(z[0], n, s2, s4);
      return;
    }
    // work = [pair products of a chunk: pairs x MOMENT_CHUNK][s2 partials: pairs x 8][s4 partials: quads x 8]
    int p2 = pairs * MOMENT_CHUNK;
    int p4 = p2 + pairs * DOUBLE_PARTIALS;
    Arrays.fill(work, p2, p4 + quads * DOUBLE_PARTIALS, 0.0);
    for (int i0 = 0; i0 < n; i0 += MOMENT_CHUNK) {
      int c = Math.min(MOMENT_CHUNK, n - i0);
      int cPad = (c + FL - 1) & -FL; // products beyond c are zero: fma(0, 0, s) = s
      int u = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++, u++) {
          int pu = u * MOMENT_CHUNK;
          DoubleVector q0 = DoubleVector.fromArray(D, work, p2 + u * DOUBLE_PARTIALS);
          DoubleVector q1 = DoubleVector.fromArray(D, work, p2 + u * DOUBLE_PARTIALS + DL);
          for (int k = 0; k < cPad; k += FL) {
            VectorMask<Float> t = F.indexInRange(k, c);
            FloatVector xv = FloatVector.fromArray(F, z[a], i0 + k, t);
            FloatVector yv = FloatVector.fromArray(F, z[b], i0 + k, t);
            DoubleVector r0 = lo(xv).mul(lo(yv));
            DoubleVector r1 = hi(xv).mul(hi(yv));
            r0.intoArray(work, pu + k);
            r1.intoArray(work, pu + k + DL);
            q0 = q0.add(r0);
            q1 = q1.add(r1);
          }
          q0.intoArray(work, p2 + u * DOUBLE_PARTIALS);
          q1.intoArray(work, p2 + u * DOUBLE_PARTIALS + DL);
        }
      }
      int q = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          int pu = pairPos(a, b, d) * MOMENT_CHUNK;
          for (int cc = b; cc < d; cc++) {
            for (int e = cc; e < d; e++, q++) {
              int pv = pairPos(cc, e, d) * MOMENT_CHUNK;
              int at = p4 + q * DOUBLE_PARTIALS;
              DoubleVector q0 = DoubleVector.fromArray(D, work, at);
              DoubleVector q1 = DoubleVector.fromArray(D, work, at + DL);
              for (int k = 0; k < cPad; k += FL) {
                q0 = DoubleVector.fromArray(D, work, pu + k).fma(DoubleVector.fromArray(D, work, pv + k), q0);
                q1 = DoubleVector.fromArray(D, work, pu + k + DL).fma(DoubleVector.fromArray(D, work, pv + k + DL), q1);
              }
              q0.intoArray(work, at);
              q1.intoArray(work, at + DL);
            }
          }
        }
      }
    }
    for (int u = 0; u < pairs; u++) {
      int at = p2 + u * DOUBLE_PARTIALS;
      s2[u] = halve(DoubleVector.fromArray(D, work, at), DoubleVector.fromArray(D, work, at + DL));
    }
    for (int q = 0; q < quads; q++) {
      int at = p4 + q * DOUBLE_PARTIALS;
      s4[q] = halve(DoubleVector.fromArray(D, work, at), DoubleVector.fromArray(D, work, at + DL));
    }
  }

  /** {@link LayerKernels#pairIndex} without the checks. */
  private static int pairPos(int a, int b, int d) {
    return a * d - a * (a - 1) / 2 + (b - a);
  }

  /** d = 1: s2 = Σ z², s4 = Σ fma(z², z², ·) in one pass. */
  private static void moments1(float[] x, int n, double[] s2, double[] s4) {
    DoubleVector a0 = DoubleVector.zero(D);
    DoubleVector a1 = DoubleVector.zero(D);
    DoubleVector c0 = DoubleVector.zero(D);
    DoubleVector c1 = DoubleVector.zero(D);
    int body = n & -FL;
    for (int i = 0; i < body; i += FL) {
      FloatVector xv = FloatVector.fromArray(F, x, i);
      DoubleVector x0 = lo(xv);
      DoubleVector x1 = hi(xv);
      DoubleVector p0 = x0.mul(x0);
      DoubleVector p1 = x1.mul(x1);
      a0 = a0.add(p0);
      a1 = a1.add(p1);
      c0 = p0.fma(p0, c0);
      c1 = p1.fma(p1, c1);
    }
    if (body < n) {
      FloatVector xv = FloatVector.fromArray(F, x, body, F.indexInRange(body, n));
      DoubleVector x0 = lo(xv);
      DoubleVector x1 = hi(xv);
      DoubleVector p0 = x0.mul(x0);
      DoubleVector p1 = x1.mul(x1);
      a0 = a0.add(p0);
      a1 = a1.add(p1);
      c0 = p0.fma(p0, c0);
      c1 = p1.fma(p1, c1);
    }
    s2[0] = halve(a0, a1);
    s4[0] = halve(c0, c1);
  }

  @Override
  public float maxAbs(float[][] z, int d, int n) {
    LayerChecks.rows(z, d, n);
    FloatVector max = FloatVector.zero(F);
    int body = n & -FL;
    VectorMask<Float> tail = F.indexInRange(body, n);
    for (int a = 0; a < d; a++) {
      float[] za = z[a];
      for (int i = 0; i < body; i += FL) {
        max = max.max(FloatVector.fromArray(F, za, i).abs());
      }
      if (body < n) {
        max = max.max(FloatVector.fromArray(F, za, body, tail).abs());
      }
    }
    return max.reduceLanes(VectorOperators.MAX);
  }
}
