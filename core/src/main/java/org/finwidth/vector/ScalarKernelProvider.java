package org.finwidth.vector;

/** The scalar reference kernels of every family. */
final class ScalarKernelProvider extends KernelProvider {

  static final ScalarKernelProvider INSTANCE = new ScalarKernelProvider();

  private ScalarKernelProvider() {}

  @Override
  public Implementation implementation() {
    return Implementation.SCALAR;
  }

  @Override
  public int floatLanes() {
    return 1;
  }

  @Override
  public String description() {
    return "scalar (reference, java.lang.Math)";
  }

  @Override
  public ActivationKernels activationKernels() {
    return ScalarActivationKernels.INSTANCE;
  }

  @Override
  public NormalKernels normalKernels() {
    return ScalarNormalKernels.INSTANCE;
  }

  @Override
  public LayerKernels layerKernels() {
    return ScalarLayerKernels.INSTANCE;
  }

  @Override
  public TangentKernels tangentKernels() {
    return ScalarTangentKernels.INSTANCE;
  }
}
