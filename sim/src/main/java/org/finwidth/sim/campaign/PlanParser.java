package org.finwidth.sim.campaign;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.finwidth.activation.Activation;
import org.finwidth.network.SamplerKind;
import org.finwidth.sim.cli.MatrixFile;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;
import org.finwidth.theory.UniversalityClass;

/**
 * Reads a campaign plan (TOML; the format field by field: docs/campaigns.md) and resolves it into
 * its runs: the grid of the {@code [axes]} (every combination, minus the {@code [[exclude]]}
 * filters), then each {@code [[run]]}. {@code init = "critical"} is solved per activation by
 * {@link CriticalitySolver}: the line's C_W for a scale-invariant σ, the K* = 0 point, the first
 * half-stable point; without inputs a run at a critical point with K* &gt; 0 starts at
 * K^(1) = K* (one input of Gram value (K* − C_b)/C_W).
 *
 * <p>Every problem is a {@link PlanException} of one line, {@code FILE:LINE: KEY = VALUE: problem}:
 * unknown keys, values of the wrong type or range, an activation without a critical point given
 * {@code critical}, a run without inputs, an exclusion that matches nothing, two runs that
 * are the same, an empty grid, and a grid of more than {@link Plan#MAX_RUNS} runs without
 * {@code force}.
 */
public final class PlanParser {
  /** Plan files larger than this are refused before they are read. */
  static final long MAX_BYTES = 1 << 20;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Set<String> TOP = Set.of("name", "description", "seed", "axes", "run", "exclude");
  private static final List<String> INPUT_KEYS = List.of("gram", "inputs", "gram_file", "inputs_file");
  private static final Set<String> AXES = new LinkedHashSet<>(List.of("activation", "init", "width", "depth", "gram",
      "inputs", "gram_file", "inputs_file", "input_dim", "sampler", "networks"));
  private static final Set<String> EXCLUDE = new LinkedHashSet<>(List.of("activation", "init", "width", "depth",
      "sampler", "networks"));

  private final String file;
  private final Path baseDir;
  private final TomlLines lines;
  private final String text;
  private final Map<String, Criticality> criticality = new HashMap<>();

  private PlanParser(String file, Path baseDir, String text) {
    this.file = file;
    this.text = text;
    this.baseDir = baseDir;
    this.lines = TomlLines.of(text);
  }

  /**
   * Reads and resolves the plan file {@code file}.
   *
   * @param force allow more than {@link Plan#MAX_RUNS} runs
   * @throws PlanException for a plan that cannot be read or is not valid (one line)
   */
  public static Plan read(Path file, boolean force) {
    if (Files.isDirectory(file)) {
      throw new PlanException(file + ": is a directory, not a plan file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new PlanException(file + ": not a regular file (a plan is a TOML file)");
    }
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new PlanException(file + ": " + size + " bytes, more than a plan file may have (" + (MAX_BYTES >> 10)
            + " kB)");
      }
      text = decode(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new PlanException(file + ": no such plan file");
    } catch (IOException e) {
      throw new PlanException(file + ": cannot read: " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(file.toString(), dir, text, force);
  }

  private static String decode(byte[] bytes, String name) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new PlanException(name + ": not UTF-8 text (a plan is a TOML file)");
    }
  }

