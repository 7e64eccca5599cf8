package org.finwidth.sim.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The outputs a command is writing, locked for the whole run so that two runs never write the
 * same file or directory: a lock file {@code .NAME.lock} beside each output holds an operating
 * system lock ({@link FileChannel#tryLock}, released by the kernel when the process dies,
 * however) and says who holds it ("pid 1234 on host, since ..."). A second run refuses up front,
 * naming the holder, instead of computing and then failing. Holding the lock, a run may remove
 * the temporary files that a killed earlier writer of the same output left beside it
 * ({@code .NAME.<digits>.tmp}); it never touches another live writer's files.
 *
 * <p>{@link #close()} deletes the lock files (while still holding the locks) and releases them.
 * A lock file left by a killed run holds no lock: the next run takes it over.
 */
public final class OutputLocks implements AutoCloseable {
  /** At most this much of a lock file is read to say who holds it. */
  private static final int HOLDER_BYTES = 512;

  /**
   * A lock held: the channel that holds it, and a second stream open on the lock file's name,
   * which verified that the name still leads to the locked file. Neither is closed before the
   * lock is released: closing any descriptor of a file releases a process's POSIX locks on it.
   */
  private record Held(Path lockFile, FileChannel channel, FileLock lock, InputStream check) {}

  private final List<Held> held = new ArrayList<>();

  /** No locks yet. */
  public OutputLocks() {}

  /** The lock file of an output: {@code .NAME.lock} in the same directory. */
  public static Path lockFileOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".lock");
  }

  /**
   * Locks the output {@code target} (a resolved path: {@link OutputFiles#resolve}) and removes
   * the stale temporary files of a killed earlier writer of it.
   *
   * @param flag the flag that named it, for the message
   * @param shown the path as the user gave it
   * @throws IllegalArgumentException "FLAG: PATH is being written by another finwidth run (pid
   *     N on HOST, since TIME); ..." if another process holds it
   * @throws IOException if the lock file cannot be created
   */
  public void lock(String flag, Path shown, Path target) throws IOException {
    Path file = lockFileOf(target);
    for (int attempt = 0; attempt < 3; attempt++) {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this JVM holds it already
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      if (lock == null) {
        String holder = holder(ch);
        ch.close();
        throw new IllegalArgumentException(flag + ": " + shown + " is being written by another finwidth run ("
            + holder + "); wait until it ends, or choose another name");
      }
      String me = "pid " + ProcessHandle.current().pid() + " on " + hostName() + ", since "
          + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " #" + System.nanoTime();
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      // A run that just finished deletes its lock file before releasing it: if we locked that
      // file, the name now belongs to no one or to a newer file, and we must lock again. (The
      // stream that reads the name stays open until the lock is released: see Held.)
      InputStream check = null;
      try {
        check = Files.newInputStream(file);
        String now = new String(check.readNBytes(HOLDER_BYTES), StandardCharsets.UTF_8).strip();
        if (me.equals(now)) {
          held.add(new Held(file, ch, lock, check));
          removeStaleTemporaries(target);
          return;
        }
      } catch (java.nio.file.NoSuchFileException e) {
        // deleted meanwhile: lock again
      }
      lock.release();
      ch.close();
      if (check != null) {
        check.close();
      }
    }
    throw new IOException(flag + ": cannot lock " + shown + ": its lock file " + file + " keeps changing");
  }

  /** The holder's line, without its uniqueness suffix. */
  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(HOLDER_BYTES);
      ch.read(b, 0);
      String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
      int hash = s.lastIndexOf(" #");
      s = hash > 0 ? s.substring(0, hash) : s;
      return s.isEmpty() ? "a process that is starting" : s.replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "unknown process";
    }
  }

  /** The host name from the kernel (no name service lookup), or "this host". */
  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank() && env.length() < 256) {
      return env.strip();
    }
    Path kernel = Path.of("/proc/sys/kernel/hostname");
    try (InputStream in = Files.newInputStream(kernel)) {
      String s = new String(in.readNBytes(256), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? "this host" : s;
    } catch (IOException | RuntimeException e) {
      return "this host";
    }
  }

  /**
   * Deletes the temporary files {@code .NAME.<digits>.tmp} a killed writer of {@code target} left
   * (only regular files of exactly that pattern; the caller holds the target's lock, so no live
   * writer owns them).
   */
  private static void removeStaleTemporaries(Path target) throws IOException {
    Path dir = target.getParent();
    if (dir == null) {
      return;
    }
    Pattern mine = Pattern.compile(Pattern.quote("." + target.getFileName() + ".") + "\\d+\\.tmp");
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir,
        p -> mine.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Deletes the lock files (still locked) and releases the locks. */
  @Override
  public void close() {
    for (Held h : held.reversed()) {
      try {
        Files.deleteIfExists(h.lockFile());
      } catch (IOException e) {
        // a lock file that stays holds no lock once released
      }
      try {
        h.lock().release();
        h.channel().close();
        h.check().close();
      } catch (IOException e) {
        // closing releases the lock in any case
      }
    }
    held.clear();
  }
}
