package org.finwidth.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates {@code core/src/main/java/org/finwidth/vector/panama/FloatActivationKernels.java} from
 * {@code core/src/codegen/FloatActivationKernels.template.java} by writing every helper call of
 * the kernels out in place (a source-to-source inliner for the template's restricted style).
 *
 * <p><b>Why flat.</b> C2 inlines the Vector API's own methods whatever its node budget (they are
 * {@code @ForceInline}) but refuses the template's helper methods once a compilation has more
 * than NodeCountInliningCutoff (18000) nodes, which the larger activation kernels reach; a helper
 * that is not inlined boxes every vector it takes or returns (about 30 times slower, 40 bytes per
 * element allocated; docs/performance.md). The template keeps the readable building blocks (exp,
 * erfcx, atan, ...); this program expands them and specialises boolean flags passed as literals
 * ({@code derivative}, {@code cos}).
 *
 * <p><b>What it expands.</b> Every {@code private static FloatVector helper(...) { ... }} of the
 * template except {@link #KEEP} (small kernels whose helpers are switch/yield bodies, far below
 * the budget) is removed, and each statement of a kernel method ({@code static void ...}) that
 * calls a helper becomes the helper's statements with parameters substituted and locals renamed
 * {@code name_N} (N counts expansions), a {@code // helper} comment line before them, and the
 * call replaced by the helper's returned expression. {@code if (true|false)} blocks left by a
 * literal boolean are resolved. The output is a pure function of the template.
 *
 * <p><b>Why Java.</b> The build is Java and Maven only: the generator runs in the test suite
 * ({@code GeneratedKernelsTest}, which regenerates into {@code core/target/} and fails if the
 * checked-in file differs) with no Python or extra Maven plugin. It replaced a Python script and
 * reproduced its output byte for byte before the template changed.
 *
 * <p><b>Regenerate</b> (after editing the template), from the repository root, either
 * <pre>
 *   ./run.sh test -pl core -Dtest=GeneratedKernelsTest -Dfinwidth.regenerate=true
 *   java core/src/test/java/org/finwidth/codegen/KernelFlattener.java      (JDK 25, source launcher)
 * </pre>
 */
public final class KernelFlattener {
  private KernelFlattener() {}

  /** The template, relative to the repository root. */
  public static final String TEMPLATE = "core/src/codegen/FloatActivationKernels.template.java";
  /** The generated file, relative to the repository root. */
  public static final String OUTPUT =
      "core/src/main/java/org/finwidth/vector/panama/FloatActivationKernels.java";
  /** The command that regenerates the output (named in the generated header). */
  public static final String COMMAND =
      "./run.sh test -pl core -Dtest=GeneratedKernelsTest -Dfinwidth.regenerate=true";

  /** Helpers of the small kernels that stay methods (switch/yield bodies; far below the budget). */
  static final List<String> KEEP = List.of("ipow", "repuV", "mrepuV", "powRealExact");

  private static final int FLAGS = Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS;
  private static final Pattern HELPER = Pattern.compile(
      "((?:  /\\*\\*(?:(?!\\*/).)*\\*/\\n|  //[^\\n]*\\n)*)  private static FloatVector (\\w+)"
          + "\\(([^)]*)\\) \\{\\n(.*?)\\n  \\}\\n\\n?", FLAGS);
  private static final Pattern KERNEL = Pattern.compile(
      "(  (?:private )?static void \\w+\\([^)]*\\) \\{\\n)(.*?)(\\n  \\}\\n)", FLAGS);
  private static final Pattern IF_LITERAL = Pattern.compile("if \\((true|false)\\) \\{$", FLAGS);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_]\\w*", FLAGS);
  private static final Pattern LOCAL = Pattern.compile(
      "(?:FloatVector|IntVector|DoubleVector|VectorMask<Float>|float|int|double)\\s+(\\w+)\\s*[=;]",
      FLAGS);
  private static final Pattern DOUBLE_PARENS = Pattern.compile("\\(\\((\\w+)\\)\\)", FLAGS);

  private record Helper(List<String[]> params, String body) {}

  private record Call(String name, int start, int open, int close) {}

  /** One run over a template (the expansion counter is per run). */
  private static final class Run {
    final Map<String, Helper> helpers = new LinkedHashMap<>();
    final Map<String, Pattern> callPatterns = new LinkedHashMap<>();
    int counter;

    Run(String src) {
      Matcher m = HELPER.matcher(src);
      while (m.find()) {
        String name = m.group(2);
        if (KEEP.contains(name)) {
          continue;
        }
        List<String[]> params = new ArrayList<>();
        for (String p : m.group(3).replace("\n", " ").split(",")) {
          String t = p.strip();
          if (!t.isEmpty()) {
            int cut = lastWhitespace(t);
            params.add(new String[] {t.substring(0, cut).strip(), t.substring(cut).strip()});
          }
        }
        helpers.put(name, new Helper(params, m.group(4)));
        callPatterns.put(name, Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\(", FLAGS));
      }
    }

    /** The first helper call in stmt, or null. */
    Call findCall(String stmt) {
      String bestName = null;
      int bestStart = -1;
      int bestOpen = -1;
      for (Map.Entry<String, Pattern> e : callPatterns.entrySet()) {
        Matcher m = e.getValue().matcher(stmt);
        if (m.find() && (bestName == null || m.start() < bestStart)) {
          bestName = e.getKey();
          bestStart = m.start();
          bestOpen = m.end() - 1;
        }
      }
      if (bestName == null) {
        return null;
      }
      int depth = 0;
      for (int k = bestOpen; k < stmt.length(); k++) {
        char c = stmt.charAt(k);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0) {
            return new Call(bestName, bestStart, bestOpen, k);
          }
        }
      }
      throw new IllegalStateException("unbalanced parentheses in: " + stmt);
    }

    List<String> expand(String stmt, String indent) {
      Call call = findCall(stmt);
      if (call == null) {
        return List.of(indent + stmt);
      }
      Helper helper = helpers.get(call.name());
      List<String> args = splitArgs(stmt.substring(call.open() + 1, call.close()));
      if (args.size() != helper.params().size()) {
        throw new IllegalStateException(call.name() + ": " + args);
      }
      int uid = counter++;
      List<String> pre = new ArrayList<>();
      Map<String, String> subst = new LinkedHashMap<>();
      for (int i = 0; i < args.size(); i++) {
        String type = helper.params().get(i)[0];
        String pname = helper.params().get(i)[1];
        String arg = args.get(i);
        if (type.equals("boolean")) {
          if (!arg.equals("true") && !arg.equals("false")) {
            throw new IllegalStateException(call.name() + ": boolean " + pname + " = " + arg
                + " (only literals can be specialised)");
          }
          subst.put(pname, arg);
        } else if (IDENTIFIER.matcher(arg).matches()) {
          subst.put(pname, arg);
        } else {
          subst.put(pname, pname + "_" + uid);
          pre.add(type + " " + pname + "_" + uid + " = " + arg + ";");
        }
      }
      List<String> lines = statements(helper.body());
      for (Map.Entry<String, String> e : subst.entrySet()) {
        String val = e.getValue();
        if (val.equals("true") || val.equals("false")) {
          Pattern p = word(e.getKey());
          List<String> replaced = new ArrayList<>(lines.size());
          for (String l : lines) {
            replaced.add(p.matcher(l).replaceAll(Matcher.quoteReplacement(val)));
          }
          lines = replaced;
        }
      }
      lines = simplify(lines);
      if (lines.isEmpty() || !lines.get(lines.size() - 1).startsWith("return ")) {
        throw new IllegalStateException(call.name() + " does not end with a return: " + lines);
      }
      TreeSet<String> locals = new TreeSet<>();
      for (String l : lines) {
        Matcher m = LOCAL.matcher(l);
        while (m.find()) {
          locals.add(m.group(1));
        }
      }
      Map<String, String> renames = new LinkedHashMap<>(subst);
      for (String ln : locals) {
        renames.put(ln, ln + "_" + uid);
      }
      List<String> out = new ArrayList<>();
      if (!call.name().equals("bc")) {
        out.add(indent + "// " + call.name());
      }
      for (String p : pre) {
        out.addAll(expand(p, indent));
      }
      for (int i = 0; i < lines.size() - 1; i++) {
        out.addAll(expand(rename(lines.get(i), renames), indent));
      }
      String last = lines.get(lines.size() - 1);
      String ret = rename(last.substring("return ".length(), last.length() - 1), renames);
      String rest = stmt.substring(0, call.start()) + "(" + ret + ")" + stmt.substring(call.close() + 1);
      rest = DOUBLE_PARENS.matcher(rest).replaceAll("($1)");
      out.addAll(expand(rest, indent));
      return out;
    }

    String flattenKernels(String src) {
      // Helpers go (except the kept ones and bc, which the kept small-kernel helpers use).
      String out = replace(HELPER, src, m -> {
        String name = m.group(2);
        return KEEP.contains(name) || name.equals("bc") ? m.group() : "";
      });
      out = replace(KERNEL, out, m -> {
        List<String> lines = new ArrayList<>();
        for (String line : m.group(2).split("\n", -1)) {
          String t = line.strip();
          if (findCall(t) != null && t.endsWith(";")) {
            String indent = line.substring(0, line.length() - stripLeading(line).length());
            lines.addAll(expand(t, indent));
          } else {
            lines.add(line);
          }
        }
        return m.group(1) + String.join("\n", lines) + m.group(3);
      });
      // Nothing may call an expanded helper any more (comments aside).
      StringBuilder code = new StringBuilder();
      for (String l : out.split("\n", -1)) {
        String t = l.strip();
        if (!(t.startsWith("*") || t.startsWith("/"))) {
          code.append(l).append('\n');
        }
      }
      for (Map.Entry<String, Pattern> e : callPatterns.entrySet()) {
        if (!e.getKey().equals("bc") && e.getValue().matcher(code).find()) {
          throw new IllegalStateException("helper " + e.getKey() + " is still called after flattening");
        }
      }
      return out;
    }
  }

  /**
   * The generated source for a template.
   *
   * @param template the template's text
   * @return the flattened source with its generated-file header
   * @throws IllegalStateException if the template leaves the style the flattener understands
   */
  public static String flatten(String template) {
    Run run = new Run(template);
    String out = run.flattenKernels(template);
    String header = "// GENERATED FILE, do not edit: generated by org.finwidth.codegen.KernelFlattener\n"
        + "// (core/src/test/java) from " + TEMPLATE + ",\n"
        + "// which keeps the readable building blocks. Edit the template, then regenerate with\n"
        + "//   " + COMMAND + "\n"
        + "// (the default test suite fails while this file differs from the regenerated one).\n";
    String pkg = "package org.finwidth.vector.panama;";
    int at = out.indexOf(pkg);
    if (at < 0) {
      throw new IllegalStateException("template has no '" + pkg + "'");
    }
    return out.substring(0, at) + header + out.substring(at);
  }

  /** Splits a body into logical lines ending with ';', '{' or '}'; drops // comments. */
  static List<String> statements(String body) {
    List<String> out = new ArrayList<>();
    String cur = "";
    for (String line : body.split("\n", -1)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("//")) {
        continue;
      }
      cur = cur.isEmpty() ? t : (cur + " " + t).strip();
      if (cur.endsWith(";") || cur.endsWith("{") || cur.endsWith("}")) {
        out.add(cur);
        cur = "";
      }
    }
    if (!cur.isEmpty()) {
      throw new IllegalStateException("unterminated statement: " + cur);
    }
    return out;
  }

  /** Resolves {@code if (true)} / {@code if (false)} blocks; stops after a return. */
  static List<String> simplify(List<String> lines) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String t = lines.get(i);
      Matcher m = IF_LITERAL.matcher(t);
      if (m.matches()) {
        int depth = 1;
        int j = i + 1;
        List<String> then = new ArrayList<>();
        List<String> els = new ArrayList<>();
        List<String> cur = then;
        while (true) {
          String u = lines.get(j);
          if (u.equals("} else {") && depth == 1) {
            cur = els;
            j++;
            continue;
          }
          if (u.startsWith("}")) {
            depth--;
          }
          if (depth == 0) {
            break;
          }
          if (u.endsWith("{")) {
            depth++;
          }
          cur.add(u);
          j++;
        }
        List<String> chosen = simplify(m.group(1).equals("true") ? then : els);
        out.addAll(chosen);
        if (!chosen.isEmpty() && chosen.get(chosen.size() - 1).startsWith("return ")) {
          return out;
        }
        i = j + 1;
        continue;
      }
      out.add(t);
      if (t.startsWith("return ")) {
        return out;
      }
      i++;
    }
    return out;
  }

  static List<String> splitArgs(String s) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (int k = 0; k < s.length(); k++) {
      char ch = s.charAt(k);
      if (ch == ',' && depth == 0) {
        args.add(cur.toString().strip());
        cur.setLength(0);
        continue;
      }
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      }
      cur.append(ch);
    }
    if (!cur.toString().isBlank()) {
      args.add(cur.toString().strip());
    }
    return args;
  }

  private static Pattern word(String name) {
    return Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\b", FLAGS);
  }

  private static String rename(String text, Map<String, String> renames) {
    for (Map.Entry<String, String> e : renames.entrySet()) {
      text = word(e.getKey()).matcher(text).replaceAll(Matcher.quoteReplacement(e.getValue()));
    }
    return text;
  }

  private static int lastWhitespace(String t) {
    for (int k = t.length() - 1; k >= 0; k--) {
      if (Character.isWhitespace(t.charAt(k))) {
        return k;
      }
    }
    throw new IllegalStateException("parameter without a type: " + t);
  }

  private static String stripLeading(String s) {
    int k = 0;
    while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
      k++;
    }
    return s.substring(k);
  }

  private static String replace(Pattern p, String src,
      java.util.function.Function<MatchResult, String> f) {
    Matcher m = p.matcher(src);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m.toMatchResult())));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Regenerates the checked-in file: {@code java KernelFlattener.java [repository root]}
   * (default: the working directory).
   *
   * @param args optional repository root
   * @throws IOException if the template cannot be read or the output written
   */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    String template = Files.readString(root.resolve(TEMPLATE), StandardCharsets.UTF_8);
    String out = flatten(template);
    Files.writeString(root.resolve(OUTPUT), out, StandardCharsets.UTF_8);
    System.out.println("wrote " + OUTPUT + " (" + out.split("\n", -1).length + " lines)");
  }
}
