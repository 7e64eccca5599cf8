package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared network flags: valid combinations give the spec, bad ones one line and exit 2. */
class NetworkOptionsTest {
  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Mixin NetworkOptions network;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(network.toSpec().canonical());
      return 0;
    }
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = FinwidthCommand.commandLine();
    cl.addSubcommand(new Probe());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "probe";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new Result(code, out.toString().strip(), err.toString());
  }

  @Test
  void equalWidthsAndGram() {
    Result r = run("--activation", "tanh", "--cb", "0.2", "--cw", "1.5", "--depth", "3", "--width", "16",
        "--gram", "1,0.6;0.6,1.5");
    assertEquals(0, r.code(), r.err());
    NetworkSpec want = NetworkSpec.ofGram(org.finwidth.activation.Activation.parse("tanh"), 0.2, 1.5, 2,
        NetworkSpec.equalWidths(3, 16), new double[][] {{1, 0.6}, {0.6, 1.5}});
    assertEquals(want.canonical(), r.out());
  }

  @Test
  void widthListInputDimAndExplicitInputs() {
    Result r = run("-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "--widths", "8, 4", "--input-dim", "5",
        "--gram", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("n0=5;widths=8,4;gram=2.0"), r.out());
    Result x = run("-a", "relu", "--cb", "0", "--cw", "2", "-L", "1", "--width", "3", "--inputs", "1,2,3;0,1,0");
    assertEquals(0, x.code(), x.err());
    assertTrue(x.out().contains("n0=3") && x.out().contains("inputs=1.0,2.0,3.0|0.0,1.0,0.0"), x.out());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--depth 0 --width 4 --gram 1|--depth must be >= 1, got 0",
      "--depth 2 --widths 4,4,4 --gram 1|--widths has 3 entries but --depth is 2",
      "--depth 2 --widths 4,2.5 --gram 1|--widths entry 2 must be an integer >= 1, got 2.5",
      "--depth 2 --width 4 --widths 4,4 --gram 1|give exactly one of --width N or --widths n1,...,nL",
      "--depth 2 --gram 1|give exactly one of --width N or --widths n1,...,nL",
      "--depth 2 --width 0 --gram 1|--width must be >= 1, got 0",
      "--depth 2 --width 4|give exactly one of --gram MATRIX, --inputs VECTORS, --gram-file FILE or --inputs-file FILE",
      "--depth 2 --width 4 --gram 1,2;2,1|the Gram matrix is not positive semi-definite",
      "--depth 2 --width 4 --gram 1,0.5;0.4,1|the Gram matrix is not symmetric",
      "--depth 2 --width 4 --gram 1,0.5|--gram must be a square matrix",
      "--depth 2 --width 4 --gram abc|--gram: 'abc' is not a number",
      "--depth 2 --width 4 --gram 1e999|--gram: entries must be finite",
      "--depth 2 --width 4 --gram 1,0;0,1 --input-dim 1|inputs need input-dim >= d",
      "--depth 2 --width 4 --inputs 1,2;3 |all inputs must have the same dimension",
      "--depth 2 --width 4 --inputs 1,2 --input-dim 3|--input-dim 3 disagrees with the 2 components of --inputs",
  })
  void badNetworksAreOneLineAndExitTwo(String args, String message) {
    String[] base = {"--activation", "relu", "--cb", "0", "--cw", "2"};
    String[] rest = args.trim().split(" ");
    String[] all = new String[base.length + rest.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(rest, 0, all, base.length, rest.length);
    Result r = run(all);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void badScalarsAreOneLineAndExitTwo() {
    for (String[] bad : new String[][] {
        {"--activation", "relu", "--cb", "NaN", "--cw", "2", "--depth", "1", "--width", "2", "--gram", "1"},
        {"--activation", "relu", "--cb", "0", "--cw", "0", "--depth", "1", "--width", "2", "--gram", "1"},
        {"--activation", "nope", "--cb", "0", "--cw", "1", "--depth", "1", "--width", "2", "--gram", "1"},
        {"--activation", "relu", "--cb", "x", "--cw", "1", "--depth", "1", "--width", "2", "--gram", "1"},
        {"--cb", "0", "--cw", "1", "--depth", "1", "--width", "2", "--gram", "1"}}) {
      Result r = run(bad);
      assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }
}
