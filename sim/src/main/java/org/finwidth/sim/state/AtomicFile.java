package org.finwidth.sim.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that it is either absent, its old content, or complete: the bytes go to a
 * temporary file beside the target, which is flushed to the disk ({@code fsync}) and then renamed
 * over the target (atomic on POSIX file systems); the directory is synced so that the rename
 * survives a crash. A failure (full disk, no permission) deletes the temporary file and leaves
 * the target as it was. A symbolic link is followed (the file it names is replaced, the link
 * stays); anything but a regular file is never replaced. Whether the target may be replaced at
 * all is the caller's check ({@link OutputFiles#checkOutput}); a killed writer's temporary files
 * are removed by the next writer that holds the output's lock ({@link OutputLocks}).
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Writes {@code data} to {@code target} atomically.
   *
   * @throws IOException "cannot write TARGET: REASON" (one line)
   */
  public static void write(Path target, byte[] data) throws IOException {
    Path file = OutputFiles.resolve("", target);
    String type = OutputFiles.typeOf(file);
    if (type != null && !type.equals("a regular file")) {
      // checked up front by the commands; checked again here in case it changed since
      throw new IOException("cannot write " + target + ": it is " + type + ", not a regular file");
    }
    Path dir = directoryOf(file);
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      readableByAll(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
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
