package org.finwidth.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;

/**
 * An exact sum of doubles: a <em>superaccumulator</em> (a fixed-point integer wide enough for the
 * whole double range, in the spirit of Kulisch's long accumulator; cf. S. Collange, D. Defour,
 * S. Graillat, R. Iakymchuk, "Numerical reproducibility for the parallel reduction on multi- and
 * many-core architectures", Parallel Computing 49 (2015) 83–97). Every finite double is an integer
 * multiple of 2<sup>−1074</sup>, so a sum of doubles is such a multiple too; this class holds it
 * exactly, as a signed integer {@code V} in base 2<sup>32</sup> on a fixed grid of digits:
 *
 * <pre>
 *   value = Σ_k digit_k · 2^(32k − 1074),   k = 0 .. {@value #GRID} − 1
 * </pre>
 *
 * (digit 65 already holds the largest double; the grid leaves room for 2<sup>96</sup>
 * additions of it before it could overflow.) Only the window of digits in use is stored, so a
 * typical sum of block sums takes a few machine words.
 *
 * <p><b>Exactness.</b> {@link #add(double)} and {@link #add(ExactSum)} are exact, so the value
 * does not depend on the order or grouping of the additions: results merged from any thread
 * count, shard split or checkpoint are bitwise identical. Digits are stored in {@code long}s and
 * an addition changes at most three of them by less than 2<sup>32</sup>; carries are propagated
 * lazily (before 2<sup>30</sup> pending additions could overflow a digit) and before every read.
 *
 * <p><b>Non-finite values.</b> Adding ±∞ or NaN makes the sum non-finite, as IEEE addition
 * would: the state is one of finite {@code V}, +∞, −∞ or NaN, and +∞ + (−∞) = NaN. The finite
 * digits are dropped once the sum is non-finite (they can no longer matter), which keeps the
 * combination associative and commutative.
 *
 * <p><b>Reading.</b> {@link #doubleValue()} is the exact sum correctly rounded to the nearest
 * double (ties to even; ±∞ when the exact value rounds beyond the double range), so it is a
 * deterministic function of the exact value. {@link #toBigDecimal()} gives the exact value.
 *
 * <p><b>Serialised state</b> (a part of the shard and checkpoint formats; do not change it
 * without versioning them). The canonical form of a finite value {@code V ≠ 0} is its two's
 * complement in the fewest 32-bit words {@code w_0 .. w_{c−1}} (lowest first) with {@code w_0 ≠ 0},
 * and the grid index {@code low} of {@code w_0}:
 * {@code value = (Σ_{i<c−1} unsigned(w_i) 2^{32i} + signed(w_{c−1}) 2^{32(c−1)}) · 2^{32·low − 1074}}.
 * <ul>
 * <li>binary ({@link #writeTo}, {@link #readFrom}), big-endian as {@link DataOutput} writes:
 *     {@code u8 kind} (0 finite, 1 +∞, 2 −∞, 3 NaN); if finite: {@code u8 c} (0 for zero,
 *     at most {@value #GRID}); if {@code c > 0}: {@code u8 low} ({@code low + c ≤ GRID}) and
 *     the {@code c} words as {@code int32}, lowest first. Zero takes 2 bytes, a typical sum
 *     3 + 4c bytes with c ≈ 3..5.</li>
 * <li>text ({@link #toExactString}, {@link #parseExact}): {@code "0"}, {@code "NaN"},
 *     {@code "Infinity"}, {@code "-Infinity"} or {@code [-]0x<H>p<E>} with {@code H} the odd
 *     magnitude in lower-case hexadecimal and {@code E} a decimal exponent:
 *     {@code value = ±H · 2^E} (1.0 is {@code "0x1p0"}, −0.75 is {@code "-0x3p-2"}).</li>
 * </ul>
 *
 * <p>Not thread-safe. {@link #add(ExactSum) add(other)} may renormalise {@code other}'s internal
 * digits (its value does not change).
 */
public final class ExactSum {
  /** Number of base-2<sup>32</sup> digits of the grid. */
  public static final int GRID = 70;
  /** Exponent of the lowest bit of digit 0: the smallest subnormal is 2<sup>−1074</sup>. */
  public static final int MIN_EXPONENT = -1074;

  private static final int DIGIT_BITS = 32;
  private static final long DIGIT_MASK = 0xFFFF_FFFFL;
  /** Additions allowed between carry propagations: each changes a digit by less than 2^32, so
   *  digits stay below 2^62 in magnitude. */
  private static final int MAX_PENDING = 1 << 30;
  private static final long[] EMPTY = new long[0];

