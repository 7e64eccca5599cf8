package org.finwidth.sim.state;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.finwidth.sim.cli.FinwidthCommand;
import picocli.CommandLine;

/**
 * A seeded mutation fuzzer of the result-file reader, run as a child JVM by
 * {@link ResultFileFuzzTest} (so that its heap is small and its own). Each case takes one of the
 * valid seed files and mutates it: bit flips, bytes set to boundary values, truncation or
 * extension, a 16/32/64-bit field (length fields above all) set to a boundary value, a copied or
 * shuffled span; about half of the cases then get a correct SHA-256 (a forged checksum) and,
 * sometimes, a header length that matches the mutated size, so that the mutations reach the state
 * decoder. The outcome must be a decoded result or an {@link IOException} whose message is one
 * non-empty line; every 64th case also goes through {@code merge FILE} in this JVM, which must
 * exit 0, or 1 or 2 with exactly one line on stderr and nothing on stdout. Anything else (another
 * exception, an {@link OutOfMemoryError}, a case slower than the limit) fails the run, naming the
 * case so that it can be replayed.
 *
 * <p>Usage: {@code ResultFileFuzz SEED SECONDS WORKDIR FILE...} (prints one summary line and exits
 * 0, or prints the failing case and exits 1); {@code ResultFileFuzz SEED replay CASE WORKDIR
 * FILE...} runs one case.
 */
public final class ResultFileFuzz {
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
  /**
   * A single case using more CPU than this fails (it would be a hang in the making). CPU time of
   * the fuzzing thread, not wall time: on a shared machine at load 40 a 1 s case can take 12 s of
   * wall clock, and a wall-clock limit would fail the suite for other jobs' sake.
   */
  static final double CASE_CPU_SECONDS_LIMIT = 10;
  /** A single case longer than this in wall time fails whatever the load (a hang, blocked I/O). */
  static final double CASE_WALL_SECONDS_LIMIT = 120;
  private static final long[] BOUNDARY = {0, 1, -1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 1 << 16, 1 << 20,
      1 << 24, 1 << 28, 1 << 30, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE,
      0x7ff0000000000000L, 0x7ff8000000000000L, 0xfff0000000000000L, 0x0000000000000001L};

  private ResultFileFuzz() {}

  /** What one case did. */
  record Outcome(String mutation, boolean accepted, String message) {}

  public static void main(String[] args) throws Exception {
    long seed = Long.parseLong(args[0]);
    boolean replay = args[1].equals("replay");
    int next = replay ? 3 : 2;
    Path work = Path.of(args[next]);
    List<byte[]> seeds = new ArrayList<>();
    for (int i = next + 1; i < args.length; i++) {
      seeds.add(Files.readAllBytes(Path.of(args[i])));
    }
    if (replay) {
      long c = Long.parseLong(args[2]);
      Outcome o = runCase(seed, c, seeds, work, true);
      System.out.println("case " + c + ": " + o);
      return;
    }
    double seconds = Double.parseDouble(args[1]);
    long t0 = System.nanoTime();
    long cases = 0;
    long accepted = 0;
    long cli = 0;
    double slowest = 0;
    while ((System.nanoTime() - t0) * 1e-9 < seconds) {
      long c = cases++;
      boolean viaCli = c % 64 == 0;
      long s0 = System.nanoTime();
      long c0 = CPU.getCurrentThreadCpuTime();
      Outcome o;
      try {
        o = runCase(seed, c, seeds, work, viaCli);
      } catch (Throwable e) {
        String what = describe(seed, c, seeds);
        System.out.println("FAIL case " + c + " (" + what + "): " + e);
        e.printStackTrace(System.out);
        System.out.flush();
        System.exit(1);
        return;
      }
      double dt = (System.nanoTime() - s0) * 1e-9;
      double cpu = (CPU.getCurrentThreadCpuTime() - c0) * 1e-9;
      slowest = Math.max(slowest, cpu);
      if (cpu > CASE_CPU_SECONDS_LIMIT || dt > CASE_WALL_SECONDS_LIMIT) {
        System.out.println("FAIL case " + c + " (" + o.mutation() + ") took " + cpu + " s of CPU, " + dt + " s wall");
        System.exit(1);
      }
      accepted += o.accepted() ? 1 : 0;
      cli += viaCli ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "fuzz seed %d: %d cases in %.1f s (%d accepted, %d refused with one line; %d also"
        + " through merge), slowest case %.3f s of CPU, heap max %d MB%n", seed, cases, (System.nanoTime() - t0) * 1e-9,
        accepted, cases - accepted, cli, slowest, Runtime.getRuntime().maxMemory() >> 20);
  }

