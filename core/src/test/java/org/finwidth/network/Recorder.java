package org.finwidth.network;

import java.util.Arrays;

/** A sink that keeps copies of every layer of the last network (z rows cut to the width, metric). */
final class Recorder implements LayerSink {

  final float[][][] z;
  final double[][] metric;
  final int[] width;
  int layers;

  Recorder(NetworkSpec spec) {
    int depth = spec.depth();
    z = new float[depth + 1][][];
    metric = new double[depth + 1][];
    width = new int[depth + 1];
  }

  /** Forgets the previous network. */
  Recorder reset() {
    layers = 0;
    return this;
  }

  @Override
  public void layer(int l, float[][] zl, int n, double[] m) {
    if (l != layers + 1) {
      throw new AssertionError("layer " + l + " after layer " + layers);
    }
    layers = l;
    int d = m.length == 1 ? 1 : (int) Math.round(Math.sqrt(m.length));
    z[l] = new float[d][];
    for (int a = 0; a < d; a++) {
      z[l][a] = Arrays.copyOf(zl[a], n);
    }
    metric[l] = m.clone();
    width[l] = n;
  }

  /** Whether every layer of two recordings is bitwise the same (z and metric). */
  boolean sameAs(Recorder o) {
    if (layers != o.layers) {
      return false;
    }
    for (int l = 1; l <= layers; l++) {
      if (!Arrays.deepEquals(z[l], o.z[l]) || !Arrays.equals(metric[l], o.metric[l])) {
        return false;
      }
    }
    return true;
  }
}