  private static final int FINITE = 0;
  private static final int POS_INF = 1;
  private static final int NEG_INF = 2;
  private static final int NAN = POS_INF | NEG_INF;

  /** digits[i] is grid digit lo + i (a signed long); cells at index ≥ len are zero. */
  private long[] digits = EMPTY;
  private int lo;
  private int len;
  /** Additions since the last carry propagation. */
  private int pending;
  /** Carry propagation threshold: {@link #MAX_PENDING}, smaller in tests of the carry logic. */
  private final int maxPending;
  /** FINITE, POS_INF, NEG_INF or NAN (= POS_INF | NEG_INF: the states combine by OR). */
  private int kind = FINITE;
  /** Whether the digits are in canonical form (normalised and trimmed). */
  private boolean canonical = true;

  /** An exact sum with value 0. */
  public ExactSum() {
    this(MAX_PENDING);
  }

  /** Test hook: propagates carries after every {@code maxPending} additions. */
  ExactSum(int maxPending) {
    this.maxPending = maxPending;
  }

  /** An exact sum holding {@code x}. */
  public static ExactSum of(double x) {
    ExactSum s = new ExactSum();
    s.add(x);
    return s;
  }

  /** A copy with the same value (independent state). */
  public ExactSum copy() {
    ExactSum c = new ExactSum(maxPending);
    c.digits = Arrays.copyOf(digits, digits.length);
    c.lo = lo;
    c.len = len;
    c.pending = pending;
    c.kind = kind;
    c.canonical = canonical;
    return c;
  }

