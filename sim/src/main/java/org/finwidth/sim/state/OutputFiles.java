package org.finwidth.sim.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;

/**
 * Which files finwidth may replace, and how it tells its own outputs from a user's files
 * (docs/cli.md, "Outputs, ownership and overwriting"):
 * <ul>
 *   <li>a symbolic link is followed: the checks and the write apply to the file it names (the
 *       link stays);</li>
 *   <li>an absent file is created; an existing regular file is replaced only if it is a finwidth
 *       output of the expected kind (a result file by its magic, a CSV by its header line), or
 *       with {@code --overwrite};</li>
 *   <li>directories, device nodes, FIFOs and sockets are never replaced, whatever the flags;</li>
 *   <li>two paths name the same file when they resolve to the same path or
 *       {@link Files#isSameFile} says so (hard links, bind mounts).</li>
 * </ul>
 * Every check reads at most a few kilobytes and never opens a special file.
 */
public final class OutputFiles {
  private OutputFiles() {}

  /**
   * The header lines of the CSV files finwidth writes with {@code --csv} (the first line of each):
   * the tidy CSV's ({@code org.finwidth.sim.cli.TidyCsv}, a test keeps the two equal) and those
   * of earlier versions, whose files stay finwidth's own.
   */
  public static final List<String> CSV_HEADERS = List.of("activation,cb,cw,depth,layer,width,gram_id,sampler,networks,"
      + "seed,version,quantity,component,value,se,theory,exact,exact_text,z,flag",
      "layer,quantity,component,mean,se,theory,exact", "layer,quantity,component,value");

  /** At most this many bytes are read to recognise a CSV header. */
  private static final int HEADER_BYTES = 4096;
  /** Symbolic links followed before a path is refused as a loop. */
  private static final int MAX_LINKS = 40;

  /** The kinds of output file finwidth recognises as its own. */
  public enum Kind {
    /** A result file ({@link ResultFile}): recognised by its magic. */
    RESULT("a finwidth result file"),
    /** A CSV file: recognised by its first line, one of {@link #CSV_HEADERS}. */
    CSV("a finwidth CSV file");

    private final String what;

    Kind(String what) {
      this.what = what;
    }
  }

