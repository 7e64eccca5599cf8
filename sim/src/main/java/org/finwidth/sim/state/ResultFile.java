package org.finwidth.sim.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
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
   * Reads and checks a result file. A file that is not a regular file (a directory, a device, a
   * FIFO) is refused before it is opened; of a regular file, the header is read first and the
   * length it announces is checked against the file's real size (and against {@link #MAX_BYTES}
   * and the heap) before the rest is read; the state is then decoded with every count it holds
   * checked against its length before anything is allocated ({@link EnsembleResult#readFrom(
   * java.io.DataInput, long)}). So a damaged or hostile file costs at most its own size in memory
   * and never blocks.
   *
   * @throws IOException "FILE: PROBLEM" (one line)
   */
  public static ResultFile read(Path file) throws IOException {
    Path real = OutputFiles.checkInput(file, "a result file");
    byte[] bytes;
    try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ)) {
      bytes = readBounded(ch);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new IOException(file + ": cannot read: " + AtomicFile.reason(e), e);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    try {
      return decode(bytes);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** The longest header: magic, format, a UTF string of at most 65535 bytes, the range and the length. */
  private static final int MAX_HEADER = MAGIC.length + 2 + 2 + 65535 + 8 + 8 + 4;

  /** The bytes of the file the header announces, read only after its length checked out. */
  private static byte[] readBounded(FileChannel ch) throws IOException {
    long size = ch.size();
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, MAX_HEADER));
    readFully(ch, head, 0);
    Header h = header(head.array(), head.position());
    long expected = h.headerLength() + (long) h.stateLength() + DIGEST_BYTES;
    checkLength(expected, size);
    if (expected > MAX_BYTES) {
      throw new IOException("not a finwidth result file (its header announces " + expected
          + " bytes, over " + (MAX_BYTES >> 20) + " MB; result files are far smaller)");
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (expected > heap / 4) {
      throw new IOException("reading its " + expected + " bytes needs more than a quarter of the " + (heap >> 20)
          + " MB the JVM may use; raise the heap (FINWIDTH_JVM_OPTS=-Xmx...)");
    }
    ByteBuffer all = ByteBuffer.allocate((int) expected);
    all.put(head.array(), 0, (int) Math.min(head.position(), expected));
    readFully(ch, all, all.position());
    if (all.hasRemaining()) {
      throw new IOException("truncated: " + all.position() + " of the " + expected + " bytes the header announces"
          + " (the file shrank while it was read)");
    }
    return all.array();
  }

  /** Reads until the buffer is full or the file ends, from {@code position} on. */
  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        return;
      }
      pos += n;
    }
  }

  /** The fixed part of the file before the state. */
  private record Header(String version, ShardRange range, int stateLength, int headerLength) {}

  /**
   * Parses the header from the first {@code length} bytes.
   *
   * @throws IOException for a bad magic, format version or a header cut short
   */
  private static Header header(byte[] bytes, int length) throws IOException {
    int n = Math.min(length, MAGIC.length);
    if (!Arrays.equals(bytes, 0, n, MAGIC, 0, n)) {
      throw new IOException("not a finwidth result file (bad magic header)");
    }
    if (length == 0) {
      throw new IOException("empty file (not a finwidth result file)");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, length));
    try {
      in.skipNBytes(MAGIC.length);
      int format = in.readUnsignedShort();
      if (format != FORMAT_VERSION) {
        throw new IOException("unsupported result file format version " + format + " (this finwidth reads "
            + FORMAT_VERSION + ")");
      }
      String version = in.readUTF();
      ShardRange range = new ShardRange(in.readLong(), in.readLong());
      int stateLength = in.readInt();
      return new Header(version, range, stateLength, length - in.available());
    } catch (EOFException | java.io.UTFDataFormatException e) {
      if (e instanceof EOFException) {
        throw new IOException("truncated: " + length + " bytes end inside the header");
      }
      throw new IOException("corrupted: the finwidth version in the header is not valid text");
    }
  }

  /** Checks the length the header announces against the real one. */
  private static void checkLength(long expected, long actual) throws IOException {
    if (expected < 0 || actual > expected) {
      throw new IOException("corrupted: the header announces " + expected + " bytes but the file has " + actual);
    }
    if (actual < expected) {
      throw new IOException("truncated: " + actual + " of the " + expected + " bytes the header announces");
    }
  }

  /**
   * Decodes the bytes of a result file.
   *
   * @throws IOException naming the problem (without a file name)
   */
  public static ResultFile decode(byte[] bytes) throws IOException {
    Header h = header(bytes, bytes.length);
    String version = h.version();
    ShardRange range = h.range();
    int stateLength = h.stateLength();
    int headerLength = h.headerLength();
    checkLength((long) headerLength + stateLength + DIGEST_BYTES, bytes.length);
    byte[] digest = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
    if (!MessageDigest.isEqual(digest, sha256(bytes, bytes.length - DIGEST_BYTES))) {
      throw new IOException("corrupted: SHA-256 checksum mismatch");
    }
    EnsembleResult result;
    DataInputStream state = new DataInputStream(new ByteArrayInputStream(bytes, headerLength, stateLength));
    try {
      result = EnsembleResult.readFrom(state, stateLength);
      if (state.available() != 0) {
        throw new IOException("inconsistent result state: " + state.available() + " bytes left after the state");
      }
    } catch (EOFException e) {
      throw new IOException("inconsistent result state: it ends early");
    } catch (java.io.UTFDataFormatException e) {
      throw new IOException("inconsistent result state: a text field is not valid text");
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
