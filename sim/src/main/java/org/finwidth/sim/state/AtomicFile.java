package org.finwidth.sim.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * Writes a file so that it is either absent, its old content, or complete: the bytes go to a
 * temporary file beside the target, which is flushed to the disk ({@code fsync}) and then renamed
 * over the target (atomic on POSIX file systems); the directory is synced so that the rename
 * survives a crash. A failure (full disk, no permission) deletes the temporary file and leaves
 * the target as it was.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Writes {@code data} to {@code target} atomically.
   *
   * @throws IOException "cannot write TARGET: REASON" (one line)
   */
  public static void write(Path target, byte[] data) throws IOException {
    Path dir = directoryOf(target);
    Path tmp = null;
    try {
      removeStaleTemporaries(dir, target);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      readableByAll(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new IOException("cannot write " + target + ": " + reason(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure is what the user needs to see
        }
      }
    }
  }

  /**
   * Checks up front, before any long work, that {@code target} can be written: its directory
   * exists and accepts a new file, and the target is not a directory.
   *
   * @throws IllegalArgumentException "FLAG: cannot write TARGET: REASON"
   */
  public static void checkWritable(String flag, Path target) {
    Path dir = directoryOf(target);
    String problem = null;
    if (Files.isDirectory(target)) {
      problem = "it is a directory";
    } else if (!Files.exists(dir)) {
      problem = "directory " + dir + " does not exist";
    } else if (!Files.isDirectory(dir)) {
      problem = dir + " is not a directory";
    } else {
      try {
        Files.delete(Files.createTempFile(dir, "." + target.getFileName() + ".", ".probe"));
      } catch (IOException e) {
        problem = "directory " + dir + ": " + reason(e);
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(flag + ": cannot write " + target + ": " + problem);
    }
  }

  /**
   * Deletes the temporary files an earlier writer of {@code target} left when it was killed
   * mid-write ({@code .NAME.<digits>.tmp} beside it; one writer per target is assumed).
   */
  private static void removeStaleTemporaries(Path dir, Path target) throws IOException {
    Pattern mine = Pattern.compile(Pattern.quote("." + target.getFileName() + ".") + "\\d+\\.tmp");
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir,
        p -> mine.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** rw-r--r-- like a file the shell creates (a temporary file starts as rw-------), where POSIX. */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its defaults apply
    }
  }

  private static Path directoryOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    return parent == null ? target.toAbsolutePath() : parent;
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some platforms cannot open a directory; the rename itself is still atomic there
    }
  }

  /** The reason of an I/O failure in a few words ("No space left on device", "permission denied"). */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException fe && fe.getReason() != null) {
      return fe.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
