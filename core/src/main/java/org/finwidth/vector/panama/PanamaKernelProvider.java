package org.finwidth.vector.panama;

import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;
import org.finwidth.vector.TangentKernels;

/**
 * The Vector API kernels of every family, on the preferred species (or the width
 * {@value KernelProvider#VECTOR_BITS_PROPERTY} forces: {@link VectorShapes}). Instantiated reflectively by
 * {@link KernelProvider} (public no-argument constructor); do not use directly.
 */
public final class PanamaKernelProvider extends KernelProvider {

  private final PanamaActivationKernels activationKernels = new PanamaActivationKernels();
  private final PanamaNormalKernels normalKernels = new PanamaNormalKernels();
  private final PanamaLayerKernels layerKernels = new PanamaLayerKernels(normalKernels);
  private final PanamaTangentKernels tangentKernels = new PanamaTangentKernels();

  /** Loads the Vector API classes; called by {@link KernelProvider} through reflection. */
  public PanamaKernelProvider() {}

  @Override
  public Implementation implementation() {
    return Implementation.PANAMA;
  }

  @Override
  public int floatLanes() {
    return VectorShapes.FLOAT.length();
  }

  @Override
  public String description() {
    return "Panama (jdk.incubator.vector): FloatVector " + VectorShapes.FLOAT.vectorBitSize()
        + "-bit, " + floatLanes() + " lanes"
        + (KernelProvider.forcedVectorBits().isPresent() ? " (forced by -D" + KernelProvider.VECTOR_BITS_PROPERTY + ")" : "");
  }

  @Override
  public ActivationKernels activationKernels() {
    return activationKernels;
  }

  @Override
  public NormalKernels normalKernels() {
    return normalKernels;
  }

  @Override
  public LayerKernels layerKernels() {
    return layerKernels;
  }

  @Override
  public TangentKernels tangentKernels() {
    return tangentKernels;
  }
}
