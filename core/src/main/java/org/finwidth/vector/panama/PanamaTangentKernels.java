package org.finwidth.vector.panama;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.TangentKernels;

/**
 * {@link TangentKernels} on the Vector API, bitwise equal to the scalar reference
 * ({@code ScalarTangentKernels}).
 *
 * <p>Forward: the dot products on 256-bit vectors in the fixed 16-partial order (two 8-lane
 * accumulators per sum, as {@link PanamaLayerKernels}), four rows at a time against one padded
 * input. Backward: the width of {@link VectorShapes} (the machine's, or a forced one; the order of
 * the sum over i is per element, so the width does not change a bit), four rows × two vectors of columns per tile: eight
 * accumulators, each weight vector loaded once for the four rows.
 */
public final class PanamaTangentKernels implements TangentKernels {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final int FL = 8;
  private static final VectorSpecies<Float> P = VectorShapes.FLOAT;
  private static final int PL = P.length();

  /** Stateless kernels. */
  public PanamaTangentKernels() {
    if (F.length() != FL || LayerKernels.FLOAT_PARTIALS != 2 * FL) {
      throw new IllegalStateException("unexpected species " + F);
    }
  }

  @Override
  public String name() {
    return "panama";
  }

  // ---- forward ------------------------------------------------------------------------------

  @Override
  public void storedLayer(float[] g, int m, int n, float[][] h, int d, float weightScale, float[] bias,
      float[][] z, float[] work) {
    TangentKernels.checkStored(g, m, n, h, d, bias, z, work);
    int mPad = (m + LayerKernels.FLOAT_PARTIALS - 1) & -LayerKernels.FLOAT_PARTIALS;
    for (int a = 0; a < d; a++) {
      System.arraycopy(h[a], 0, work, a * mPad, m);
      Arrays.fill(work, a * mPad + m, (a + 1) * mPad, 0f);
      rows(g, m, mPad, n, work, a * mPad, z[a], weightScale, bias);
    }
  }