  /** Adds {@code x} exactly. Zero (of either sign) changes nothing. */
  public void add(double x) {
    if (x == 0) {
      return;
    }
    if (!Double.isFinite(x)) {
      kind |= Double.isNaN(x) ? NAN : x > 0 ? POS_INF : NEG_INF;
      clearDigits();
      return;
    }
    if (kind != FINITE) {
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    int biased = (int) (bits >>> 52) & 0x7ff;
    long mant = bits & 0x000f_ffff_ffff_ffffL;
    int exponent; // x = ±mant · 2^exponent
    if (biased == 0) {
      exponent = MIN_EXPONENT;
    } else {
      mant |= 1L << 52;
      exponent = biased - 1075;
    }
    int bit = exponent - MIN_EXPONENT; // ≥ 0
    int k = bit >>> 5;
    int s = bit & 31;
    // mant · 2^s has at most 84 bits: split it into three 32-bit digits.
    long d0 = (mant << s) & DIGIT_MASK;
    long d1 = (mant >>> (DIGIT_BITS - s)) & DIGIT_MASK;
    long d2 = s == 0 ? 0 : mant >>> (64 - s);
    if (pending >= maxPending) {
      normalise();
    }
    ensure(k, k + 3);
    int i = k - lo;
    if (x > 0) {
      digits[i] += d0;
      digits[i + 1] += d1;
      digits[i + 2] += d2;
    } else {
      digits[i] -= d0;
      digits[i + 1] -= d1;
      digits[i + 2] -= d2;
    }
    pending++;
    canonical = false;
  }

  /** Adds another exact sum exactly (merging partial results). {@code other} keeps its value. */
  public void add(ExactSum other) {
    if (other.kind != FINITE || kind != FINITE) {
      kind |= other.kind;
      if (kind != FINITE) {
        clearDigits();
      }
      return;
    }
    other.normalise();
    if (other.len == 0) {
      return;
    }
    normalise();
    ensure(other.lo, other.lo + other.len);
    int off = other.lo - lo;
    for (int i = 0; i < other.len; i++) {
      digits[off + i] += other.digits[i];
    }
    pending = 1; // digits now below 2^33 in magnitude: like one pending addition
    canonical = false;
  }

  /** Whether the sum is finite (no infinity or NaN was added). */
  public boolean isFinite() {
    return kind == FINITE;
  }

  /** Whether the sum is exactly zero. */
  public boolean isZero() {
    normalise();
    return kind == FINITE && len == 0;
  }

  /**
   * The exact sum correctly rounded to the nearest double (ties to even); ±∞ if it rounds beyond
   * the double range or an infinity was added; NaN if a NaN or both infinities were added.
   */
  public double doubleValue() {
    switch (kind) {
      case POS_INF:
        return Double.POSITIVE_INFINITY;
      case NEG_INF:
        return Double.NEGATIVE_INFINITY;
      case NAN:
        return Double.NaN;
      default:
        break;
    }
    normalise();
    if (len == 0) {
      return 0.0;
    }
    return roundToDouble(toBigInteger(), DIGIT_BITS * lo + MIN_EXPONENT);
  }

  /**
   * The exact value.
   *
   * @throws ArithmeticException if the sum is not finite
   */
  public BigDecimal toBigDecimal() {
    if (kind != FINITE) {
      throw new ArithmeticException("the sum is not finite: " + toExactString());
    }
    normalise();
    if (len == 0) {
      return BigDecimal.ZERO;
    }
    return scaleByPowerOfTwo(new BigDecimal(toBigInteger()), DIGIT_BITS * lo + MIN_EXPONENT);
  }

  /** {@code v · 2^e} exactly. */
  static BigDecimal scaleByPowerOfTwo(BigDecimal v, int e) {
    if (e >= 0) {
      return v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(e)));
    }
    // 2^-k = 5^k / 10^k exactly
    return v.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-e), -e));
  }

  /** {@code v · 2^e} rounded to the nearest double, ties to even. */
  static double roundToDouble(BigInteger v, int e) {
    int sign = v.signum();
    if (sign == 0) {
      return 0.0;
    }
    BigInteger a = v.abs();
    int bitLength = a.bitLength();
    int top = bitLength - 1 + e; // exponent of the leading bit
    if (top > Double.MAX_EXPONENT) {
      return sign > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    // quantum of the result: 53 significant bits, but never below the subnormal step 2^-1074
    int quantum = Math.max(top - 52, MIN_EXPONENT);
    int shift = quantum - e;
    long m;
    if (shift <= 0) {
      m = a.longValueExact(); // ≤ 53 bits: exact (and quantum > e means nothing was dropped)
      quantum = e;
    } else {
      BigInteger q = a.shiftRight(shift);
      m = q.longValueExact();
      // round half to even on the dropped bits
      int cmp = compareHalf(a, shift);
      if (cmp > 0 || (cmp == 0 && (m & 1) != 0)) {
        m++;
      }
    }
    double r = Math.scalb((double) m, quantum); // m ≤ 2^53 · 2^quantum is representable (or ∞)
    return sign > 0 ? r : -r;
  }

  /** Compares the low {@code shift} bits of {@code a} with 2^(shift−1): −1, 0 or 1. */
  private static int compareHalf(BigInteger a, int shift) {
    if (!a.testBit(shift - 1)) {
      return -1;
    }
    // half bit set: above half iff any lower bit is set
    int lowest = a.getLowestSetBit();
    return lowest < shift - 1 ? 1 : 0;
  }

  private BigInteger toBigInteger() {
    // canonical: digits[0..len-2] unsigned 32-bit, digits[len-1] signed 32-bit
    BigInteger v = BigInteger.valueOf(digits[len - 1]);
    for (int i = len - 2; i >= 0; i--) {
      v = v.shiftLeft(DIGIT_BITS).or(BigInteger.valueOf(digits[i]));
    }
    return v;
  }

  // ---- digit window ------------------------------------------------------------------------

  private void clearDigits() {
    digits = EMPTY;
    lo = 0;
    len = 0;
    pending = 0;
    canonical = true;
  }

  /** Makes the window cover grid digits [from, to). */
  private void ensure(int from, int to) {
    if (len == 0) {
      if (digits.length < to - from) {
        digits = new long[Math.max(4, to - from)];
      }
      lo = from;
      len = to - from;
      return;
    }
    int newLo = Math.min(lo, from);
    int newHi = Math.max(lo + len, to);
    if (newLo == lo) {
      if (newHi - lo > digits.length) {
        digits = Arrays.copyOf(digits, Math.max(newHi - lo, 2 * digits.length));
      }
      len = newHi - lo;
      return;
    }
    long[] d = new long[Math.max(newHi - newLo, digits.length)];
    System.arraycopy(digits, 0, d, lo - newLo, len);
    digits = d;
    len = newHi - newLo;
    lo = newLo;
  }

  /**
   * Propagates carries and trims: afterwards digits[0] ≠ 0, digits[0..len-2] are in [0, 2^32)
   * and digits[len-1] is in [−2^31, 2^31) (the two's complement of V in the fewest words).
   */
  private void normalise() {
    if (canonical) {
      return;
    }
    long carry = 0;
    for (int i = 0; i < len; i++) {
      long v = digits[i] + carry;
      digits[i] = v & DIGIT_MASK;
      carry = v >> DIGIT_BITS;
    }
    while (carry != 0 && carry != -1) {
      ensure(lo, lo + len + 1);
      digits[len - 1] = carry & DIGIT_MASK;
      carry >>= DIGIT_BITS;
    }
    // the value is Σ digits[i] 2^{32i} + carry · 2^{32 len} with carry ∈ {0, −1}
    if (carry == 0 && len > 0 && digits[len - 1] >= 1L << 31) {
      ensure(lo, lo + len + 1); // a zero sign word keeps the top word non-negative
    } else if (carry == -1) {
      if (len > 0 && digits[len - 1] >= 1L << 31) {
        digits[len - 1] -= 1L << DIGIT_BITS; // the top word carries the sign
      } else {
        ensure(lo, lo + len + 1);
        digits[len - 1] = -1;
      }
    }
    // drop redundant top words: 0 above a word < 2^31, −1 above a word ≥ 2^31
    while (len > 1) {
      long t = digits[len - 1];
      long below = digits[len - 2];
      if (t == 0 && below < 1L << 31) {
        len--;
      } else if (t == -1 && below >= 1L << 31) {
        digits[len - 1] = 0;
        digits[len - 2] = below - (1L << DIGIT_BITS);
        len--;
      } else {
        break;
      }
    }
    if (len == 1 && digits[0] == 0) {
      len = 0;
    }
    if (len > 0 && digits[0] == 0) { // trim zero low words
      int z = 0;
      while (digits[z] == 0) {
        z++;
      }
      System.arraycopy(digits, z, digits, 0, len - z);
      Arrays.fill(digits, len - z, len, 0);
      len -= z;
      lo += z;
    }
    if (len == 0) {
      lo = 0;
    }
    pending = 0;
    canonical = true;
  }

  // ---- serialisation ------------------------------------------------------------------------

  /**
   * Writes the canonical binary state (see the class documentation).
   *
   * @throws IOException if {@code out} throws it
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeByte(kind);
    if (kind != FINITE) {
      return;
    }
    normalise();
    out.writeByte(len);
    if (len == 0) {
      return;
    }
    out.writeByte(lo);
    for (int i = 0; i < len; i++) {
      out.writeInt((int) digits[i]);
    }
  }

  /**
   * Reads a state written by {@link #writeTo}.
   *
   * @throws IOException if the input ends early or the state is malformed or not canonical
   */
  public static ExactSum readFrom(DataInput in) throws IOException {
    int kind = in.readUnsignedByte();
    ExactSum s = new ExactSum();
    if (kind > NAN) {
      throw new IOException("exact sum: bad kind byte " + kind);
    }
    if (kind != FINITE) {
      s.kind = kind;
      return s;
    }
    int count = in.readUnsignedByte();
    if (count == 0) {
      return s;
    }
    int low = in.readUnsignedByte();
    if (count > GRID || low + count > GRID) {
      throw new IOException("exact sum: words " + low + ".." + (low + count - 1) + " outside the grid of " + GRID);
    }
    int[] words = new int[count];
    for (int i = 0; i < count; i++) {
      words[i] = in.readInt();
    }
    s.setCanonical(low, words);
    return s;
  }

  /** Sets a finite value from canonical words, checking that they are canonical. */
  private void setCanonical(int low, int[] words) throws IOException {
    int count = words.length;
    if (low < 0 || count < 1 || low + count > GRID) {
      throw new IOException("exact sum: words " + low + ".." + (low + count - 1) + " outside the grid of " + GRID);
    }
    if (words[0] == 0) {
      throw new IOException("exact sum: not canonical (lowest word is zero)");
    }
    if (count > 1) {
      int t = words[count - 1];
      boolean belowNegative = words[count - 2] < 0; // bit 31 of the word below
      if ((t == 0 && !belowNegative) || (t == -1 && belowNegative)) {
        throw new IOException("exact sum: not canonical (redundant top word)");
      }
    }
    digits = new long[count];
    for (int i = 0; i < count - 1; i++) {
      digits[i] = words[i] & DIGIT_MASK;
    }
    digits[count - 1] = words[count - 1];
    lo = low;
    len = count;
    pending = 0;
    canonical = true;
  }

  /** The canonical binary state as bytes ({@link #writeTo}). */
  public byte[] toBytes() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try {
      writeTo(new java.io.DataOutputStream(bytes));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // cannot happen for a byte array
    }
    return bytes.toByteArray();
  }

  /**
   * The sum whose state {@link #toBytes()} returned.
   *
   * @throws IllegalArgumentException if the bytes are malformed, truncated or have trailing data
   */
  public static ExactSum fromBytes(byte[] bytes) {
    java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
    try {
      ExactSum s = readFrom(new java.io.DataInputStream(in));
      if (in.available() != 0) {
        throw new IllegalArgumentException("exact sum: " + in.available() + " trailing bytes");
      }
      return s;
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage() == null ? "exact sum: truncated state" : e.getMessage(), e);
    }
  }

  /** The exact text form ({@code "0x3p-2"}, see the class documentation). */
  public String toExactString() {
    switch (kind) {
      case POS_INF:
        return "Infinity";
      case NEG_INF:
        return "-Infinity";
      case NAN:
        return "NaN";
      default:
        break;
    }
    normalise();
    if (len == 0) {
      return "0";
    }
    BigInteger v = toBigInteger();
    int e = DIGIT_BITS * lo + MIN_EXPONENT;
    int t = v.getLowestSetBit();
    v = v.shiftRight(t);
    e += t;
    String hex = v.abs().toString(16);
    return (v.signum() < 0 ? "-0x" : "0x") + hex + "p" + e;
  }

  /**
   * Parses {@link #toExactString()}.
   *
   * @throws IllegalArgumentException if the text is not of that form or not on the grid
   */
  public static ExactSum parseExact(String text) {
    ExactSum s = new ExactSum();
    switch (text) {
      case "0":
        return s;
      case "Infinity":
        s.kind = POS_INF;
        return s;
      case "-Infinity":
        s.kind = NEG_INF;
        return s;
      case "NaN":
        s.kind = NAN;
        return s;
      default:
        break;
    }
    if (!text.matches("-?0x[0-9a-f]+p-?[0-9]{1,5}")) {
      throw new IllegalArgumentException("not an exact sum: '" + text + "' (expected e.g. 0x3p-2)");
    }
    boolean negative = text.startsWith("-");
    int x = text.indexOf('x');
    int p = text.indexOf('p');
    BigInteger h = new BigInteger(text.substring(x + 1, p), 16);
    int e = Integer.parseInt(text.substring(p + 1));
    if (h.signum() == 0 || !h.testBit(0)) {
      throw new IllegalArgumentException("not an exact sum: '" + text + "' (the hexadecimal part must be odd)");
    }
    if (e < MIN_EXPONENT || h.bitLength() + 1 + e > DIGIT_BITS * GRID + MIN_EXPONENT) {
      throw new IllegalArgumentException("not an exact sum: '" + text + "' (outside the grid 2^-1074 .. 2^"
          + (DIGIT_BITS * GRID + MIN_EXPONENT) + ")");
    }
    BigInteger v = negative ? h.negate() : h;
    int bit = e - MIN_EXPONENT;
    int low = bit / DIGIT_BITS;
    v = v.shiftLeft(bit - DIGIT_BITS * low);
    // two's complement words, lowest first, fewest words
    int count = (v.bitLength() + 1 + DIGIT_BITS - 1) / DIGIT_BITS; // +1 for the sign bit
    int[] words = new int[count];
    for (int i = 0; i < count; i++) {
      words[i] = v.shiftRight(DIGIT_BITS * i).intValue();
    }
    try {
      s.setCanonical(low, words);
    } catch (IOException ex) {
      throw new IllegalArgumentException("not an exact sum: '" + text + "' (" + ex.getMessage() + ")", ex);
    }
    return s;
  }

  /** Equal exact values (and equal non-finite states). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ExactSum s)) {
      return false;
    }
    if (kind != s.kind) {
      return false;
    }
    if (kind != FINITE) {
      return true;
    }
    normalise();
    s.normalise();
    return lo == s.lo && len == s.len && Arrays.equals(digits, 0, len, s.digits, 0, len);
  }

  @Override
  public int hashCode() {
    normalise();
    int h = kind * 31 + lo;
    for (int i = 0; i < len; i++) {
      h = h * 31 + Long.hashCode(digits[i]);
    }
    return h;
  }

  /** The rounded value and the exact form, e.g. {@code "0.75 (0x3p-2)"}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (%s)", doubleValue(), toExactString());
  }
}
