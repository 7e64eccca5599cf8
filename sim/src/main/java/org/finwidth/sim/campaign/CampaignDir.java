package org.finwidth.sim.campaign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.finwidth.sim.state.AtomicFile;

/**
 * A campaign directory and its layout (docs/campaigns.md):
 * <pre>
 *   .finwidth-campaign      the ownership marker: finwidth writes here only if it is present
 *   plan.toml               the plan as last given to run or submit (a copy, for the record)
 *   runs.json               the resolved runs (keys, seeds, parameters, simulate arguments)
 *   runs/KEY.fwr            a run's result file; KEY.ckpt its checkpoint; KEY.json its time and machine
 *   shards/KEY/I-of-N.fwr   the shards of a run computed by SLURM array tasks (.ckpt, .json likewise)
 *   slurm/                  job scripts, task lists and job ids of submit
 *   logs/                   the array tasks' and the collect job's logs
 *   campaign.csv, manifest.json, report.html, FIGURE.png/.svg   what collect writes
 * </pre>
 * The ownership check is here and only here ({@link #claim}): a directory is this campaign's to
 * write if it does not exist yet (it is created with the marker), is empty, or holds the marker.
 */
public final class CampaignDir {
  /** The name of the ownership marker file. */
  public static final String MARKER = ".finwidth-campaign";

  private final Path root;

  private CampaignDir(Path root) {
    this.root = root;
  }

  /**
   * Checks, without creating anything, that {@code dir} can become or is a campaign directory.
   *
   * @throws IllegalArgumentException "--dir DIR: why" for a file, a directory finwidth does not own
   */
  public static void check(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(abs)) {
      throw new IllegalArgumentException("--dir " + dir + ": exists and is not a directory");
    }
    if (Files.isDirectory(abs) && !Files.exists(abs.resolve(MARKER)) && !isEmpty(abs)) {
      throw new IllegalArgumentException("--dir " + dir + ": exists and is not a campaign directory (no " + MARKER
          + " in it); give a new or empty directory");
    }
    Path parent = abs.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("--dir " + dir + ": not the root directory");
    }
  }

  /**
   * The campaign directory {@code dir}, created with its marker if needed.
   *
   * @throws IllegalArgumentException as {@link #check}
   * @throws IOException if it cannot be created
   */
  public static CampaignDir claim(Path dir) throws IOException {
    check(dir);
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.exists(abs.resolve(MARKER))) {
      Files.createDirectories(abs);
      AtomicFile.write(abs.resolve(MARKER), ("finwidth campaign directory: finwidth writes and replaces files here;"
          + " see docs/campaigns.md\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.createDirectories(abs.resolve("runs"));
    return new CampaignDir(abs);
  }

  /**
   * An existing campaign directory (status, collect).
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static CampaignDir existing(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new IllegalArgumentException(dir + ": no such campaign directory");
    }
    if (!Files.exists(abs.resolve(MARKER)) || !Files.exists(abs.resolve("runs.json"))) {
      throw new IllegalArgumentException(dir + ": not a campaign directory (no " + MARKER + " and runs.json in it;"
          + " campaign run or campaign submit makes one)");
    }
    return new CampaignDir(abs);
  }

  /**
   * Whether a directory is empty, but for the temporary file of a marker whose writer was killed
   * before it renamed it into place (a campaign killed while it claimed the directory).
   */
  private static boolean isEmpty(Path dir) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!p.getFileName().toString().matches(Pattern.quote(MARKER) + "\\.\\d+\\.tmp")) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The directory. */
  public Path root() {
    return root;
  }

  /** {@code plan.toml}. */
  public Path planCopy() {
    return root.resolve("plan.toml");
  }

  /** {@code runs.json}. */
  public Path runsJson() {
    return root.resolve("runs.json");
  }

  /** {@code runs/KEY.fwr}. */
  public Path result(String key) {
    return root.resolve("runs").resolve(key + ".fwr");
  }

  /** {@code runs/KEY.ckpt}. */
  public Path checkpoint(String key) {
    return root.resolve("runs").resolve(key + ".ckpt");
  }

  /** {@code runs/KEY.json}: the time and machine of the local run that finished it. */
  public Path runInfo(String key) {
    return root.resolve("runs").resolve(key + ".json");
  }

  /** {@code shards/KEY/}. */
  public Path shardDir(String key) {
    return root.resolve("shards").resolve(key);
  }

  /** {@code shards/KEY/I-of-N.fwr}. */
  public Path shard(String key, int i, int n) {
    return shardDir(key).resolve(i + "-of-" + n + ".fwr");
  }

  /** {@code shards/KEY/I-of-N.ckpt}. */
  public Path shardCheckpoint(String key, int i, int n) {
    return shardDir(key).resolve(i + "-of-" + n + ".ckpt");
  }

  /** {@code shards/KEY/I-of-N.json}: the time and machine of the task that computed the shard. */
  public Path shardInfo(String key, int i, int n) {
    return shardDir(key).resolve(i + "-of-" + n + ".json");
  }

  /** {@code slurm/}. */
  public Path slurm() {
    return root.resolve("slurm");
  }

  /** {@code logs/}. */
  public Path logs() {
    return root.resolve("logs");
  }

  /** {@code logs/task-T.log}: the log of array task T (every attempt appends). */
  public Path taskLog(int task) {
    return logs().resolve("task-" + task + ".log");
  }
}
