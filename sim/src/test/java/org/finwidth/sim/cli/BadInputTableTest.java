package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.finwidth.sim.state.ResultFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of bad invocations and files ({@code src/test/resources/bad-input.tsv}, shown in the
 * README): each is refused with exactly its one line on stderr and its exit code, prints nothing
 * on stdout, no stack trace, and leaves the directory of files and its parent as they were (no
 * partial output, no temporary or lock file, no changed input, the user's files beside them
 * untouched), and the device nodes /dev/null and /dev/full still device nodes. The files (shards
 * of one run, damaged, foreign, forged or partial copies of them, a user's files and directories,
 * links, a FIFO and a socket) are made once in a temporary directory, {@code @D} in the table,
 * beside a user's file in its parent; {@code @HEAP} stands for this JVM's maximum heap as the size
 * check prints it, {@code @HOME} for the home directory, {@code @K} for the kernels this JVM
 * computes with (panama or scalar) and {@code @OK} for the other ones, {@code @LONG} for a value
 * of 100 000 characters (x...x).
 */
class BadInputTableTest {
  /** The simulate flags every {@code @SIM} row starts with (M and anything else follow in the row). */
  static final String SIM = "simulate -a relu --cb 0 --cw 2 -L 2 -n 4 --gram 1 -s 1 --threads 1 --no-progress";

  @TempDir static Path root;
  static Path dir;

  @BeforeAll
  static void files() throws Exception {
    dir = Files.createDirectory(root.resolve("d"));
    Files.writeString(root.resolve("thesis.tex"), "\\documentclass{article} % beside @D\n");
    for (int i = 1; i <= 3; i++) {
      run(SIM + " -M 3000 --shard " + i + "/3 --out @D/s" + i + ".fwr");
    }
    run(SIM + " -M 3000 --out @D/whole.fwr");
    run(SIM.replace("-s 1", "-s 2") + " -M 3000 --shard 3/3 --out @D/seed2.fwr");
    run(SIM.replace("--cw 2", "--cw 1.9") + " -M 3000 --shard 3/3 --out @D/cw.fwr");
    run(SIM + " -M 3000 --sampler weights --shard 3/3 --out @D/weights.fwr");
    run(SIM + " -M 4000 --range 2048:4000 --out @D/m4000.fwr");
    byte[] good = Files.readAllBytes(dir.resolve("s2.fwr"));
    Files.write(dir.resolve("truncated.fwr"), Arrays.copyOf(good, 400));
    byte[] flipped = good.clone();
    flipped[500] ^= 0x10;
    Files.write(dir.resolve("flipped.fwr"), flipped);
    Files.write(dir.resolve("trailing.fwr"), Arrays.copyOf(good, good.length + 1));
    byte[] v9 = good.clone();
    v9[9] = 9;
    Files.write(dir.resolve("format9.fwr"), v9);
    Files.write(dir.resolve("magic-only.fwr"), Arrays.copyOf(good, 8));
    Files.write(dir.resolve("empty.fwr"), new byte[0]);
    Files.writeString(dir.resolve("text.fwr"), "layer,quantity,component,mean,se,theory,exact\n");
    Files.writeString(dir.resolve("plain"), "a file, not a directory\n");
    Files.createDirectory(dir.resolve("adir"));
    // inputs and Gram files
    Files.writeString(dir.resolve("gram-value.csv"), "1,0.5\n0.5,abc\n");
    Files.writeString(dir.resolve("gram-nan.csv"), "1,NaN\nNaN,1\n");
    Files.writeString(dir.resolve("gram-ragged.csv"), "1,0.5,0\n0.5,1\n0,0,1\n");
    Files.writeString(dir.resolve("gram-wide.csv"), "1,0.5,0\n0.5,1,0\n");
    Files.writeString(dir.resolve("gram-asym.csv"), "# two inputs\n1,0.5\n0.4,1\n");
    Files.writeString(dir.resolve("gram-negative.csv"), "1,0\n0,-1\n");
    Files.writeString(dir.resolve("gram-not-psd.csv"), "1,0.9,0.9\n0.9,1,-0.9\n0.9,-0.9,1\n");
    Files.writeString(dir.resolve("gram-comments.csv"), "# nothing but a comment\n\n");
    Files.writeString(dir.resolve("inputs-ragged.csv"), "1,2,3\n4,5\n");
    Files.writeString(dir.resolve("inputs-value.csv"), "1,2\n3, x \n");
    Files.writeString(dir.resolve("inputs-ok.csv"), "1,2,3\n1,2,3\n0,1,0\n");
    ResultFile s1 = ResultFile.read(dir.resolve("s1.fwr"));
    ResultFile s3 = ResultFile.read(dir.resolve("s3.fwr"));
    new ResultFile("0.0.1", s3.range(), s3.result()).write(dir.resolve("old.fwr"));
    ResultFile whole = ResultFile.read(dir.resolve("whole.fwr"));
    // a checkpoint of the whole run holding only its first block
    new ResultFile(s1.finwidthVersion(), whole.range(), s1.result()).write(dir.resolve("ckpt.fwr"));
    new ResultFile("0.0.1", whole.range(), s1.result()).write(dir.resolve("ckpt-old.fwr"));
    // campaign plans: test resources campaign-plans/*.toml, copied to @D/plans
    Files.createDirectories(dir.resolve("plans"));
    for (String name : List.of("ok", "unknown-key", "bad-width", "critical-none", "empty-grid", "too-many-runs",
        "syntax", "duplicate-key", "no-inputs", "not-psd", "bad-activation", "same-run", "exclusion-matches-nothing",
        "missing-name", "bad-sampler", "negative-cb", "missing-gram-file")) {
      try (var in = BadInputTableTest.class.getResourceAsStream("/campaign-plans/" + name + ".toml")) {
        Files.write(dir.resolve("plans").resolve(name + ".toml"), in.readAllBytes());
      }
    }
    userFiles();
    specialFiles();
    forgedFiles(Arrays.copyOf(good, 8));
    otherKernels(Files.readAllBytes(dir.resolve("s3.fwr")));
  }

