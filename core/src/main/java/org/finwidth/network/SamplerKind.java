package org.finwidth.network;

import java.util.Locale;

/** The two samplers of docs/design.md invariant 3. */
public enum SamplerKind {
  /**
   * The network as it is: W<sup>(l)</sup><sub>ij</sub> ~ N(0, C_W/n<sub>l-1</sub>) and
   * b<sup>(l)</sup><sub>i</sub> ~ N(0, C_b) generated on the fly and used once; cost per layer
   * n<sub>l</sub> n<sub>l-1</sub> normals and d n<sub>l</sub> n<sub>l-1</sub> multiply-adds.
   */
  WEIGHTS,
  /**
   * Exact in distribution (docs/theory.md §1.4): given layer l, the preactivations of layer l+1 are
   * i.i.d. over neurons, N(0, Ĝ<sup>(l+1)</sup>), drawn through the Cholesky factor of the d×d
   * metric; cost per layer n<sub>l</sub> d normals and O(n<sub>l</sub> d<sup>2</sup>) arithmetic.
   */
  CONDITIONAL;

  /** The command-line name: {@code weights} or {@code conditional}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code weights} or {@code conditional} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the allowed ones otherwise
   */
  public static SamplerKind parse(String name) {
    if (name != null) {
      for (SamplerKind k : values()) {
        if (k.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException("unknown sampler '" + name + "', expected weights or conditional");
  }
}
