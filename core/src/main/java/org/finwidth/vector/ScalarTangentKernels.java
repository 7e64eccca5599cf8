package org.finwidth.vector;

/**
 * The reference {@link TangentKernels}: plain loops that follow the definitions literally (the
 * forward's dot product is {@link ScalarLayerKernels}'s). The Panama kernels must give the same bits.
 */
public final class ScalarTangentKernels implements TangentKernels {

  /** The shared instance (the kernels are stateless). */
  public static final ScalarTangentKernels INSTANCE = new ScalarTangentKernels();

  private ScalarTangentKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void storedLayer(float[] g, int m, int n, float[][] h, int d, float weightScale, float[] bias,
      float[][] z, float[] work) {
    TangentKernels.checkStored(g, m, n, h, d, bias, z, work);
    int sums = work.length - LayerKernels.FLOAT_PARTIALS;
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        float dot = ScalarLayerKernels.dot(g, i * m, h[a], m, work, sums);
        z[a][i] = Math.fma(weightScale, dot, bias[i]);
      }
    }
  }

  @Override
  public void backward(float[][] in, int rows, float[] g, int n, int m, float scale, float[][] mult, float[][] out) {
    TangentKernels.checkBackward(in, rows, g, n, m, mult, out);
    for (int r = 0; r < rows; r++) {
      float[] x = in[r];
      float[] o = out[r];
      float[] u = mult[r];
      for (int j = 0; j < m; j++) {
        float acc = 0f;
        for (int i = 0; i < n; i++) {
          acc = Math.fma(x[i], g[i * m + j], acc);
        }
        o[j] = acc * scale * u[j];
      }
    }
  }
}
