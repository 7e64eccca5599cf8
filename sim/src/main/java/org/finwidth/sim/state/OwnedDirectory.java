package org.finwidth.sim.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A results directory that finwidth owns and replaces as a whole (an experiment's {@code --out}),
 * and the rules that keep it from ever replacing anything else (docs/cli.md, "Outputs, ownership
 * and overwriting"):
 * <ul>
 *   <li>a directory is finwidth's only if it holds finwidth's marker file, which lists the files
 *       finwidth wrote there; a directory of an earlier finwidth version is recognised by its
 *       {@code manifest.json} (an experiment manifest listing every file there) and adopted: the
 *       marker is added;</li>
 *   <li>even then it is replaced only while it holds nothing but the files the marker lists: a
 *       file a user put there stops the run, naming it;</li>
 *   <li>an existing directory without the marker, the root directory, the home directory, the
 *       current directory, the finwidth repository, any git checkout, and any directory that
 *       contains one of these are refused; no flag overrides this;</li>
 *   <li>the directory is replaced by a rename, and the old one is then emptied file by file (only
 *       the listed files) and removed: nothing is ever deleted recursively.</li>
 * </ul>
 */
public final class OwnedDirectory {
  private OwnedDirectory() {}

  /** The marker of an experiment's results directory. */
  public static final String EXPERIMENT_MARKER = ".finwidth-experiment";
  /** The first line of every marker file. */
  static final String HEADER = "finwidth results directory: a rerun with the same --out replaces it, but only while"
      + " it holds nothing but the files listed below";
  /** The first line of the marker of a directory being written. */
  static final String TEMPORARY_HEADER = "finwidth temporary results directory (being written)";
  /** Markers and manifests larger than this are not finwidth's. */
  private static final int MAX_LIST_BYTES = 1 << 20;
  /** A directory with more entries than this is not inspected further (and so not finwidth's). */
  private static final int MAX_ENTRIES = 100_000;

  /**
   * Checks, before any work, that {@code dir} may be written as a results directory: absent
   * (its nearest existing ancestor must accept a new directory), or finwidth's and holding
   * nothing else. Adopts a directory of an earlier finwidth version (adds the marker).
   *
   * @param flag the flag that named it ({@code --out})
   * @param marker the marker file's name ({@link #EXPERIMENT_MARKER})
   * @return the directory to write (absolute, links followed)
   * @throws IllegalArgumentException one line naming the flag, the directory and the reason
   */
  public static Path check(String flag, Path dir, String marker) {
    String shown = dir.toString().isEmpty() ? "''" : dir.toString();
    Path target = OutputFiles.resolve(flag, dir);
    if (target.getParent() == null) {
      throw refuse(flag, shown, "is the root directory");
    }
    refuseSpecial(flag, shown, target, Path.of(System.getProperty("user.dir")), "the current directory");
    refuseSpecial(flag, shown, target, Path.of(System.getProperty("user.home")), "your home directory");
    String repo = System.getProperty("finwidth.repository");
    if (repo != null && !repo.isBlank()) {
      refuseSpecial(flag, shown, target, Path.of(repo), "the finwidth repository");
    }
    String type = OutputFiles.typeOf(target);
    if (type != null) {
      if (!type.equals("a directory")) {
        throw new IllegalArgumentException(flag + ": " + shown + " exists and is " + type + ", not a directory");
      }
      if (Files.exists(target.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
        throw refuse(flag, shown, "is a git checkout");
      }
      Set<String> listed = owned(target, marker);
      if (listed == null) {
        throw new IllegalArgumentException(flag + ": " + shown + " is an existing directory that finwidth did not"
            + " create (it has no " + marker + "); finwidth replaces only its own results directories: give a"
            + " new directory");
      }
      String foreign = foreign(target, marker, listed);
      if (foreign != null) {
        throw new IllegalArgumentException(flag + ": " + shown + " holds " + foreign + ", which finwidth did not"
            + " write; move it away or give another directory (the results replace the directory as a whole)");
      }
      if (!Files.exists(target.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
        try {
          writeMarker(target, marker, listed); // adopt an earlier finwidth version's directory
        } catch (IOException e) {
          throw new IllegalArgumentException(flag + ": cannot write in " + shown + ": " + AtomicFile.reason(e), e);
        }
      }
    }
    Path existing = target.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new IllegalArgumentException(flag + ": cannot create " + shown + ": "
          + (existing == null ? "no existing parent directory" : existing + " is not a directory"));
    }
    try {
      Files.delete(Files.createTempDirectory(existing, "." + target.getFileName() + ".probe-"));
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + ": cannot write " + shown + ": directory " + existing + ": "
          + AtomicFile.reason(e), e);
    }
    return target;
  }

  private static void refuseSpecial(String flag, String shown, Path target, Path special, String what) {
    Path real;
    try {
      real = special.toRealPath();
    } catch (IOException e) {
      real = special.toAbsolutePath().normalize();
    }
    if (real.equals(target)) {
      throw refuse(flag, shown, "is " + what);
    }
    if (real.startsWith(target)) {
      throw refuse(flag, shown, "contains " + what);
    }
  }

  private static IllegalArgumentException refuse(String flag, String shown, String why) {
    return new IllegalArgumentException(flag + ": " + shown + " " + why + "; finwidth writes results only into a"
        + " directory of their own (new, or written by finwidth), e.g. results/NAME");
  }

  /**
   * The files finwidth wrote in {@code dir} by its marker, or by the manifest of an earlier
   * version (with {@code manifest.json}); null if the directory is not finwidth's.
   */
  static Set<String> owned(Path dir, String marker) {
    Path m = dir.resolve(marker);
    if (Files.exists(m, LinkOption.NOFOLLOW_LINKS)) {
      List<String> lines = readList(m);
      if (lines == null || lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
        return null;
      }
      Set<String> files = new LinkedHashSet<>();
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          if (!safeName(line)) {
            return null;
          }
          files.add(line);
        }
      }
      return files;
    }
    Path manifest = dir.resolve("manifest.json");
    if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      if (Files.size(manifest) > MAX_LIST_BYTES) {
        return null;
      }
      JsonNode json = new ObjectMapper().readTree(manifest.toFile());
      if (json == null || !json.path("experiment").isTextual() || !json.path("finwidthVersion").isTextual()
          || !json.path("files").isArray()) {
        return null;
      }
      Set<String> files = new LinkedHashSet<>();
      for (JsonNode f : json.get("files")) {
        if (!f.isTextual() || !safeName(f.asText())) {
          return null;
        }
        files.add(f.asText());
      }
      files.add("manifest.json");
      return files;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A relative path inside the directory: no absolute path, no "..", no empty component. */
  private static boolean safeName(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\0")) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static List<String> readList(Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_LIST_BYTES + 1);
      if (bytes.length > MAX_LIST_BYTES) {
        return null;
      }
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The first entry of {@code dir} that is not a listed regular file, the marker, or a directory
   * on the way to a listed file (relative name, with "/" for a directory), or null.
   */
  static String foreign(Path dir, String marker, Set<String> listed) {
    Set<String> dirs = new LinkedHashSet<>();
    for (String f : listed) {
      for (int i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) {
        dirs.add(f.substring(0, i));
      }
    }
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.skip(1).limit(MAX_ENTRIES + 1L).forEach(entries::add);
    } catch (IOException | RuntimeException e) {
      return "entries that cannot be listed (" + e.getMessage() + ")";
    }
    if (entries.size() > MAX_ENTRIES) {
      return "more than " + MAX_ENTRIES + " entries";
    }
    entries.sort(Comparator.comparing(Path::toString));
    for (Path p : entries) {
      String name = dir.relativize(p).toString().replace('\\', '/');
      String type = OutputFiles.typeOf(p);
      if ("a directory".equals(type)) {
        if (!dirs.contains(name)) {
          return name + "/";
        }
      } else if (!"a regular file".equals(type) || !(listed.contains(name) || name.equals(marker))) {
        return name;
      }
    }
    return null;
  }

  /** Writes the marker listing {@code files} (atomically). */
  public static void writeMarker(Path dir, String marker, Iterable<String> files) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (String f : files) {
      sb.append(f).append('\n');
    }
    AtomicFile.write(dir.resolve(marker), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A fresh temporary directory beside {@code target} to write the results into (mode
   * rwxr-xr-x, like a directory {@code mkdir} makes, where POSIX), marked as finwidth's
   * temporary directory at once so that a killed run's leftover is recognised.
   */
  public static Path createTemporary(Path target, String marker) throws IOException {
    Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its defaults apply
    }
    Files.writeString(tmp.resolve(marker), TEMPORARY_HEADER + "\n", StandardCharsets.UTF_8);
    return tmp;
  }

  /**
   * Deletes a temporary directory of {@link #createTemporary} (everything in it is finwidth's:
   * only this process wrote there).
   */
  public static void deleteTemporary(Path tmp) throws IOException {
    if (!Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(tmp)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Removes what a killed earlier run left beside {@code target}: temporary directories
   * ({@code .NAME.tmp-*} holding the temporary marker) and old directories renamed aside
   * ({@code .NAME.old-*}, finwidth's and holding nothing else). The caller holds the target's
   * lock ({@link OutputLocks}), so no live run owns them. Anything else is left alone.
   */
  public static void removeStale(Path target, String marker) throws IOException {
    Path parent = target.getParent();
    Pattern tmp = Pattern.compile(Pattern.quote("." + target.getFileName() + ".tmp-") + "\\d+");
    Pattern old = Pattern.compile(Pattern.quote("." + target.getFileName() + ".old-") + "\\d+");
    try (DirectoryStream<Path> s = Files.newDirectoryStream(parent,
        p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (tmp.matcher(name).matches()) {
          List<String> lines = readList(p.resolve(marker));
          if (lines != null && !lines.isEmpty() && lines.getFirst().equals(TEMPORARY_HEADER)) {
            deleteTemporary(p);
          }
        } else if (old.matcher(name).matches()) {
          Set<String> listed = owned(p, marker);
          if (listed != null && foreign(p, marker, listed) == null) {
            deleteOwned(p, marker, listed);
          }
        }
      }
    }
  }

  /**
   * Puts the finished directory {@code fresh} in place of {@code target}: an existing target is
   * checked once more (finwidth's, nothing foreign), renamed aside, and then emptied of its
   * listed files and removed.
   *
   * @throws IOException if the target changed during the run so that it may no longer be
   *     replaced (nothing is replaced then), or if the old directory could not be removed (the
   *     new results are in place; the message names where the old one is)
   */
  public static void replace(String flag, Path fresh, Path target, String marker) throws IOException {
    Path old = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Set<String> listed = owned(target, marker);
      String foreign = listed == null ? "no " + marker : foreign(target, marker, listed);
      if (foreign != null) {
        throw new IOException(flag + ": " + target + " changed during the run (" + foreign
            + "); it was left as it is and the new results were not written");
      }
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.delete(old);
      move(target, old);
    }
    move(fresh, target);
    if (old != null) {
      Set<String> listed = owned(old, marker);
      String foreign = listed == null ? "no " + marker : foreign(old, marker, listed);
      if (foreign != null) {
        throw new IOException(flag + ": the new results are in " + target + "; the previous directory held "
            + foreign + " (added during the run) and is kept as " + old);
      }
      deleteOwned(old, marker, listed);
    }
  }

  /** Deletes the listed files, the marker, the directories they were in, and {@code dir}: never anything else. */
  private static void deleteOwned(Path dir, String marker, Set<String> listed) throws IOException {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String f : listed) {
      Path p = dir.resolve(f);
      Files.deleteIfExists(p);
      for (Path d = p.getParent(); d != null && !d.equals(dir) && d.startsWith(dir); d = d.getParent()) {
        dirs.add(d);
      }
    }
    Files.deleteIfExists(dir.resolve(marker));
    List<Path> sorted = new ArrayList<>(dirs);
    sorted.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path d : sorted) {
      Files.deleteIfExists(d); // fails if not empty: then something foreign appeared, and it stays
    }
    Files.delete(dir);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
