package org.finwidth.sim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.sim.state.OutputFiles;
import org.finwidth.sim.state.OutputLocks;
import org.finwidth.sim.state.ResultFile;
import org.finwidth.sim.state.ShardMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth merge FILES...}: merges the result files of the shards of one run
 * ({@code simulate --shard i/N --out FILE}) into the result of the whole run, bitwise the same
 * as one {@code simulate} of all the networks, and prints it as {@code simulate} does (table,
 * {@code --json}, {@code --csv}). With one file it prints that file's result. Checks:
 * {@link ShardMerge}; file format: {@link ResultFile}.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Merge the result files of the shards of one run (simulate --shard i/N --out FILE) and print the result"
          + " as simulate does; with one file, print that file's result.",
      "Refuses files of different runs or finwidth versions, checkpoints in progress, damaged files, and"
          + " ranges that leave gaps or overlap (naming them)."
    })
public final class MergeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Result files (shards of one run, any order).")
  List<Path> files;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the merged result file to FILE, atomically.")
  Path out;

  @Option(names = "--json", description = "Write JSON instead of a table.")
  boolean json;

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write every measured number to FILE as CSV.")
  Path csv;

  @Option(names = "--partial",
      description = "Allow missing ranges (look at the shards finished so far); the result is then partial.")
  boolean partial;

  @Option(names = "--overwrite",
      description = "Replace an existing --out or --csv file even if it is not a finwidth output"
          + " (regular files only: directories and special files are never replaced).")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    OutputFiles.checkDistinct("--out", out, "--csv", csv);
    for (Path f : files) {
      for (Path o : new Path[] {out, csv}) {
        if (o != null && OutputFiles.sameFile(f, o)) {
          throw new IllegalArgumentException("the output " + o + " is also an input" + (o.equals(f) ? "" : " (" + f + ")")
              + "; write the merge to another file");
        }
      }
    }
    if (out != null) {
      OutputFiles.checkOutput("--out", out, OutputFiles.Kind.RESULT, overwrite);
    }
    if (csv != null) {
      OutputFiles.checkOutput("--csv", csv, OutputFiles.Kind.CSV, overwrite);
    }
    try (OutputLocks locks = new OutputLocks()) {
      ShardOptions.lockIfGiven(locks, "--out", out);
      ShardOptions.lockIfGiven(locks, "--csv", csv);
      return merge();
    }
  }

  private int merge() throws IOException {
    List<ShardMerge.Input> inputs = new ArrayList<>();
    for (Path f : files) {
      inputs.add(new ShardMerge.Input(f, ResultFile.read(f)));
    }
    ResultFile merged = ShardMerge.merge(inputs, partial);
    EnsembleResult r = merged.result();
    if (out != null) {
      merged.write(out);
    }
    TheoryView th = SimulateCommand.theory.apply(r.spec());
    if (csv != null) {
      SimulateOutput.writeAtomically(csv, SimulateOutput.csv(r, th, merged.finwidthVersion()));
    }
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      stdout.println(SimulateOutput.toJson(SimulateOutput.json(r, th)));
    } else {
      SimulateOutput.printTable(stdout, r, th, "merged from " + files.size() + " file" + (files.size() == 1 ? "" : "s"));
    }
    stdout.flush();
    return FinwidthCommand.EXIT_OK;
  }
}