  /** Rows 0..n of g dotted with the padded input at x[xo ..]: four rows at a time, then one. */
  private static void rows(float[] g, int m, int mPad, int n, float[] x, int xo, float[] z, float ws, float[] bias) {
    int i = 0;
    for (; i + 3 < n; i += 4) {
      int row = i * m;
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
        FloatVector x0 = FloatVector.fromArray(F, x, xo + j);
        FloatVector x1 = FloatVector.fromArray(F, x, xo + j + FL);
        a0 = FloatVector.fromArray(F, g, row + j).fma(x0, a0);
        a1 = FloatVector.fromArray(F, g, row + j + FL).fma(x1, a1);
        b0 = FloatVector.fromArray(F, g, row2 + j).fma(x0, b0);
        b1 = FloatVector.fromArray(F, g, row2 + j + FL).fma(x1, b1);
        c0 = FloatVector.fromArray(F, g, row3 + j).fma(x0, c0);
        c1 = FloatVector.fromArray(F, g, row3 + j + FL).fma(x1, c1);
        e0 = FloatVector.fromArray(F, g, row4 + j).fma(x0, e0);
        e1 = FloatVector.fromArray(F, g, row4 + j + FL).fma(x1, e1);
      }
      FloatVector r = a0.add(a1);
      r = r.add(r.slice(4));
      r = r.add(r.slice(2));
      r = r.add(r.slice(1));
      z[i] = Math.fma(ws, r.lane(0), bias[i]);
      FloatVector t = b0.add(b1);
      t = t.add(t.slice(4));
      t = t.add(t.slice(2));
      t = t.add(t.slice(1));
      z[i + 1] = Math.fma(ws, t.lane(0), bias[i + 1]);
      FloatVector u = c0.add(c1);
      u = u.add(u.slice(4));
      u = u.add(u.slice(2));
      u = u.add(u.slice(1));
      z[i + 2] = Math.fma(ws, u.lane(0), bias[i + 2]);
      FloatVector v = e0.add(e1);
      v = v.add(v.slice(4));
      v = v.add(v.slice(2));
      v = v.add(v.slice(1));
      z[i + 3] = Math.fma(ws, v.lane(0), bias[i + 3]);
    }
    for (; i < n; i++) {
      int row = i * m;
      FloatVector a0 = FloatVector.zero(F);
      FloatVector a1 = FloatVector.zero(F);
      for (int j = 0; j < mPad; j += 16) {
        a0 = FloatVector.fromArray(F, g, row + j).fma(FloatVector.fromArray(F, x, xo + j), a0);
        a1 = FloatVector.fromArray(F, g, row + j + FL).fma(FloatVector.fromArray(F, x, xo + j + FL), a1);
      }
      FloatVector r = a0.add(a1);
      r = r.add(r.slice(4));
      r = r.add(r.slice(2));
      r = r.add(r.slice(1));
      z[i] = Math.fma(ws, r.lane(0), bias[i]);
    }
  }

  // ---- backward -----------------------------------------------------------------------------

  @Override
  public void backward(float[][] in, int rows, float[] g, int n, int m, float scale, float[][] mult, float[][] out) {
    TangentKernels.checkBackward(in, rows, g, n, m, mult, out);
    int r = 0;
    for (; r + 3 < rows; r += 4) {
      four(in[r], in[r + 1], in[r + 2], in[r + 3], g, n, m, scale, mult[r], mult[r + 1], mult[r + 2], mult[r + 3],
          out[r], out[r + 1], out[r + 2], out[r + 3]);
    }
    for (; r < rows; r++) {
      one(in[r], g, n, m, scale, mult[r], out[r]);
    }
  }

  /** Four rows: tiles of two vectors of columns, then one vector, then scalar columns. */
  private static void four(float[] x0, float[] x1, float[] x2, float[] x3, float[] g, int n, int m, float scale,
      float[] u0, float[] u1, float[] u2, float[] u3, float[] o0, float[] o1, float[] o2, float[] o3) {
    int j = 0;
    for (; j + 2 * PL <= m; j += 2 * PL) {
      FloatVector a0 = FloatVector.zero(P);
      FloatVector a1 = FloatVector.zero(P);
      FloatVector b0 = FloatVector.zero(P);
      FloatVector b1 = FloatVector.zero(P);
      FloatVector c0 = FloatVector.zero(P);
      FloatVector c1 = FloatVector.zero(P);
      FloatVector e0 = FloatVector.zero(P);
      FloatVector e1 = FloatVector.zero(P);
      for (int i = 0, gi = j; i < n; i++, gi += m) {
        FloatVector g0 = FloatVector.fromArray(P, g, gi);
        FloatVector g1 = FloatVector.fromArray(P, g, gi + PL);
        FloatVector s0 = FloatVector.broadcast(P, x0[i]);
        FloatVector s1 = FloatVector.broadcast(P, x1[i]);
        FloatVector s2 = FloatVector.broadcast(P, x2[i]);
        FloatVector s3 = FloatVector.broadcast(P, x3[i]);
        a0 = g0.fma(s0, a0);
        a1 = g1.fma(s0, a1);
        b0 = g0.fma(s1, b0);
        b1 = g1.fma(s1, b1);
        c0 = g0.fma(s2, c0);
        c1 = g1.fma(s2, c1);
        e0 = g0.fma(s3, e0);
        e1 = g1.fma(s3, e1);
      }
      a0.mul(scale).mul(FloatVector.fromArray(P, u0, j)).intoArray(o0, j);
      a1.mul(scale).mul(FloatVector.fromArray(P, u0, j + PL)).intoArray(o0, j + PL);
      b0.mul(scale).mul(FloatVector.fromArray(P, u1, j)).intoArray(o1, j);
      b1.mul(scale).mul(FloatVector.fromArray(P, u1, j + PL)).intoArray(o1, j + PL);
      c0.mul(scale).mul(FloatVector.fromArray(P, u2, j)).intoArray(o2, j);
      c1.mul(scale).mul(FloatVector.fromArray(P, u2, j + PL)).intoArray(o2, j + PL);
      e0.mul(scale).mul(FloatVector.fromArray(P, u3, j)).intoArray(o3, j);
      e1.mul(scale).mul(FloatVector.fromArray(P, u3, j + PL)).intoArray(o3, j + PL);
    }
    for (; j + PL <= m; j += PL) {
      FloatVector a0 = FloatVector.zero(P);
      FloatVector b0 = FloatVector.zero(P);
      FloatVector c0 = FloatVector.zero(P);
      FloatVector e0 = FloatVector.zero(P);
      for (int i = 0, gi = j; i < n; i++, gi += m) {
        FloatVector g0 = FloatVector.fromArray(P, g, gi);
        a0 = g0.fma(FloatVector.broadcast(P, x0[i]), a0);
        b0 = g0.fma(FloatVector.broadcast(P, x1[i]), b0);
        c0 = g0.fma(FloatVector.broadcast(P, x2[i]), c0);
        e0 = g0.fma(FloatVector.broadcast(P, x3[i]), e0);
      }
      a0.mul(scale).mul(FloatVector.fromArray(P, u0, j)).intoArray(o0, j);
      b0.mul(scale).mul(FloatVector.fromArray(P, u1, j)).intoArray(o1, j);
      c0.mul(scale).mul(FloatVector.fromArray(P, u2, j)).intoArray(o2, j);
      e0.mul(scale).mul(FloatVector.fromArray(P, u3, j)).intoArray(o3, j);
    }
    for (; j < m; j++) {
      float a = 0f;
      float b = 0f;
      float c = 0f;
      float e = 0f;
      for (int i = 0, gi = j; i < n; i++, gi += m) {
        float w = g[gi];
        a = Math.fma(x0[i], w, a);
        b = Math.fma(x1[i], w, b);
        c = Math.fma(x2[i], w, c);
        e = Math.fma(x3[i], w, e);
      }
      o0[j] = a * scale * u0[j];
      o1[j] = b * scale * u1[j];
      o2[j] = c * scale * u2[j];
      o3[j] = e * scale * u3[j];
    }
  }

  /** One row: as {@link #four}. */
  private static void one(float[] x0, float[] g, int n, int m, float scale, float[] u0, float[] o0) {
    int j = 0;
    for (; j + 2 * PL <= m; j += 2 * PL) {
      FloatVector a0 = FloatVector.zero(P);
      FloatVector a1 = FloatVector.zero(P);
      for (int i = 0, gi = j; i < n; i++, gi += m) {
        FloatVector s0 = FloatVector.broadcast(P, x0[i]);
        a0 = FloatVector.fromArray(P, g, gi).fma(s0, a0);
        a1 = FloatVector.fromArray(P, g, gi + PL).fma(s0, a1);
      }
      a0.mul(scale).mul(FloatVector.fromArray(P, u0, j)).intoArray(o0, j);
      a1.mul(scale).mul(FloatVector.fromArray(P, u0, j + PL)).intoArray(o0, j + PL);
    }
    for (; j + PL <= m; j += PL) {
      FloatVector a0 = FloatVector.zero(P);
      for (int i = 0, gi = j; i < n; i++, gi += m) {
        a0 = FloatVector.fromArray(P, g, gi).fma(FloatVector.broadcast(P, x0[i]), a0);
      }
      a0.mul(scale).mul(FloatVector.fromArray(P, u0, j)).intoArray(o0, j);
    }
    for (; j < m; j++) {
      float a = 0f;
      for (int i = 0, gi = j; i < n; i++, gi += m) {
        a = Math.fma(x0[i], g[gi], a);
      }
      o0[j] = a * scale * u0[j];
    }
  }
}