  /**
   * Parses and resolves the plan {@code text}; {@code file} names it in messages and
   * {@code baseDir} resolves the matrix files it names.
   */
  public static Plan parse(String file, Path baseDir, String text, boolean force) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String msg = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage().strip();
      int nl = msg.indexOf('\n');
      msg = nl < 0 ? msg : msg.substring(0, nl);
      TomlLines.Duplicate dup = msg.startsWith("Duplicate key") ? TomlLines.of(text).duplicate() : null;
      if (dup != null) { // the parser's position is past the statement: name the key and both lines
        throw new PlanException(file + ":" + dup.line() + ": " + dup.path() + ": defined twice (first at line "
            + dup.first() + ")");
      }
      throw new PlanException(file + (loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "")
          + ": not valid TOML: " + msg);
    }
    if (root == null || !root.isObject()) {
      throw new PlanException(file + ": empty plan: give at least name, seed and [axes] or [[run]]");
    }
    return new PlanParser(file, baseDir, text).plan(root, force);
  }

  // ---- the plan -------------------------------------------------------------------------------

  private Plan plan(JsonNode root, boolean force) {
    checkKeys(root, "", TOP);
    String name = string(required(root, "", "name"), "name");
    if (!NAME.matcher(name).matches()) {
      throw fail("name", "a name of letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)",
          root.get("name"));
    }
    JsonNode d = root.get("description");
    String description = d == null ? "" : string(d, "description");
    long seed = integer(required(root, "", "seed"), "seed", Long.MIN_VALUE, "a seed (a whole number, any 64-bit integer)");
    JsonNode axes = root.get("axes");
    JsonNode runs = root.get("run");
    JsonNode excludes = root.get("exclude");
    if (axes == null && runs == null) {
      throw new PlanException(file + ": no runs: give an [axes] table, [[run]] tables, or both");
    }
    List<CampaignRun> all = new ArrayList<>();
    if (axes != null) {
      all.addAll(grid(axes, excludes, seed));
    } else if (excludes != null) {
      throw fail("exclude", "exclusions filter the grid of [axes], and there is none", excludes);
    }
    if (runs != null) {
      if (!runs.isArray()) {
        throw fail("run", "explicit runs are [[run]] tables", runs);
      }
      for (int i = 0; i < runs.size(); i++) {
        all.add(explicitRun(runs.get(i), "run[" + i + "]", seed));
      }
    }
    if (all.isEmpty()) {
      throw fail(axes != null ? "axes" : "run", "the plan makes no runs (every grid point is excluded)", null);
    }
    Map<String, CampaignRun> byKey = new LinkedHashMap<>();
    for (CampaignRun r : all) {
      CampaignRun other = byKey.putIfAbsent(r.key(), r);
      if (other != null) {
        throw fail(r.origin().equals("grid") ? "axes" : r.origin(), "the same run as one of "
            + (other.origin().equals("grid") ? "the grid" : other.origin()) + " (line " + lines.line(other.origin()
            .equals("grid") ? "axes" : other.origin()) + "): key " + r.key(), null);
      }
    }
    if (all.size() > Plan.MAX_RUNS && !force) {
      String where = axes != null ? "axes" : "run";
      throw new PlanException(file + ":" + lines.line(where) + ": " + where + ": the plan makes " + all.size()
          + " runs, more than " + Plan.MAX_RUNS + "; pass --force to accept it");
    }
    return new Plan(name, description, seed, file, text, all);
  }

  /** One point of the grid, before it is resolved. */
  private record Point(Item activation, Item init, Item width, Item depth, Item input, Item sampler, Item networks) {}

  /** A value with its path in the plan. */
  private record Item(JsonNode node, String path) {}

  private List<CampaignRun> grid(JsonNode axes, JsonNode excludes, long seed) {
    if (!axes.isObject()) {
      throw fail("axes", "[axes] is a table of keys", axes);
    }
    checkKeys(axes, "axes", AXES);
    List<Item> activations = axis(axes, "activation", true);
    List<Item> inits = axis(axes, "init", true);
    List<Item> widths = axis(axes, "width", true);
    List<Item> depths = axis(axes, "depth", true);
    List<Item> networks = axis(axes, "networks", true);
    List<Item> samplers = axes.has("sampler") ? axis(axes, "sampler", true) : List.of(new Item(null, "axes.sampler"));
    String inputKey = inputKey(axes, "axes");
    List<Item> inputs = inputKey == null ? java.util.Collections.singletonList(null) : inputItems(axes, "axes", inputKey);
    JsonNode inputDim = axes.get("input_dim");
    // check every value once, before crossing
    for (Item a : activations) {
      activation(a);
    }
    for (Item i : inits) {
      init(i);
    }
    for (Item w : widths) {
      integer(w.node(), w.path(), 1, "a width (a whole number >= 1)");
    }
    for (Item l : depths) {
      integer(l.node(), l.path(), 1, "a depth (a whole number >= 1)");
    }
    for (Item m : networks) {
      integer(m.node(), m.path(), 1, "a number of networks (a whole number >= 1)");
    }
    for (Item s : samplers) {
      sampler(s);
    }
    List<Filter> filters = filters(excludes);
    List<CampaignRun> runs = new ArrayList<>();
    for (Item a : activations) {
      for (Item i : inits) {
        for (Item w : widths) {
          for (Item l : depths) {
            for (Item in : inputs) {
              for (Item s : samplers) {
                for (Item m : networks) {
                  Point p = new Point(a, i, w, l, in, s, m);
                  boolean excluded = false;
                  for (Filter f : filters) {
                    if (f.matches(this, p)) {
                      f.used = true;
                      excluded = true;
                    }
                  }
                  if (!excluded) {
                    runs.add(resolve(p, inputKey, inputDim, "axes", seed, "grid"));
                  }
                }
              }
            }
          }
        }
      }
    }
    for (Filter f : filters) {
      if (!f.used) {
        throw fail(f.path, "this exclusion matches no run of the grid (a typo?)", f.node);
      }
    }
    return runs;
  }

  private CampaignRun explicitRun(JsonNode run, String path, long seed) {
    if (!run.isObject()) {
      throw fail(path, "a run is a table of keys", run);
    }
    checkKeys(run, path, AXES);
    Item a = single(run, path, "activation", true);
    Item i = single(run, path, "init", true);
    Item w = single(run, path, "width", true);
    Item l = single(run, path, "depth", true);
    Item m = single(run, path, "networks", true);
    Item s = run.has("sampler") ? single(run, path, "sampler", true) : new Item(null, path + ".sampler");
    integer(w.node(), w.path(), 1, "a width (a whole number >= 1)");
    integer(l.node(), l.path(), 1, "a depth (a whole number >= 1)");
    integer(m.node(), m.path(), 1, "a number of networks (a whole number >= 1)");
    String inputKey = inputKey(run, path);
    Item in = null;
    if (inputKey != null) {
      List<Item> items = inputItems(run, path, inputKey);
      if (items.size() != 1) {
        throw fail(path + "." + inputKey, "a run has one set of inputs (lists of them belong in [axes])",
            run.get(inputKey));
      }
      in = items.getFirst();
    }
    return resolve(new Point(a, i, w, l, in, s, m), inputKey, run.get("input_dim"), path, seed, path);
  }

  // ---- resolving a run ------------------------------------------------------------------------

  private CampaignRun resolve(Point p, String inputKey, JsonNode inputDimNode, String section, long seed,
      String origin) {
    Activation act = activation(p.activation());
    Init init = init(p.init());
    int width = (int) integer(p.width().node(), p.width().path(), 1, "a width (a whole number >= 1)");
    int depth = (int) integer(p.depth().node(), p.depth().path(), 1, "a depth (a whole number >= 1)");
    long networks = integer(p.networks().node(), p.networks().path(), 1, "a number of networks (a whole number >= 1)");
    String sampler = sampler(p.sampler());
    if (width > Integer.MAX_VALUE - 1 || depth > 100_000) {
      throw fail(depth > 100_000 ? p.depth().path() : p.width().path(), "too large", depth > 100_000
          ? p.depth().node() : p.width().node());
    }
    double cb;
    double cw;
    double[][] gram = null;
    double[][] inputs = null;
    int inputDim = 0;
    String initLabel;
    if (init.critical()) {
      Criticality c = criticality.computeIfAbsent(act.spec(), s -> CriticalitySolver.solve(act));
      Criticality.CriticalPoint point = criticalPoint(c);
      if (point == null) {
        throw fail(p.init().path(), act.spec() + " has no critical initialisation (class "
            + c.universalityClass().label() + ")", p.init().node());
      }
      cb = point.cb();
      cw = point.cw();
      initLabel = "critical";
      if (p.input() == null) {
        double kstar = point.kstar().orElse(0);
        if (!(kstar > 0)) {
          throw fail(section + ".gram", "missing: critical " + act.spec() + " (class " + c.universalityClass().label()
              + ") has no K* > 0 to start from; give gram, inputs, gram_file or inputs_file", null);
        }
        gram = new double[][] {{(kstar - cb) / cw}};
        inputDim = 1;
      }
    } else {
      cb = init.cb();
      cw = init.cw();
      initLabel = "explicit";
      if (p.input() == null) {
        throw fail(section + ".gram", "missing: a run needs inputs unless it is critical with K* > 0; give gram,"
            + " inputs, gram_file or inputs_file", null);
      }
    }
    if (p.input() != null) {
      double[][] m = matrix(p.input(), inputKey);
      if (inputKey.startsWith("inputs")) {
        inputs = m;
        if (inputDimNode != null) {
          throw fail(section + ".input_dim", "the input dimension of explicit inputs is their length; leave it out",
              inputDimNode);
        }
      } else {
        gram = m;
        inputDim = inputDimNode == null ? m.length
            : (int) integer(inputDimNode, section + ".input_dim", 1, "an input dimension (a whole number >= 1)");
      }
      int d = m.length;
      try {
        ObservableLayout.forInputs(d);
      } catch (IllegalArgumentException e) {
        throw fail(p.input().path(), e.getMessage(), p.input().node());
      }
    } else if (inputDimNode != null) {
      throw fail(section + ".input_dim", "an input dimension needs a gram", inputDimNode);
    }
    try {
      return CampaignRun.of(seed, act.spec(), initLabel, cb + 0.0, cw + 0.0, inputDim, depth, width, gram, inputs,
          sampler, networks, origin);
    } catch (IllegalArgumentException e) {
      Item blame = p.input() != null ? p.input() : p.init();
      throw fail(blame.path(), e.getMessage(), blame.node());
    }
  }

  /** The critical point {@code critical} means for σ's class, or null for class none. */
  static Criticality.CriticalPoint criticalPoint(Criticality c) {
    if (c.universalityClass() == UniversalityClass.NONE || c.critical().isEmpty()) {
      return null;
    }
    if (c.universalityClass() == UniversalityClass.HALF_STABLE) {
      for (Criticality.CriticalPoint p : c.critical()) {
        if (p.kstar().isPresent() && p.kstar().getAsDouble() > 0) {
          return p;
        }
      }
    }
    return c.critical().getFirst();
  }

  /** {@code critical}, or explicit C_b and C_W. */
  private record Init(boolean critical, double cb, double cw) {}

  private Init init(Item item) {
    JsonNode n = item.node();
    if (n.isTextual()) {
      if (n.asText().equals("critical")) {
        return new Init(true, 0, 0);
      }
      throw fail(item.path(), "an initialisation is \"critical\" or a table {cb = X, cw = Y}", n);
    }
    if (!n.isObject()) {
      throw fail(item.path(), "an initialisation is \"critical\" or a table {cb = X, cw = Y}", n);
    }
    checkKeys(n, item.path(), Set.of("cb", "cw"));
    double cb = number(required(n, item.path(), "cb"), item.path() + ".cb");
    double cw = number(required(n, item.path(), "cw"), item.path() + ".cw");
    if (!(cb >= 0)) {
      throw fail(item.path() + ".cb", "C_b must be >= 0", n.get("cb"));
    }
    if (!(cw > 0)) {
      throw fail(item.path() + ".cw", "C_W must be > 0", n.get("cw"));
    }
    return new Init(false, cb + 0.0, cw);
  }

  private Activation activation(Item item) {
    String spec = string(item.node(), item.path());
    try {
      return Activation.parse(spec);
    } catch (IllegalArgumentException e) {
      throw fail(item.path(), e.getMessage(), item.node());
    }
  }

  private String sampler(Item item) {
    if (item.node() == null) {
      return SamplerKind.CONDITIONAL.cliName();
    }
    try {
      return SamplerKind.parse(string(item.node(), item.path())).cliName();
    } catch (IllegalArgumentException e) {
      throw fail(item.path(), "a sampler is weights or conditional", item.node());
    }
  }

  // ---- inputs ---------------------------------------------------------------------------------

  /** Which of gram, inputs, gram_file, inputs_file the table gives (at most one), or null. */
  private String inputKey(JsonNode table, String path) {
    String found = null;
    for (String k : INPUT_KEYS) {
      if (table.has(k)) {
        if (found != null) {
          throw fail(path + "." + k, "give one of " + String.join(", ", INPUT_KEYS) + "; " + found + " is given too",
              table.get(k));
        }
        found = k;
      }
    }
    return found;
  }

  /**
   * The input sets of an input key: a Gram matrix is a number (1×1), a string in the syntax of
   * {@code --gram} ("1,0.5;0.5,2") or an array of rows; an axis of several is an array of those.
   * An array of arrays of numbers is one matrix; an array of arrays of arrays is a list of them.
   */
  private List<Item> inputItems(JsonNode table, String section, String key) {
    JsonNode n = table.get(key);
    String path = section + "." + key;
    List<Item> items = new ArrayList<>();
    if (key.endsWith("_file")) {
      if (n.isArray()) {
        for (int i = 0; i < n.size(); i++) {
          items.add(new Item(n.get(i), path + "[" + i + "]"));
        }
      } else {
        items.add(new Item(n, path));
      }
    } else if (n.isArray() && n.size() > 0 && n.get(0).isArray() && (n.get(0).size() == 0 || !n.get(0).get(0).isArray())) {
      items.add(new Item(n, path)); // one matrix
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        items.add(new Item(n.get(i), path + "[" + i + "]"));
      }
    } else {
      items.add(new Item(n, path));
    }
    if (items.isEmpty()) {
      throw fail(path, "an empty list", n);
    }
    return items;
  }

  private double[][] matrix(Item item, String key) {
    JsonNode n = item.node();
    String what = key.startsWith("gram") ? "a Gram matrix" : "input vectors";
    if (key.endsWith("_file")) {
      Path f = baseDir.resolve(string(n, item.path()));
      try {
        return key.startsWith("gram") ? MatrixFile.readGram("file", f) : MatrixFile.read("file", f);
      } catch (IllegalArgumentException e) {
        throw fail(item.path(), e.getMessage(), n);
      }
    }
    if (n.isNumber()) {
      return new double[][] {{number(n, item.path())}};
    }
    if (n.isTextual()) {
      try {
        return MatrixText.parseInline(n.asText());
      } catch (IllegalArgumentException e) {
        throw fail(item.path(), e.getMessage(), n);
      }
    }
    if (!n.isArray() || n.isEmpty()) {
      throw fail(item.path(), what + " is a number, a string like \"1,0.5;0.5,2\" or an array of rows like"
          + " [[1, 0.5], [0.5, 2]]", n);
    }
    double[][] m = new double[n.size()][];
    for (int i = 0; i < n.size(); i++) {
      JsonNode row = n.get(i);
      if (!row.isArray() || row.isEmpty()) {
        throw fail(item.path(), what + ": row " + (i + 1) + " is not an array of numbers", n);
      }
      m[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        m[i][j] = number(row.get(j), item.path());
      }
    }
    return m;
  }

  // ---- exclusions -----------------------------------------------------------------------------

  /** An [[exclude]] table: a grid point is excluded if it matches every key given. */
  private static final class Filter {
    final String path;
    final JsonNode node;
    final Map<String, List<Item>> values = new LinkedHashMap<>();
    boolean used;

    Filter(String path, JsonNode node) {
      this.path = path;
      this.node = node;
    }

    boolean matches(PlanParser p, Point point) {
      for (Map.Entry<String, List<Item>> e : values.entrySet()) {
        Item mine = switch (e.getKey()) {
          case "activation" -> point.activation();
          case "init" -> point.init();
          case "width" -> point.width();
          case "depth" -> point.depth();
          case "sampler" -> point.sampler();
          default -> point.networks();
        };
        boolean any = false;
        for (Item v : e.getValue()) {
          any |= p.same(e.getKey(), v, mine);
        }
        if (!any) {
          return false;
        }
      }
      return true;
    }
  }

  private boolean same(String key, Item a, Item b) {
    return switch (key) {
      case "activation" -> activation(a).equals(activation(b));
      case "init" -> init(a).equals(init(b));
      case "sampler" -> sampler(a).equals(sampler(b));
      default -> integer(a.node(), a.path(), 1, "a whole number >= 1")
          == integer(b.node(), b.path(), 1, "a whole number >= 1");
    };
  }

  private List<Filter> filters(JsonNode excludes) {
    List<Filter> filters = new ArrayList<>();
    if (excludes == null) {
      return filters;
    }
    if (!excludes.isArray()) {
      throw fail("exclude", "exclusions are [[exclude]] tables", excludes);
    }
    for (int i = 0; i < excludes.size(); i++) {
      String path = "exclude[" + i + "]";
      JsonNode t = excludes.get(i);
      if (!t.isObject() || t.isEmpty()) {
        throw fail(path, "an exclusion is a table of one or more of " + String.join(", ", EXCLUDE), t);
      }
      checkKeys(t, path, EXCLUDE);
      Filter f = new Filter(path, t);
      for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        JsonNode v = t.get(k);
        List<Item> items = new ArrayList<>();
        if (v.isArray()) {
          for (int j = 0; j < v.size(); j++) {
            items.add(new Item(v.get(j), path + "." + k + "[" + j + "]"));
          }
        } else {
          items.add(new Item(v, path + "." + k));
        }
        for (Item item : items) { // check the values now: a bad one is an error, not a silent non-match
          switch (k) {
            case "activation" -> activation(item);
            case "init" -> init(item);
            case "sampler" -> sampler(item);
            default -> integer(item.node(), item.path(), 1, "a whole number >= 1");
          }
        }
        f.values.put(k, items);
      }
      filters.add(f);
    }
    return filters;
  }

  // ---- values ---------------------------------------------------------------------------------

  private void checkKeys(JsonNode table, String path, Set<String> known) {
    for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        String where = path.isEmpty() ? k : path + "." + k;
        throw fail(where, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")",
            table.get(k));
      }
    }
  }

  private JsonNode required(JsonNode table, String path, String key) {
    JsonNode n = table.get(key);
    if (n == null) {
      String where = path.isEmpty() ? key : path + "." + key;
      throw fail(where, "missing", null);
    }
    return n;
  }

  /** The values of an axis: an array, or a single value as a one-element axis. */
  private List<Item> axis(JsonNode table, String key, boolean required) {
    String path = "axes." + key;
    JsonNode n = required ? required(table, "axes", key) : table.get(key);
    List<Item> items = new ArrayList<>();
    if (n.isArray()) {
      if (n.isEmpty()) {
        throw fail(path, "an empty axis makes no runs", n);
      }
      for (int i = 0; i < n.size(); i++) {
        items.add(new Item(n.get(i), path + "[" + i + "]"));
      }
    } else {
      items.add(new Item(n, path));
    }
    return items;
  }

  private Item single(JsonNode table, String path, String key, boolean required) {
    JsonNode n = required ? required(table, path, key) : table.get(key);
    if (n.isArray()) {
      throw fail(path + "." + key, "a run has one value (lists belong in [axes])", n);
    }
    return new Item(n, path + "." + key);
  }

  private String string(JsonNode n, String path) {
    if (!n.isTextual()) {
      throw fail(path, "not a string", n);
    }
    return n.asText();
  }

  private long integer(JsonNode n, String path, long min, String what) {
    long v;
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      v = n.asLong();
    } else if (n.isFloatingPointNumber() && isWhole(n.decimalValue()) && n.canConvertToLong()) {
      v = n.asLong(); // e.g. networks = 1e5
    } else {
      throw fail(path, "not " + what, n);
    }
    if (v < min) {
      throw fail(path, "not " + what, n);
    }
    return v;
  }

  private static boolean isWhole(BigDecimal d) {
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }

  private double number(JsonNode n, String path) {
    if (!n.isNumber()) {
      throw fail(path, "not a number", n);
    }
    double v = n.asDouble();
    if (!Double.isFinite(v)) {
      throw fail(path, "not a finite number", n);
    }
    return v;
  }

  /** A plan error at {@code path}: {@code FILE:LINE: PATH = VALUE: problem} (without the value if null). */
  private PlanException fail(String path, String problem, JsonNode value) {
    int line = lines.line(path);
    return new PlanException(file + (line > 0 ? ":" + line : "") + ": " + path
        + (value == null ? "" : " = " + show(value)) + ": " + problem);
  }

  /** A value as it would read in TOML (compact), cut at 80 characters. */
  static String show(JsonNode v) {
    String s;
    if (v.isObject()) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append(" = ").append(show(e.getValue()));
      }
      s = sb.append('}').toString();
    } else {
      s = v.toString();
    }
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
