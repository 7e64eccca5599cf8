package org.finwidth.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every document a source or Markdown file of the repository cites must be in the repository, and
 * what it cites in it must exist. Scans every {@code .java}, {@code .md}, {@code .sh},
 * {@code .sbatch}, {@code .py} and {@code .xml} file under the repository root (not {@code target/},
 * {@code results/}, {@code bench/results/} or hidden directories) and fails, listing every
 * offending line, if one
 * <ul>
 *   <li>names a Markdown document (a file name ending in {@code .md}, with or without a directory) that does not
 *       exist, relative to the repository root or to the file's own directory;
 *   <li>links to a Markdown anchor ({@code [text](#anchor)} or {@code (docs/cli.md#anchor)}) that is not
 *       a heading of the target;
 *   <li>cites a section of docs/theory.md ({@code §N} or {@code §N.M} on a line that names
 *       {@code theory.md}, or anywhere in docs/theory.md itself) that has no heading there;
 *   <li>cites a document with a quoted section name ({@code docs/design.md "Past one machine"}) that
 *       is neither a heading nor a bold phrase of it, or a numbered item ({@code invariant N},
 *       {@code trap N}) that its list does not have;
 *   <li>mentions the background directory outside the repository, the team file, or an issue
 *       number (the patterns are assembled below so that this file does not match itself).
 * </ul>
 * The repository is a clone: a reader can open only what is in it (or PDLT, cited by equation).
 */
class DocumentReferencesTest {
  private static final Set<String> EXTENSIONS = Set.of("java", "md", "sh", "sbatch", "py", "xml");

  private static final Pattern URL = Pattern.compile("https?://\\S+");
  /** A Markdown file name, possibly with a relative directory. */
  private static final Pattern DOCUMENT = Pattern.compile("(?<![A-Za-z0-9_./-])([A-Za-z0-9_][A-Za-z0-9_./-]*\\.md)\\b");
  /** A Markdown link target with an anchor: (#anchor) or (docs/cli.md#anchor). */
  private static final Pattern ANCHOR_LINK = Pattern.compile("\\]\\(([^)#\\s]*)#([^)\\s]+)\\)");
  private static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)?)");
  private static final Pattern QUOTED_SECTION = Pattern.compile("(docs/[a-z-]+\\.md|bench/README\\.md|README\\.md),? \"([^\"]+)\"");
  private static final Pattern NUMBERED_ITEM = Pattern.compile("(docs/[a-z-]+\\.md),? (invariants?|traps?) (\\d+)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *$");
  private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
  private static final Pattern LIST_ITEM = Pattern.compile("^ {0,3}(\\d+)\\. ");

  private static final String SHARED = ".." + "/shared";
  private static final String TEAM = "TEAM" + ".md";
  private static final Pattern ISSUE_NUMBER = Pattern.compile("(?i)\\bissues?\\s*(?:no\\.?\\s*)?#?\\s*" + "\\d+");

  private static Path root;
  private static final Map<Path, List<String>> LINES = new HashMap<>();

  @BeforeAll
  static void findRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("core")))) {
      p = p.getParent();
    }
    assertTrue(p != null, "the repository root (a directory with mvnw and core/) above " + Path.of("").toAbsolutePath());
    root = p;
  }

  @Test
  void everyCitedDocumentAndSectionExists() throws IOException {
    List<Path> files = sources();
    assertTrue(files.size() > 100, "scanned only " + files.size() + " files under " + root);
    assertTrue(files.contains(root.resolve("docs/theory.md")), "docs/theory.md is scanned");
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = lines(file);
      boolean isTheory = file.equals(root.resolve("docs/theory.md"));
      for (int i = 0; i < lines.size(); i++) {
        String where = root.relativize(file) + ":" + (i + 1) + ": ";
        String line = URL.matcher(lines.get(i)).replaceAll(" ");
        if (line.contains(SHARED)) {
          problems.add(where + "mentions " + SHARED + ", which a clone does not have");
        }
        if (line.contains(TEAM)) {
          problems.add(where + "mentions " + TEAM + ", which a clone does not have");
        }
        Matcher issue = ISSUE_NUMBER.matcher(line);
        if (issue.find()) {
          problems.add(where + "mentions an issue number (\"" + issue.group() + "\"): say what, not which ticket");
        }
        Matcher doc = DOCUMENT.matcher(line);
        while (doc.find()) {
          if (resolve(file, doc.group(1)) == null) {
            problems.add(where + "names " + doc.group(1) + ", which is not in the repository");
          }
        }
        if (isTheory || line.contains("theory.md")) {
          Set<String> sections = headings(root.resolve("docs/theory.md")).sectionNumbers();
          Matcher s = SECTION.matcher(line);
          while (s.find()) {
            if (!sections.contains(s.group(1))) {
              problems.add(where + "cites docs/theory.md §" + s.group(1) + ", which has no heading there");
            }
          }
        }
        Matcher q = QUOTED_SECTION.matcher(line);
        while (q.find()) {
          Path target = resolve(file, q.group(1));
          if (target != null && !headings(target).has(q.group(2))) {
            problems.add(where + "cites " + q.group(1) + " \"" + q.group(2) + "\", neither a heading nor a bold phrase there");
          }
        }
        Matcher n = NUMBERED_ITEM.matcher(line);
        while (n.find()) {
          Path target = resolve(file, n.group(1));
          if (target != null && !headings(target).hasItem(n.group(2), Integer.parseInt(n.group(3)))) {
            problems.add(where + "cites " + n.group(1) + " " + n.group(2) + " " + n.group(3) + ", which its list does not have");
          }
        }
        if (file.toString().endsWith(".md")) {
          Matcher a = ANCHOR_LINK.matcher(line);
          while (a.find()) {
            Path target = a.group(1).isEmpty() ? file : resolve(file, a.group(1));
            if (target != null && !headings(target).anchors().contains(a.group(2))) {
              problems.add(where + "links to #" + a.group(2) + ", which is not a heading of " + root.relativize(target));
            }
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " dangling document reference(s):\n" + String.join("\n", problems));
    }
  }

  /** The checks themselves: each kind of problem is found in a planted line, and a good line passes. */
  @Test
  void thePatternsFindWhatTheyShould() {
    assertTrue(ISSUE_NUMBER.matcher("see Issue #" + "13 for this").find());
    assertTrue(ISSUE_NUMBER.matcher("the goals of issue " + "4's speed").find());
    assertTrue(!ISSUE_NUMBER.matcher("tissue 4, an issue of precision").find());
    String missing = "NOT_IN_THE_REPOSITORY" + ".md";
    Matcher d = DOCUMENT.matcher("cites " + missing + " and docs/theory.md §5.1, bench/README.md.");
    List<String> found = new ArrayList<>();
    while (d.find()) {
      found.add(d.group(1));
    }
    assertTrue(found.equals(List.of(missing, "docs/theory.md", "bench/README.md")), found.toString());
    Matcher s = SECTION.matcher("docs/theory.md §2–§6, §9.4");
    List<String> sections = new ArrayList<>();
    while (s.find()) {
      sections.add(s.group(1));
    }
    assertTrue(sections.equals(List.of("2", "6", "9.4")), sections.toString());
    assertTrue(slug("Shards, `merge`, checkpoints").equals("shards-merge-checkpoints"));
    assertTrue(slug("`activations`").equals("activations"));
  }

  /** The text files to scan. */
  private static List<Path> sources() throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        Path rel = root.relativize(dir);
        if (!dir.equals(root) && (name.startsWith(".") || name.equals("target") || name.equals("node_modules")
            || rel.equals(Path.of("results")) || rel.equals(Path.of("bench", "results")))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // This file is excluded: its Javadoc and its planted examples show what the check finds.
        if (attrs.isRegularFile() && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1))
            && !name.equals(DocumentReferencesTest.class.getSimpleName() + ".java")) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(null);
    return files;
  }

  private static List<String> lines(Path file) {
    return LINES.computeIfAbsent(file, f -> {
      try {
        return Files.readAllLines(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    });
  }

  /** The document a mention names, relative to the repository root or the mentioning file; null if none. */
  private static Path resolve(Path from, String mention) {
    for (Path base : new Path[] {root, from.getParent()}) {
      Path p = base.resolve(mention).normalize();
      if (p.startsWith(root) && Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** The headings, bold phrases and numbered list items of a Markdown document. */
  private record Outline(List<String> headings, List<String> bold, Map<String, Set<Integer>> items) {
    Set<String> sectionNumbers() {
      Set<String> s = new LinkedHashSet<>();
      for (String h : headings) {
        Matcher m = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\.? ").matcher(h);
        if (m.find()) {
          s.add(m.group(1));
        }
      }
      return s;
    }

    boolean has(String title) {
      String t = plain(title);
      for (String h : headings) {
        if (plain(h).contains(t)) {
          return true;
        }
      }
      for (String b : bold) {
        if (plain(b).contains(t)) {
          return true;
        }
      }
      return false;
    }

    boolean hasItem(String kind, int number) {
      String k = kind.endsWith("s") ? kind.substring(0, kind.length() - 1) : kind;
      return items.getOrDefault(k, Set.of()).contains(number);
    }

    Set<String> anchors() {
      Set<String> a = new LinkedHashSet<>();
      for (String h : headings) {
        a.add(slug(h));
      }
      return a;
    }
  }

  private static final Map<Path, Outline> OUTLINES = new HashMap<>();

  /**
   * The outline of a document. Numbered items are filed under "invariant" when they follow a
   * heading containing "Invariants", and under "trap" when they follow a line containing "traps".
   */
  private static Outline headings(Path doc) {
    return OUTLINES.computeIfAbsent(doc, d -> {
      List<String> headings = new ArrayList<>();
      List<String> bold = new ArrayList<>();
      Map<String, Set<Integer>> items = new HashMap<>();
      String list = null;
      boolean code = false;
      for (String line : lines(d)) {
        if (line.startsWith("```")) {
          code = !code;
          continue;
        }
        if (code) {
          continue;
        }
        Matcher h = HEADING.matcher(line);
        if (h.matches()) {
          headings.add(h.group(1));
          list = h.group(1).toLowerCase(Locale.ROOT).contains("invariants") ? "invariant" : null;
          continue;
        }
        Matcher b = BOLD.matcher(line);
        while (b.find()) {
          bold.add(b.group(1));
        }
        if (line.toLowerCase(Locale.ROOT).contains("traps")) {
          list = "trap";
        }
        Matcher item = LIST_ITEM.matcher(line);
        if (list != null && item.find()) {
          items.computeIfAbsent(list, k -> new LinkedHashSet<>()).add(Integer.parseInt(item.group(1)));
        }
      }
      return new Outline(headings, bold, items);
    });
  }

  /** Lower case, without Markdown code marks, for comparing section names. */
  private static String plain(String s) {
    return s.replace("`", "").replace("*", "").toLowerCase(Locale.ROOT).strip();
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
  static String slug(String heading) {
    String s = heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "");
    return s.replace(' ', '-');
  }
}
