package org.finwidth.vector;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Chooses, once per JVM, which implementation of every kernel family runs: the Panama (Vector API)
 * kernels of {@code org.finwidth.vector.panama} or the scalar reference kernels of this package
 * (the pattern of Lucene's {@code VectorizationProvider}).
 *
 * <p>The choice, made by the first {@link #getInstance()} and logged through {@link System.Logger}
 * (logger {@code org.finwidth.vector.KernelProvider}: DEBUG for the automatic Panama choice, INFO
 * for a forced or scalar choice, WARNING when the module is missing):
 * <ul>
 *   <li>{@code -Dfinwidth.kernels=scalar}: the scalar kernels.
 *   <li>{@code -Dfinwidth.kernels=panama}: the Panama kernels, or an {@link IllegalStateException}
 *       saying why they cannot be loaded (the module {@code jdk.incubator.vector} not resolved:
 *       add {@code --add-modules jdk.incubator.vector}). Forced Panama runs even where the automatic
 *       choice would not take it (fewer than 8 float lanes, no C2), with a warning.
 *   <li>unset, empty or {@code auto}: Panama if the module is resolved, its kernels load (a JVM
 *       whose vectors they cannot use, e.g. {@code -XX:MaxVectorSize=8}, gets the scalar kernels
 *       and a WARNING naming the reason), the preferred vector shape
 *       holds at least 8 floats (256 bits: AVX2, AVX-512, 256-bit SVE) and C2 is enabled; scalar
 *       otherwise. Why 8: the kernels were measured (bench/README.md) on 256- and 512-bit x86; on
 *       128-bit vectors (NEON, SSE) some Vector API operations are not intrinsified and fall back to
 *       Java code that is orders of magnitude slower, so 128-bit hardware is opt-in until measured.
 *       Without C2 the Vector API is never compiled to vector instructions.
 *   <li>any other value: an {@link IllegalArgumentException} naming the allowed values.
 * </ul>
 * The Panama classes are loaded reflectively, so this class and the scalar kernels work on a JVM
 * without the incubator module.
 *
 * <p>Adding a kernel family: one abstract accessor here, its scalar implementation returned by
 * {@code ScalarKernelProvider}, its Panama one by {@code PanamaKernelProvider}.
 */
public abstract class KernelProvider {

  /** The system property that forces an implementation: {@code panama}, {@code scalar} or {@code auto}. */
  public static final String PROPERTY = "finwidth.kernels";

  /**
   * The system property that forces the vector width of the Panama kernels whose width follows the
   * machine (activations, normals): {@code 128}, {@code 256} or {@code 512} bits; unset, empty or
   * {@code auto}: the machine's preferred width. Results do not depend on it (docs/design.md
   * invariant 1); the tests force 256 and 512 bits to run both code paths on any machine (a width
   * the hardware lacks runs, slowly, without vector instructions).
   */
  public static final String VECTOR_BITS_PROPERTY = "finwidth.vector.bits";

  /** The name of the Vector API module. */
  public static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** Minimum float lanes of the preferred species for the automatic choice of Panama. */
  public static final int MIN_AUTO_FLOAT_LANES = 8;

  static final String PANAMA_CLASS = "org.finwidth.vector.panama.PanamaKernelProvider";

  private static final Logger LOG = System.getLogger(KernelProvider.class.getName());

  private static volatile KernelProvider instance;

  /** The implementations a provider can be. */
  public enum Implementation {
    /** The scalar reference kernels (plain Java, {@code Math}-based). */
    SCALAR,
    /** The Vector API kernels. */
    PANAMA
  }

  /** For the two implementations only (scalar here, Panama in {@code vector.panama}). */
  protected KernelProvider() {}

  /** Which implementation this is. */
  public abstract Implementation implementation();

  /** Float lanes per vector the kernels use (1 for scalar). */
  public abstract int floatLanes();

  /** One line for logs and reports, e.g. {@code "Panama: FloatVector 256-bit, 8 lanes"}. */
  public abstract String description();

  /** The activation kernels (σ, σ', fused σ + Gram). */
  public abstract ActivationKernels activationKernels();

  /**
   * The normal generators (xoshiro128++ lanes seeded by Philox4x32-10, float Box–Muller; bitwise
   * the same in every implementation).
   */
  public abstract NormalKernels normalKernels();

  /** The sampler kernels (fused weights layer, conditional layer, moment sums; bitwise the same in every implementation). */
  public abstract LayerKernels layerKernels();

  /** The NTK sampler's kernels (forward over kept weights, backward Jacobian rows; bitwise the same in every implementation). */
  public abstract TangentKernels tangentKernels();

  /**
   * The provider of this JVM, chosen on first call (see the class comment) and then fixed.
   *
   * @throws IllegalArgumentException if {@code -Dfinwidth.kernels} has an unknown value
   * @throws IllegalStateException if {@code -Dfinwidth.kernels=panama} cannot be honoured; the
   *     choice is retried (and fails again) on every call, it is never silently replaced
   */
  public static KernelProvider getInstance() {
    KernelProvider p = instance;
    if (p == null) {
      synchronized (KernelProvider.class) {
        p = instance;
        if (p == null) {
          p = select(System.getProperty(PROPERTY));
          instance = p;
        }
      }
    }
    return p;
  }

  /**
   * The vector width in bits that {@value #VECTOR_BITS_PROPERTY} forces, or empty when it is unset,
   * empty or {@code auto} (then the machine's preferred width is used).
   *
   * @throws IllegalArgumentException if the property has another value than 128, 256, 512 or auto
   */
  public static OptionalInt forcedVectorBits() {
    String v = System.getProperty(VECTOR_BITS_PROPERTY);
    String mode = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "", "auto" -> OptionalInt.empty();
      case "128", "256", "512" -> OptionalInt.of(Integer.parseInt(mode));
      default -> throw new IllegalArgumentException("-D" + VECTOR_BITS_PROPERTY + "=" + v
          + ": unknown value, expected 128, 256, 512 or auto");
    };
  }

  /** The scalar reference provider, always available (tests and benchmarks compare against it). */
  public static KernelProvider scalar() {
    return ScalarKernelProvider.INSTANCE;
  }

  /**
   * The choice for a given property value, logged; package-private so that tests can exercise every
   * branch without a new JVM.
   */
  static KernelProvider select(String property) {
    String mode = property == null ? "" : property.trim().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "scalar" -> {
        KernelProvider p = scalar();
        LOG.log(Level.INFO, "finwidth kernels: {0} (forced by -D{1}=scalar)", p.description(),
            PROPERTY);
        return p;
      }
      case "panama" -> {
        forcedVectorBits(); // a bad width fails here, in one line, not inside the Panama classes
        if (!vectorModulePresent()) {
          throw new IllegalStateException("-D" + PROPERTY + "=panama, but the module "
              + VECTOR_MODULE + " is not resolved in this JVM: add '--add-modules " + VECTOR_MODULE
              + "' to the java command line (or drop the property to fall back to scalar kernels)");
        }
        KernelProvider p = loadPanama();
        Optional<String> weak = autoObjection(p);
        if (weak.isPresent()) {
          LOG.log(Level.WARNING, "finwidth kernels: {0} (forced by -D{1}=panama although {2})",
              p.description(), PROPERTY, weak.get());
        } else {
          LOG.log(Level.INFO, "finwidth kernels: {0} (forced by -D{1}=panama)", p.description(),
              PROPERTY);
        }
        return p;
      }
      case "", "auto" -> {
        forcedVectorBits();
        if (!vectorModulePresent()) {
          LOG.log(Level.WARNING, "finwidth kernels: scalar, because the module {0} is not resolved;"
              + " add ''--add-modules {0}'' to the java command line for the Vector API kernels"
              + " (20-50 times faster activations)", VECTOR_MODULE);
          return scalar();
        }
        KernelProvider p;
        try {
          p = loadPanama();
        } catch (IllegalStateException e) {
          // e.g. -XX:MaxVectorSize=8: the JVM offers no vector shape the kernels can use
          LOG.log(Level.WARNING, "finwidth kernels: scalar, because {0}", e.getMessage());
          return scalar();
        }
        Optional<String> weak = autoObjection(p);
        if (weak.isPresent()) {
          LOG.log(Level.INFO, "finwidth kernels: scalar, because {0} (force the Vector API kernels"
              + " with -D{1}=panama)", weak.get(), PROPERTY);
          return scalar();
        }
        // The expected choice is not news for a user (it would print on every command): DEBUG.
        LOG.log(Level.DEBUG, "finwidth kernels: {0}", p.description());
        return p;
      }
      default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + property
          + ": unknown value, expected panama, scalar or auto");
    }
  }

  static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  private static KernelProvider loadPanama() {
    try {
      return (KernelProvider) Class.forName(PANAMA_CLASS).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      // the innermost cause is the reason (e.g. "unsupported vector shape S_64_BIT" under
      // -XX:MaxVectorSize=8, inside an initializer error inside the reflective wrapper)
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new IllegalStateException("the Vector API kernels cannot run in this JVM ("
          + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
          + "; check the JVM options, e.g. -XX:MaxVectorSize)", e);
    }
  }

  /** Why the automatic choice would not take these Panama kernels, if it would not. */
  private static Optional<String> autoObjection(KernelProvider panama) {
    if (panama.floatLanes() < MIN_AUTO_FLOAT_LANES) {
      return Optional.of("the preferred vector holds only " + panama.floatLanes()
          + " floats (fewer than " + MIN_AUTO_FLOAT_LANES + ")");
    }
    return c2Objection();
  }

  /** Lucene's test: no C2 (interpreter only, or tiered compilation stopped below level 4). */
  private static Optional<String> c2Objection() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean bean =
          ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      if (bean == null) {
        return Optional.empty();
      }
      if ("false".equals(bean.getVMOption("UseCompiler").getValue())) {
        return Optional.of("the JIT compiler is off (-Xint)");
      }
      if ("true".equals(bean.getVMOption("TieredCompilation").getValue())
          && Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue()) < 4) {
        return Optional.of("C2 is disabled (-XX:TieredStopAtLevel < 4)");
      }
      return Optional.empty();
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty(); // not HotSpot, or no management module: assume a compiling JVM
    }
  }
}
