package org.finwidth.theory;

import java.util.Arrays;

/**
 * A discrete measure on the lattice u_i = i·h of a logarithmic variable u = log x (x &gt; 0),
 * plus a mass at x = 0 ("null"), used by {@link ExactLaw} for the laws of sums of positive
 * terms. Weights are not densities: node i carries the weight w_i, and the measure stands for a
 * law μ through Σ_i w_i f(u_i) ≈ ∫ f dμ for every f smooth on the scale of h (docs/theory.md
 * §6.5). A point mass at an arbitrary u is spread over the {@link #order} nearest nodes with the
 * Lagrange interpolation weights (which may be negative), so that the measure integrates
 * polynomials of degree below the order exactly and smooth functions to O(h^order).
 *
 * <p>Mutable during construction, then treated as immutable. Package-private.
 */
final class LatticeLaw {
  /** Spacing h of the lattice. */
  final double h;
  /** Stencil size r (even): a point mass is spread over r nodes. */
  final int order;
  /** Lattice index of w[0]. */
  int lo;
  /** Node weights. */
  double[] w;
  /** Mass at x = 0 (exact atoms plus terms below the lattice's lower end). */
  double nil;

  LatticeLaw(double h, int order, int lo, double[] w, double nil) {
    this.h = h;
    this.order = order;
    this.lo = lo;
    this.w = w;
    this.nil = nil;
  }

  /** The law of the constant 0 (the identity of {@link #sum}). */
  static LatticeLaw zero(double h, int order) {
    return new LatticeLaw(h, order, 0, new double[0], 1);
  }

  int hi() {
    return lo + w.length - 1;
  }

  /** Total mass, nil included. */
  double mass() {
    double s = nil;
    for (double x : w) {
      s += x;
    }
    return s;
  }

