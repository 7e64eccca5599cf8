package org.finwidth.activation.user;

import org.finwidth.activation.CustomActivation;

/** User activations for the homogeneity detector and the class loader (test fixtures). */
public final class UserPowers {
  private UserPowers() {}

  /** max(z, 0)^1.5: homogeneous of degree 3/2, kink at 0. */
  public static final class RectifiedPower implements CustomActivation {
    @Override
    public double value(double z) {
      return z > 0 ? Math.pow(z, 1.5) : 0;
    }

    @Override
    public double d1(double z) {
      return z > 0 ? 1.5 * Math.sqrt(z) : 0;
    }

    @Override
    public double d2(double z) {
      return z > 0 ? 0.75 / Math.sqrt(z) : 0;
    }

    @Override
    public double[] kinks() {
      return new double[] {0};
    }
  }

  /** z·|z| (odd, degree 2). */
  public static final class SignedSquare implements CustomActivation {
    @Override
    public double value(double z) {
      return z * Math.abs(z);
    }

    @Override
    public double d1(double z) {
      return 2 * Math.abs(z);
    }

    @Override
    public double d2(double z) {
      return z > 0 ? 2 : -2;
    }

    @Override
    public double[] kinks() {
      return new double[] {0};
    }
  }

  /** z + 1e-9 z²: almost, but not, homogeneous. */
  public static final class AlmostLinear implements CustomActivation {
    @Override
    public double value(double z) {
      return z + 1e-9 * z * z;
    }

    @Override
    public double d1(double z) {
      return 1 + 2e-9 * z;
    }

    @Override
    public double d2(double z) {
      return 2e-9;
    }
  }

  /** |z|^0.3: homogeneous, but of a degree below 1/2 (not reported). */
  public static final class LowDegree implements CustomActivation {
    @Override
    public double value(double z) {
      return Math.pow(Math.abs(z), 0.3);
    }

    @Override
    public double d1(double z) {
      return 0.3 * Math.signum(z) * Math.pow(Math.abs(z), -0.7);
    }

    @Override
    public double d2(double z) {
      return -0.21 * Math.pow(Math.abs(z), -1.7);
    }

    @Override
    public double[] kinks() {
      return new double[] {0};
    }
  }

  /** Not an activation at all (the loader must refuse it). */
  public static final class NotAnActivation {
    /** A public constructor, so only the interface is missing. */
    public NotAnActivation() {}
  }

  /** No public no-argument constructor. */
  public static final class NeedsArgument implements CustomActivation {
    private final double a;

    /** @param a a slope */
    public NeedsArgument(double a) {
      this.a = a;
    }

    @Override
    public double value(double z) {
      return a * z;
    }

    @Override
    public double d1(double z) {
      return a;
    }

    @Override
    public double d2(double z) {
      return 0;
    }
  }

  /** A constructor that throws. */
  public static final class Throws implements CustomActivation {
    /** Always throws. */
    public Throws() {
      throw new IllegalStateException("no license");
    }

    @Override
    public double value(double z) {
      return z;
    }

    @Override
    public double d1(double z) {
      return 1;
    }

    @Override
    public double d2(double z) {
      return 0;
    }
  }
}