  private static String describe(long seed, long c, List<byte[]> seeds) {
    try {
      return mutate(new SplittableRandom(seed ^ (c * 0x9E3779B97F4A7C15L)), seeds).description;
    } catch (RuntimeException e) {
      return "unknown mutation";
    }
  }

  /** A mutated file and how it was made. */
  private record Mutant(byte[] bytes, String description) {}

  /** Runs case {@code c}: decode the mutant, and also run {@code merge} on it when asked. */
  static Outcome runCase(long seed, long c, List<byte[]> seeds, Path work, boolean viaCli) throws Exception {
    Mutant m = mutate(new SplittableRandom(seed ^ (c * 0x9E3779B97F4A7C15L)), seeds);
    boolean accepted;
    String message = null;
    try {
      ResultFile.decode(m.bytes());
      accepted = true;
    } catch (IOException e) {
      accepted = false;
      message = e.getMessage();
      if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")
          || message.length() > 2000) {
        throw new AssertionError("case " + c + " (" + m.description() + "): not one line: " + message);
      }
    }
    if (viaCli) {
      Path f = work.resolve("case-" + c + ".fwr");
      Files.write(f, m.bytes());
      try {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FinwidthCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("merge", "--partial", f.toString());
        String e = err.toString();
        if (code == 0) {
          if (!accepted) {
            throw new AssertionError("case " + c + " (" + m.description() + "): merge accepted what decode refused");
          }
        } else if (!(code == 1 || code == 2) || e.lines().count() != 1 || !e.endsWith("\n") || !out.toString().isEmpty()
            || !e.startsWith("finwidth: ")) {
          throw new AssertionError("case " + c + " (" + m.description() + "): merge gave exit " + code + ", stderr "
              + e + ", stdout " + out.toString().length() + " chars");
        } else if (!accepted && code != 1) {
          throw new AssertionError("case " + c + " (" + m.description() + "): a file decode refuses must give exit 1, got "
              + code + ": " + e);
        }
      } finally {
        Files.deleteIfExists(f);
      }
    }
    return new Outcome(m.description(), accepted, message);
  }

  private static Mutant mutate(SplittableRandom r, List<byte[]> seeds) {
    int which = r.nextInt(seeds.size());
    byte[] b = seeds.get(which).clone();
    StringBuilder what = new StringBuilder("seed file " + which);
    int rounds = 1 + (r.nextInt(4) == 0 ? r.nextInt(4) : 0);
    for (int k = 0; k < rounds; k++) {
      int kind = r.nextInt(10);
      int at = b.length == 0 ? 0 : r.nextInt(b.length);
      switch (kind) {
        case 0 -> {
          int bits = 1 + r.nextInt(3);
          for (int i = 0; i < bits && b.length > 0; i++) {
            int pos = r.nextInt(b.length);
            b[pos] ^= (byte) (1 << r.nextInt(8));
          }
          what.append(", ").append(bits).append(" bit flips");
        }
        case 1 -> {
          if (b.length > 0) {
            b[at] = (byte) BOUNDARY[r.nextInt(BOUNDARY.length)];
          }
          what.append(", byte ").append(at).append(" set");
        }
        case 2 -> {
          int len = r.nextInt(b.length + 1);
          b = Arrays.copyOf(b, len);
          what.append(", truncated to ").append(len);
        }
        case 3 -> {
          int extra = 1 + r.nextInt(r.nextBoolean() ? 8 : 4096);
          int old = b.length;
          b = Arrays.copyOf(b, old + extra);
          for (int i = old; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
          }
          what.append(", ").append(extra).append(" bytes appended");
        }
        case 4, 5 -> {
          int width = new int[] {2, 4, 4, 8}[r.nextInt(4)];
          if (b.length >= width) {
            int pos = r.nextInt(b.length - width + 1);
            long v = BOUNDARY[r.nextInt(BOUNDARY.length)];
            if (r.nextInt(4) == 0) {
              v += r.nextInt(17) - 8;
            }
            ByteBuffer bb = ByteBuffer.wrap(b);
            switch (width) {
              case 2 -> bb.putShort(pos, (short) v);
              case 4 -> bb.putInt(pos, (int) v);
              default -> bb.putLong(pos, v);
            }
            what.append(", ").append(8 * width).append("-bit field at ").append(pos).append(" = ").append(v);
          }
        }
        case 6 -> {
          if (b.length > 2) {
            int from = r.nextInt(b.length);
            int to = r.nextInt(b.length);
            int len = r.nextInt(Math.min(64, b.length - Math.max(from, to)) + 1);
            System.arraycopy(b, from, b, to, len);
            what.append(", ").append(len).append(" bytes copied from ").append(from).append(" to ").append(to);
          }
        }
        case 8, 9 -> {
          // a count of the state's network spec: n_0, the depth, the number of inputs d, the
          // explicit-inputs flag (the fields a forged file uses to announce huge arrays)
          List<Integer> fields = countFields(b);
          if (!fields.isEmpty()) {
            int pos = fields.get(r.nextInt(fields.size()));
            int v = (int) BOUNDARY[r.nextInt(BOUNDARY.length)];
            if (pos + 4 <= b.length) {
              ByteBuffer.wrap(b).putInt(pos, v);
              what.append(", count field at ").append(pos).append(" = ").append(v);
            }
          }
        }
        default -> {
          // the length field of the header (after magic, format and the version string)
          if (b.length >= 14) {
            int utf = ((b[10] & 0xff) << 8) | (b[11] & 0xff);
            int pos = 12 + utf + 16;
            if (pos + 4 <= b.length) {
              int v = (int) BOUNDARY[r.nextInt(BOUNDARY.length)];
              ByteBuffer.wrap(b).putInt(pos, v);
              what.append(", state length = ").append(v);
            }
          }
        }
      }
    }
    if (r.nextBoolean() && b.length > 32) {
      if (r.nextInt(3) == 0 && b.length >= 14) {
        // make the announced state length match the mutated size
        int utf = ((b[10] & 0xff) << 8) | (b[11] & 0xff);
        int pos = 12 + utf + 16;
        if (pos + 4 <= b.length - 32) {
          ByteBuffer.wrap(b).putInt(pos, b.length - 32 - (pos + 4));
          what.append(", length fixed");
        }
      }
      System.arraycopy(sha256(b, b.length - 32), 0, b, b.length - 32, 32);
      what.append(", checksum forged");
    }
    return new Mutant(b, what.toString());
  }

  /**
   * The offsets of n_0, the depth and d in the state of a well-formed file (from its layout: the
   * header, the state version, the activation string, C_b and C_W, then n_0, L, L widths, d).
   */
  private static List<Integer> countFields(byte[] b) {
    List<Integer> out = new ArrayList<>();
    try {
      ByteBuffer bb = ByteBuffer.wrap(b);
      int utf = Short.toUnsignedInt(bb.getShort(10));
      int state = 12 + utf + 20;
      int act = Short.toUnsignedInt(bb.getShort(state + 4));
      int n0 = state + 6 + act + 16;
      int depth = n0 + 4;
      int l = bb.getInt(depth);
      out.add(n0);
      out.add(depth);
      if (l > 0 && l < 1000) {
        out.add(depth + 4 + 4 * l);
      }
    } catch (IndexOutOfBoundsException e) {
      // a truncated file: no fields to aim at
    }
    return out;
  }

  private static byte[] sha256(byte[] b, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
