package org.finwidth.vector.panama;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.finwidth.vector.KernelProvider;

/**
 * The vector shape of the kernels whose width follows the machine (the activation and normal
 * kernels; the layer kernels fix 256 bits): the machine's preferred shape, or the one
 * {@value KernelProvider#VECTOR_BITS_PROPERTY} forces, so that a test JVM can run the 8-lane and the
 * 16-lane code paths on any machine. The fields are {@code static final}, hence constants to C2
 * like {@code SPECIES_PREFERRED} itself (docs/performance.md, trap 2).
 */
final class VectorShapes {
  private VectorShapes() {}

  /** The shape: preferred, or forced by {@value KernelProvider#VECTOR_BITS_PROPERTY}. */
  static final VectorShape SHAPE = KernelProvider.forcedVectorBits().isPresent()
      ? VectorShape.forBitSize(KernelProvider.forcedVectorBits().getAsInt()) : VectorShape.preferredShape();

  /** Floats of {@link #SHAPE}. */
  static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);

  /** Doubles of {@link #SHAPE}. */
  static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED.withShape(SHAPE);
}