  /** The kernels this JVM computes with, and the other ones. */
  private static String kernels(boolean ours) {
    String k = org.finwidth.ensemble.EnsembleResult.thisJvmsKernels();
    return ours ? k : k.equals("panama") ? "scalar" : "panama";
  }

  /**
   * otherk.fwr: shard 3/3 as the other kernels would have recorded it (the kernels field of the
   * state, right after the sampler, names the other implementation; the checksum recomputed).
   */
  private static void otherKernels(byte[] shard) throws Exception {
    java.io.ByteArrayOutputStream fields = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream o = new java.io.DataOutputStream(fields);
    o.writeUTF("conditional");
    o.writeUTF(kernels(true));
    byte[] field = fields.toByteArray();
    int at = -1;
    for (int i = 0; i + field.length <= shard.length && at < 0; i++) {
      if (Arrays.equals(shard, i, i + field.length, field, 0, field.length)) {
        at = i;
      }
    }
    assertTrue(at > 0, "the sampler and kernels fields of s3.fwr");
    byte[] other = kernels(false).getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(other, 0, shard, at + field.length - other.length, other.length);
    byte[] body = Arrays.copyOf(shard, shard.length - 32);
    System.arraycopy(MessageDigest.getInstance("SHA-256").digest(body), 0, shard, shard.length - 32, 32);
    Files.write(dir.resolve("otherk.fwr"), shard);
  }

  /** A user's file and directories that finwidth must never replace. */
  private static void userFiles() throws IOException {
    Files.writeString(dir.resolve("thesis.tex"), "\\documentclass{article}\n");
    Files.writeString(dir.resolve("g.csv"), "1\n"); // a Gram matrix file (an input)
    Path user = Files.createDirectory(dir.resolve("userdir"));
    Files.writeString(user.resolve("notes.txt"), "mine\n");
    Path ours = Files.createDirectory(dir.resolve("ours-plus"));
    Files.writeString(ours.resolve(org.finwidth.sim.state.OwnedDirectory.EXPERIMENT_MARKER), markerHeader() + "\nrepu.csv\n");
    Files.writeString(ours.resolve("repu.csv"), "activation\n");
    Files.writeString(ours.resolve("notes.txt"), "mine\n");
    Path old = Files.createDirectory(dir.resolve("oldver"));
    Files.writeString(old.resolve("manifest.json"),
        "{\"experiment\": \"repu\", \"finwidthVersion\": \"0.0.9\", \"files\": [\"repu.csv\", \"manifest.json\"]}\n");
    Files.writeString(old.resolve("repu.csv"), "activation\n");
    Files.writeString(old.resolve("notes.txt"), "mine\n");
  }

  /** The marker's first line, as finwidth writes it (read back from a marker it wrote). */
  private static String markerHeader() throws IOException {
    Path probe = Files.createTempDirectory("finwidth-marker");
    try {
      org.finwidth.sim.state.OwnedDirectory.writeMarker(probe, ".m", List.of());
      return Files.readAllLines(probe.resolve(".m")).getFirst();
    } finally {
      Files.delete(probe.resolve(".m"));
      Files.delete(probe);
    }
  }

  /** Links, a FIFO and a socket. */
  private static void specialFiles() throws Exception {
    Files.createSymbolicLink(dir.resolve("null-link"), Path.of("/dev/null"));
    Files.createSymbolicLink(dir.resolve("zero-link"), Path.of("/dev/zero"));
    Files.createSymbolicLink(dir.resolve("alias.fwr"), Path.of("s2.fwr"));
    Files.createSymbolicLink(dir.resolve("s1-link"), dir.resolve("s1.fwr"));
    Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo");
    try (java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open(
        java.net.StandardProtocolFamily.UNIX)) {
      s.bind(java.net.UnixDomainSocketAddress.of(dir.resolve("socket")));
    }
  }