  /**
   * The file a path names: absolute, with every symbolic link followed (also one whose target
   * does not exist yet, which is then the file to create) and the directories made canonical.
   *
   * @throws IllegalArgumentException "FLAG: PATH: too many levels of symbolic links" for a loop
   */
  public static Path resolve(String flag, Path path) {
    Path p = path.toAbsolutePath();
    for (int hops = 0; hops <= MAX_LINKS; hops++) {
      if (!Files.isSymbolicLink(p)) {
        try {
          if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return p.toRealPath();
          }
          Path parent = p.getParent();
          if (parent != null && Files.isDirectory(parent)) {
            return parent.toRealPath().resolve(p.getFileName());
          }
        } catch (IOException e) {
          // unreadable on the way: the later checks name the problem
        }
        return p.normalize();
      }
      try {
        Path link = Files.readSymbolicLink(p);
        Path dir = p.getParent();
        p = dir == null ? link.toAbsolutePath() : dir.resolve(link);
      } catch (IOException e) {
        return p.normalize();
      }
    }
    throw new IllegalArgumentException(flag + ": " + path + ": too many levels of symbolic links");
  }

  /**
   * What an existing path is, in words ("a regular file", "a directory", "a character device",
   * "a FIFO", ...), without following a final symbolic link; null if nothing is there.
   */
  public static String typeOf(Path p) {
    try {
      Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (mode instanceof Integer m) {
        return switch (m & 0170000) {
          case 0140000 -> "a socket";
          case 0120000 -> "a symbolic link";
          case 0100000 -> "a regular file";
          case 0060000 -> "a block device";
          case 0040000 -> "a directory";
          case 0020000 -> "a character device";
          case 0010000 -> "a FIFO (named pipe)";
          default -> "a special file";
        };
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // no unix view here: the basic attributes tell less
    }
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() ? "a regular file" : a.isDirectory() ? "a directory"
          : a.isSymbolicLink() ? "a symbolic link" : "a special file";
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Checks, before any work, that {@code path} may be written as an output of this kind, and
   * returns the file to write (links followed).
   *
   * @param flag the flag that named it ({@code --out}, {@code --csv}, {@code --checkpoint})
   * @param overwrite whether the user allowed replacing a regular file that is not a finwidth output
   * @throws IllegalArgumentException one line naming the flag, the path and the problem
   */
  public static Path checkOutput(String flag, Path path, Kind kind, boolean overwrite) {
    Path target = resolve(flag, path);
    String type = typeOf(target);
    if (type != null) {
      if (type.equals("a directory")) {
        throw new IllegalArgumentException(flag + ": cannot write " + path + ": it is a directory");
      }
      if (!type.equals("a regular file")) {
        throw new IllegalArgumentException(flag + ": " + shown(path, target) + " is " + type
            + ", not a regular file; finwidth writes only regular files and never replaces anything else");
      }
      if (!overwrite && !isOwn(target, kind)) {
        throw new IllegalArgumentException(flag + ": " + shown(path, target) + " exists and is not " + kind.what
            + "; finwidth replaces only its own outputs: choose another name, or pass --overwrite to replace it");
      }
    }
    checkDirectory(flag, path, target);
    return target;
  }

  /**
   * Checks that a file that must exist (an input) is a regular file, before it is opened: a
   * FIFO, a device or a directory is refused without reading it (a FIFO would block, a device
   * never end).
   *
   * @throws IOException "PATH: cannot read: no such file or directory", "PATH: is a directory,
   *     not a result file", "PATH: is a character device, not a regular file"
   */
  public static Path checkInput(Path path, String what) throws IOException {
    Path target = resolve("input", path);
    String type = typeOf(target);
    if (type == null) {
      throw new IOException(path + ": cannot read: no such file or directory");
    }
    if (type.equals("a directory")) {
      throw new IOException(path + ": is a directory, not " + what);
    }
    if (!type.equals("a regular file")) {
      throw new IOException(path + ": is " + type + ", not a regular file (" + what + ")");
    }
    return target;
  }

  /** "PATH" or, for a link, "PATH (-> TARGET)". */
  static String shown(Path path, Path target) {
    return path.toAbsolutePath().normalize().equals(target) ? path.toString() : path + " (-> " + target + ")";
  }

  /** Whether two paths name the same file (resolved names, or {@link Files#isSameFile} for existing files). */
  public static boolean sameFile(Path a, Path b) {
    Path ra = resolve("", a);
    Path rb = resolve("", b);
    if (ra.equals(rb)) {
      return true;
    }
    try {
      return Files.exists(ra) && Files.exists(rb) && Files.isSameFile(ra, rb);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Refuses two output flags that name the same file.
   *
   * @throws IllegalArgumentException "FLAG1 and FLAG2 name the same file PATH"
   */
  public static void checkDistinct(String flag1, Path a, String flag2, Path b) {
    if (a != null && b != null && sameFile(a, b)) {
      throw new IllegalArgumentException(flag1 + " and " + flag2 + " name the same file " + a);
    }
  }

  /** Whether a regular file is a finwidth output of this kind (reads at most a few kilobytes). */
  static boolean isOwn(Path file, Kind kind) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(kind == Kind.RESULT ? ResultFile.MAGIC.length : HEADER_BYTES);
    } catch (IOException e) {
      return false;
    }
    if (kind == Kind.RESULT) {
      return Arrays.equals(head, ResultFile.MAGIC);
    }
    String text = new String(head, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    return nl >= 0 && CSV_HEADERS.contains(text.substring(0, nl).stripTrailing());
  }

  /**
   * The directory of {@code target} exists and accepts a new file (a probe file is created and
   * deleted: permissions, read-only file systems and full inode tables all show).
   */
  private static void checkDirectory(String flag, Path path, Path target) {
    Path dir = target.getParent();
    String problem = null;
    if (dir == null) {
      problem = "it is the root directory";
    } else if (!Files.exists(dir)) {
      problem = "directory " + parentAsGiven(path, dir) + " does not exist";
    } else if (!Files.isDirectory(dir)) {
      problem = parentAsGiven(path, dir) + " is not a directory";
    } else {
      try {
        Files.delete(Files.createTempFile(dir, "." + target.getFileName() + ".", ".probe"));
      } catch (IOException e) {
        problem = "directory " + parentAsGiven(path, dir) + ": " + AtomicFile.reason(e);
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(flag + ": cannot write " + path + ": " + problem);
    }
  }

  /** The parent directory as the user wrote it, or the real one when the path was a symbolic link. */
  private static Path parentAsGiven(Path path, Path realParent) {
    Path given = path.toAbsolutePath().getParent();
    return given == null || Files.isSymbolicLink(path) ? realParent : given;
  }
}
