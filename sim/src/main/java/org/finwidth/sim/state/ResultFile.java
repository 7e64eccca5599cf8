package org.finwidth.sim.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.finwidth.ensemble.EnsembleResult;

/**
 * A result file: the mergeable result of a shard, a checkpoint of a run in progress, or a merged
 * run. One binary format for all three (not Java serialisation), big-endian:
 * <pre>
 *   8 bytes  magic 0x89 'F' 'W' 'R' '\r' '\n' 0x1A '\n'  (PNG-style: a text-mode copy or a
 *            truncated upload shows as a bad magic)
 *   u16      format version {@value #FORMAT_VERSION}
 *   UTF      finwidth version that wrote the file (DataOutput.writeUTF: u16 length + modified UTF-8)
 *   i64 from, i64 to     the network range [from, to) the file is for (block-aligned, ShardRange)
 *   i32      length of the state in bytes
 *   state    EnsembleResult.writeTo: spec, seed, sampler, M, block size, reference, the blocks
 *            held, divergence counts and the exact sums (its own version number inside)
 *   32 bytes SHA-256 of every byte before it
 * </pre>
 * A file is <em>complete</em> when the blocks it holds are all the blocks of its range (a shard's
 * output or a merged run); a checkpoint holds a subset. The file has no timestamps: the same
 * result always gives the same bytes, so results can be compared with {@code cmp}.
 *
 * <p>Reading checks, in this order, and names the file and the first problem: that it can be read,
 * the magic, the format version, the length the header announces (truncated or trailing bytes),
 * the checksum (corruption), then the state's own consistency and the range.
 *
 * @param finwidthVersion the version of finwidth that wrote it
 * @param range the network range the file is for
 * @param result the result of the blocks held (all or part of the range)
 */
public record ResultFile(String finwidthVersion, ShardRange range, EnsembleResult result) {
  /** Version of this container layout. */
  public static final int FORMAT_VERSION = 1;
  /** The first 8 bytes of every result file. */
  static final byte[] MAGIC = {(byte) 0x89, 'F', 'W', 'R', '\r', '\n', 0x1A, '\n'};
  private static final int DIGEST_BYTES = 32;
  /** Larger files are refused before they are read (the state of L = 10^4 layers is a few MB). */
  static final long MAX_BYTES = 1L << 30;

  /** Whether the file holds every block of its range. */
  public boolean isComplete() {
    return result.blocks().equals(range.blocks(result.blockSize()));
  }

  /** The bytes of the file. */
  public byte[] encode() {
    try {
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      result.writeTo(new DataOutputStream(state));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeShort(FORMAT_VERSION);
      out.writeUTF(finwidthVersion);
      out.writeLong(range.from());
      out.writeLong(range.to());
      out.writeInt(state.size());
      state.writeTo(out);
      out.flush();
      out.write(sha256(bytes.toByteArray(), bytes.size()));
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e); // cannot happen
    }
  }

  /**
   * Writes the file atomically ({@link AtomicFile}).
   *
   * @throws IOException "cannot write FILE: REASON"
   */
  public void write(Path file) throws IOException {
    AtomicFile.write(file, encode());
  }

  /**
   * Reads and checks a result file.
   *
   * @throws IOException "FILE: PROBLEM" (one line)
   */
  public static ResultFile read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a directory, not a result file");
    }
    byte[] bytes;
    try {
      long size = Files.size(file);
      bytes = size > MAX_BYTES ? null : Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(file + ": cannot read: " + AtomicFile.reason(e), e);
    }
    if (bytes == null) {
      throw new IOException(file + ": not a finwidth result file (over " + (MAX_BYTES >> 20) + " MB; result files are far smaller)");
    }
    try {
      return decode(bytes);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decodes the bytes of a result file.
   *
   * @throws IOException naming the problem (without a file name)
   */
  public static ResultFile decode(byte[] bytes) throws IOException {
    int n = Math.min(bytes.length, MAGIC.length);
    if (!Arrays.equals(bytes, 0, n, MAGIC, 0, n)) {
      throw new IOException("not a finwidth result file (bad magic header)");
    }
    if (bytes.length == 0) {
      throw new IOException("empty file (not a finwidth result file)");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    String version;
    ShardRange range;
    int stateLength;
    int headerLength;
    try {
      in.skipNBytes(MAGIC.length);
      int format = in.readUnsignedShort();
      if (format != FORMAT_VERSION) {
        throw new IOException("unsupported result file format version " + format + " (this finwidth reads "
            + FORMAT_VERSION + ")");
      }
      version = in.readUTF();
      range = new ShardRange(in.readLong(), in.readLong());
      stateLength = in.readInt();
      headerLength = bytes.length - in.available();
    } catch (EOFException e) {
      throw new IOException("truncated: " + bytes.length + " bytes end inside the header");
    }
    long expected = (long) headerLength + stateLength + DIGEST_BYTES;
    if (stateLength < 0 || bytes.length > expected) {
      throw new IOException("corrupted: the header announces " + expected + " bytes but the file has " + bytes.length);
    }
    if (bytes.length < expected) {
      throw new IOException("truncated: " + bytes.length + " of the " + expected + " bytes the header announces");
    }
    byte[] digest = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
    if (!MessageDigest.isEqual(digest, sha256(bytes, bytes.length - DIGEST_BYTES))) {
      throw new IOException("corrupted: SHA-256 checksum mismatch");
    }
    EnsembleResult result;
    DataInputStream state = new DataInputStream(new ByteArrayInputStream(bytes, headerLength, stateLength));
    try {
      result = EnsembleResult.readFrom(state);
      if (state.available() != 0) {
        throw new IOException("inconsistent result state: " + state.available() + " bytes left after the state");
      }
    } catch (EOFException e) {
      throw new IOException("inconsistent result state: it ends early");
    }
    String problem = range.from() < 0 || range.to() <= range.from() || range.to() > result.networks()
        ? "outside 0:" + result.networks()
        : ShardRange.alignmentProblem(range.from(), range.to(), result.networks(), result.blockSize());
    if (problem == null && !range.blocks(result.blockSize()).containsAll(result.blocks())) {
      problem = "it holds blocks " + result.blocks() + " outside it";
    }
    if (problem != null) {
      throw new IOException("inconsistent range " + range + ": " + problem);
    }
    return new ResultFile(version, range, result);
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