  /**
   * Result files with a valid checksum and huge counts inside: explicit inputs of dimension 2^28,
   * 2^24 block ranges, and a header announcing a 2 GB state.
   */
  private static void forgedFiles(byte[] magic) throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream o = new java.io.DataOutputStream(b);
    o.writeInt(org.finwidth.ensemble.EnsembleResult.STATE_VERSION);
    o.writeUTF("relu");
    o.writeDouble(0);
    o.writeDouble(2);
    o.writeInt(1 << 28);
    o.writeInt(2);
    o.writeInt(4);
    o.writeInt(4);
    o.writeInt(1);
    o.writeDouble(1);
    o.writeBoolean(true);
    o.write(new byte[64]);
    Files.write(dir.resolve("forged-n0.fwr"), forge(magic, b.toByteArray(), -1));
    b.reset();
    o.writeInt(org.finwidth.ensemble.EnsembleResult.STATE_VERSION);
    o.writeUTF("relu");
    o.writeDouble(0);
    o.writeDouble(2);
    o.writeInt(1);
    o.writeInt(2);
    o.writeInt(4);
    o.writeInt(4);
    o.writeInt(1);
    o.writeDouble(1);
    o.writeBoolean(false);
    o.writeLong(1);
    o.writeUTF("conditional");
    o.writeUTF(org.finwidth.ensemble.EnsembleResult.thisJvmsKernels());
    o.writeLong(3000);
    o.writeInt(1024);
    o.writeByte(1); // the statistics: with the distinct-neuron sums
    o.writeDouble(2);
    o.writeDouble(2);
    o.writeInt(1 << 24);
    o.write(new byte[64]);
    Files.write(dir.resolve("forged-ranges.fwr"), forge(magic, b.toByteArray(), -1));
    Files.write(dir.resolve("forged-length.fwr"), forge(magic, b.toByteArray(), Integer.MAX_VALUE));
  }

  /** A result file around {@code state} with a correct checksum; {@code announce} >= 0 overrides the length field. */
  private static byte[] forge(byte[] magic, byte[] state, int announce) throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream o = new java.io.DataOutputStream(b);
    o.write(magic);
    o.writeShort(ResultFile.FORMAT_VERSION);
    o.writeUTF(Version.version());
    o.writeLong(0);
    o.writeLong(3000);
    o.writeInt(announce >= 0 ? announce : state.length);
    o.write(state);
    o.flush();
    byte[] body = b.toByteArray();
    o.write(MessageDigest.getInstance("SHA-256").digest(body));
    return b.toByteArray();
  }

  private static void run(String args) {
    CliRun r = CliRun.of(split(args));
    assertEquals(0, r.code(), args + ": " + r.err());
  }

  private static String[] split(String args) {
    return args.replace("@SIM", SIM).replace("@D", dir.toString()).replace("@HOME", System.getProperty("user.home"))
        .replace("@LONG", "x".repeat(100_000)).trim().split(" +");
  }

  static Stream<Arguments> rows() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        BadInputTableTest.class.getResourceAsStream("/bad-input.tsv"), StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        assertEquals(3, f.length, "bad-input.tsv line " + n + " needs exit<TAB>arguments<TAB>message: " + line);
        rows.add(Arguments.of(f[1], Integer.parseInt(f[0]), f[2]));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void isRefusedWithItsLineAndLeavesNoFile(String args, int exit, String message) throws Exception {
    Map<String, String> before = listing();
    CliRun r = CliRun.of(split(args));
    String expected = message.replace("@D", dir.toString()).replace("@HOME", System.getProperty("user.home"))
        .replace("@OK", kernels(false)).replace("@K", kernels(true))
        .replace("@HEAP", RunEstimate.bytesText(Runtime.getRuntime().maxMemory()));
    assertEquals(expected + "\n", r.err(), args);
    assertEquals(exit, r.code(), args);
    assertEquals("", r.out(), args);
    assertEquals(before, listing(), args + ": the files changed");
    for (String device : List.of("/dev/null", "/dev/full")) {
      assertEquals("a character device", org.finwidth.sim.state.OutputFiles.typeOf(Path.of(device)), args + ": " + device);
    }
  }

  @Test
  void theTableHasAtLeastFortyRows() throws IOException {
    assertTrue(rows().count() >= 40, "rows: " + rows().count());
  }

  /**
   * Every entry under the parent of the directory (the directory, the user's file beside it)
   * with its type, mode and, for a regular file, the SHA-256 of its content (a link: its target).
   */
  private static Map<String, String> listing() throws Exception {
    Map<String, String> m = new TreeMap<>();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String type = org.finwidth.sim.state.OutputFiles.typeOf(p);
        Object mode = Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String what = type + " " + Integer.toOctalString((Integer) mode);
        if (type.equals("a regular file")) {
          what += " " + HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)));
        } else if (type.equals("a symbolic link")) {
          what += " -> " + Files.readSymbolicLink(p);
        }
        m.put(root.relativize(p).toString(), what);
      }
    }
    return m;
  }
}
