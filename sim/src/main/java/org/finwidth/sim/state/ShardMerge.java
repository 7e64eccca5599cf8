package org.finwidth.sim.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.finwidth.ensemble.EnsembleResult;

/**
 * Merges result files of one run: checks that every file is complete (not a checkpoint in
 * progress), that all were written by one finwidth version, that they belong to one ensemble
 * (spec, seed, sampler, M, block size, reference) and that their ranges tile {@code 0:M} with
 * no gaps or overlaps, then merges them in range order. Since the sums are exact, the merged
 * result is bitwise the result of one run of the whole ensemble.
 */
public final class ShardMerge {
  private ShardMerge() {}

  /** A file and what it holds. */
  public record Input(Path file, ResultFile content) {}

  /**
   * The merge of {@code inputs}.
   *
   * @param allowGaps whether missing ranges are allowed (a partial merge, for looking at the
   *     shards finished so far); overlaps never are
   * @throws IllegalArgumentException one line naming the files and the problem
   */
  public static ResultFile merge(List<Input> inputs, boolean allowGaps) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no result files to merge");
    }
    Input first = inputs.get(0);
    for (Input in : inputs) {
      ResultFile f = in.content();
      if (!f.isComplete()) {
        throw new IllegalArgumentException(in.file() + ": a checkpoint holding " + f.result().networksDone() + " of the "
            + f.range().size() + " networks of its range " + f.range() + "; finish it first (simulate ... --resume)");
      }
      if (!f.finwidthVersion().equals(first.content().finwidthVersion())) {
        throw new IllegalArgumentException(in.file() + " was written by finwidth " + f.finwidthVersion() + " but "
            + first.file() + " by finwidth " + first.content().finwidthVersion() + "; merge results of one version only");
      }
      try {
        f.result().checkSameEnsemble(first.content().result());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(in.file() + " and " + first.file() + " are not shards of one run: " + e.getMessage(), e);
      }
    }
    List<Input> sorted = new ArrayList<>(inputs);
    sorted.sort(Comparator.comparingLong((Input i) -> i.content().range().from())
        .thenComparingLong(i -> i.content().range().to()));
    long networks = first.content().result().networks();
    checkTiling(sorted, networks, allowGaps);
    EnsembleResult merged = sorted.get(0).content().result();
    for (int i = 1; i < sorted.size(); i++) {
      merged = merged.merge(sorted.get(i).content().result());
    }
    long from = sorted.get(0).content().range().from();
    long to = sorted.stream().mapToLong(i -> i.content().range().to()).max().orElseThrow();
    return new ResultFile(first.content().finwidthVersion(), new ShardRange(from, to), merged);
  }

  /** Names every gap and overlap of the sorted ranges within {@code 0:M}. */
  private static void checkTiling(List<Input> sorted, long networks, boolean allowGaps) {
    List<String> missing = new ArrayList<>();
    List<String> overlaps = new ArrayList<>();
    long covered = 0; // networks 0..covered-1 are covered by the ranges seen so far
    Input reaching = null; // the file whose range reaches `covered`
    for (Input in : sorted) {
      ShardRange r = in.content().range();
      if (r.from() > covered) {
        missing.add(covered + ":" + r.from());
      } else if (r.from() < covered) {
        overlaps.add(r.from() + ":" + Math.min(covered, r.to()) + " (" + reaching.file() + " and " + in.file() + ")");
      }
      if (r.to() > covered) {
        covered = r.to();
        reaching = in;
      }
    }
    if (covered < networks) {
      missing.add(covered + ":" + networks);
    }
    if (!overlaps.isEmpty() || (!allowGaps && !missing.isEmpty())) {
      StringBuilder sb = new StringBuilder("the files do not tile the run's networks 0:" + networks + ":");
      if (!missing.isEmpty() && !allowGaps) {
        sb.append(" missing ").append(String.join(", ", missing)).append(';');
      }
      if (!overlaps.isEmpty()) {
        sb.append(" overlapping ").append(String.join(", ", overlaps)).append(';');
      }
      sb.setLength(sb.length() - 1);
      throw new IllegalArgumentException(sb.toString());
    }
  }
}