  /** Σ w_i e^{p u_i} (the p-th moment of x without the nil part), computed without overflow where it is finite. */
  double moment(int p) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] != 0) {
        s += w[i] * Math.exp(p * (lo + i) * h);
      }
    }
    return s;
  }

  /**
   * Lagrange weights of the r-point stencil x_s = s (s = 0..r−1) at x = r/2 − 1 + θ, θ ∈ [0, 1).
   */
  static void lagrange(double theta, int r, double[] out) {
    int c = r / 2 - 1;
    if (theta == 0) {
      Arrays.fill(out, 0, r, 0);
      out[c] = 1;
      return;
    }
    // x − m = (c − m) + θ, formed without rounding x itself (θ close to 1 must not land on a node).
    double prod = 1;
    for (int m = 0; m < r; m++) {
      prod *= (c - m) + theta;
    }
    for (int s = 0; s < r; s++) {
      double d = (c - s) + theta;
      if (d == 0) {
        Arrays.fill(out, 0, r, 0);
        out[s] = 1;
        return;
      }
      out[s] = prod * BARY[r][s] / d;
    }
  }

  /** Barycentric constants 1/Π_{m≠s}(s − m) per stencil size. */
  private static final double[][] BARY = new double[41][];

  static {
    for (int r = 2; r <= 40; r += 2) {
      BARY[r] = new double[r];
      for (int s = 0; s < r; s++) {
        double p = 1;
        for (int m = 0; m < r; m++) {
          if (m != s) {
            p *= s - m;
          }
        }
        BARY[r][s] = 1 / p;
      }
    }
  }

  /**
   * Accumulates point masses at real lattice positions (u/h) into a new law; positions below
   * {@code minIndex} go to nil.
   */
  static final class Builder {
    final double h;
    final int order;
    private final int half;
    private double[] acc;
    private int base; // lattice index of acc[0]
    private double nil;
    private final double[] lw;

    Builder(double h, int order, int expectLo, int expectHi) {
      this.h = h;
      this.order = order;
      this.half = order / 2;
      this.base = expectLo - half;
      this.acc = new double[Math.max(1, expectHi - expectLo + 2 * half + 2)];
      this.lw = new double[order];
    }

    void addNil(double m) {
      nil += m;
    }

    /** Adds mass m at the real lattice position x (= u/h). */
    void add(double x, double m) {
      if (m == 0) {
        return;
      }
      double f = Math.floor(x);
      int b = (int) f;
      lagrange(x - f, order, lw);
      int first = b - half + 1;
      ensure(first, first + order - 1);
      int o = first - base;
      for (int s = 0; s < order; s++) {
        acc[o + s] += m * lw[s];
      }
    }

    /** Adds m·weights[s] at lattice indices first + s. */
    void addStencil(int first, double[] weights, double m) {
      ensure(first, first + order - 1);
      int o = first - base;
      for (int s = 0; s < order; s++) {
        acc[o + s] += m * weights[s];
      }
    }

    double[] array() {
      return acc;
    }

    int base() {
      return base;
    }

    /** Adds m at lattice index i exactly. */
    void addAt(int i, double m) {
      ensure(i, i);
      acc[i - base] += m;
    }

    void ensure(int from, int to) {
      if (from >= base && to < base + acc.length) {
        return;
      }
      int newBase = Math.min(base, from - 16);
      int newEnd = Math.max(base + acc.length, to + 17);
      double[] grown = new double[newEnd - newBase];
      System.arraycopy(acc, 0, grown, base - newBase, acc.length);
      acc = grown;
      base = newBase;
    }

    /** The law; nodes whose index is below minIndex are moved to nil (pass Integer.MIN_VALUE for none). */
    LatticeLaw build(int minIndex) {
      int first = 0;
      int last = acc.length - 1;
      double extraNil = 0;
      double total = nil;
      for (double x : acc) {
        total += x;
      }
      double trim = TRIM * Math.abs(total);
      while (first <= last
          && (base + first < minIndex || Math.abs(extraNil) + Math.abs(acc[first]) < trim)) {
        extraNil += acc[first];
        first++;
      }
      while (last >= first && acc[last] == 0) {
        last--;
      }
      double[] w = first > last ? new double[0] : Arrays.copyOfRange(acc, first, last + 1);
      return new LatticeLaw(h, order, base + first, w, nil + extraNil);
    }
  }

  /**
   * Lower-end nodes whose cumulative weight is below this share of the total join nil (their
   * values are smaller than the rest, so the moments move by less than this share).
   */
  static final double TRIM = 1e-20;

  /** Below this distance between two terms (in log) the smaller one is dropped: e^-37 < 1e-16. */
  static final double FAR = 37;

  /**
   * The law of the sum of two independent terms with these laws (same lattice), nodes below
   * minIndex moved to nil. Pairs of nodes further apart than {@link #FAR} in u are added at the
   * larger node unshifted (relative error below 1e-16 in x).
   */
  static LatticeLaw sum(LatticeLaw a, LatticeLaw b, int minIndex) {
    if (a.h != b.h || a.order != b.order) {
      throw new IllegalArgumentException("lattices differ");
    }
    double h = a.h;
    int r = a.order;
    int half = r / 2;
    int aHi = a.hi();
    int bHi = b.hi();
    int lo = Math.min(a.lo, b.lo);
    int hi = Math.max(aHi, bHi);
    int shiftMax = (int) Math.ceil(Math.log(2) / h) + 1;
    Builder out = new Builder(h, r, lo - half, hi + shiftMax + half);
    out.addNil(a.nil * b.nil);
    // nil ⊕ measure: unshifted.
    if (b.nil != 0) {
      for (int i = 0; i < a.w.length; i++) {
        out.addAt(a.lo + i, a.w[i] * b.nil);
      }
    }
    if (a.nil != 0) {
      for (int j = 0; j < b.w.length; j++) {
        out.addAt(b.lo + j, b.w[j] * a.nil);
      }
    }
    if (a.w.length > 0 && b.w.length > 0) {
      int dCut = (int) Math.floor(FAR / h);
      // Dense views of a and b over [lo, hi].
      int len = hi - lo + 1;
      double[] av = new double[len];
      double[] bv = new double[len];
      System.arraycopy(a.w, 0, av, a.lo - lo, a.w.length);
      System.arraycopy(b.w, 0, bv, b.lo - lo, b.w.length);
      // Far pairs: prefix sums.
      double[] ap = new double[len + 1];
      double[] bp = new double[len + 1];
      for (int i = 0; i < len; i++) {
        ap[i + 1] = ap[i] + av[i];
        bp[i + 1] = bp[i] + bv[i];
      }
      for (int m = dCut + 1; m < len; m++) {
        double far = av[m] * bp[m - dCut] + bv[m] * ap[m - dCut];
        if (far != 0) {
          out.addAt(lo + m, far);
        }
      }
      double[] lw = new double[r];
      boolean symmetric = a == b;
      // Pairs whose product is below this share of the total mass are dropped (with their mass).
      double negligible = 1e-30 * Math.abs(a.mass() * b.mass());
      double dropped = 0;
      out.ensure(lo - half - 2, hi + shiftMax + half + 2);
      double[] acc = out.array();
      int accBase = out.base();
      for (int d = 0; d <= Math.min(dCut, len - 1); d++) {
        double s = Math.log1p(Math.exp(-d * h)) / h; // in lattice units
        double f = Math.floor(s);
        lagrange(s - f, r, lw);
        int off = lo + (int) f - half + 1 - accBase;
        for (int m = d; m < len; m++) {
          double prod;
          if (d == 0) {
            prod = av[m] * bv[m];
          } else if (symmetric) {
            prod = 2 * av[m - d] * bv[m];
          } else {
            prod = av[m - d] * bv[m] + av[m] * bv[m - d];
          }
          if (Math.abs(prod) <= negligible) {
            dropped += prod;
            continue;
          }
          int o = m + off;
          for (int t = 0; t < r; t++) {
            acc[o + t] += prod * lw[t];
          }
        }
      }
      out.addNil(dropped);
    }
    return out.build(minIndex);
  }

  /** The same measure on the lattice of spacing h/factor (node i becomes node i·factor). */
  LatticeLaw refine(int factor) {
    if (factor == 1) {
      return this;
    }
    double[] fine = new double[w.length == 0 ? 0 : (w.length - 1) * factor + 1];
    for (int i = 0; i < w.length; i++) {
      fine[i * factor] = w[i];
    }
    return new LatticeLaw(h / factor, order, lo * factor, fine, nil);
  }

  /** Standard deviation of u under the non-nil part (0 if empty). */
  double logSd() {
    double m0 = 0;
    double m1 = 0;
    for (int i = 0; i < w.length; i++) {
      m0 += w[i];
      m1 += w[i] * (lo + i);
    }
    if (!(m0 > 0)) {
      return 0;
    }
    double mean = m1 / m0;
    double v = 0;
    for (int i = 0; i < w.length; i++) {
      double d = lo + i - mean;
      v += w[i] * d * d;
    }
    return Math.sqrt(Math.max(v / m0, 0)) * h;
  }

  /** The law of the sum of n independent copies (binary powering). */
  static LatticeLaw power(LatticeLaw x, int n, java.util.function.IntUnaryOperator minIndexForCount) {
    LatticeLaw result = null;
    int resultCount = 0;
    LatticeLaw base = x;
    int baseCount = 1;
    for (int bits = n; bits > 0; bits >>= 1) {
      if ((bits & 1) != 0) {
        resultCount += baseCount;
        result = result == null ? base : sum(result, base, minIndexForCount.applyAsInt(resultCount));
      }
      if (bits > 1) {
        baseCount *= 2;
        base = sum(base, base, minIndexForCount.applyAsInt(baseCount));
      }
    }
    return result;
  }
}
