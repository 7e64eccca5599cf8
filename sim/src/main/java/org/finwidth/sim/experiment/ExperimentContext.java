package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.NtkOptions;
import org.finwidth.ensemble.ProgressListener;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;

/**
 * What an experiment may read and use while it runs: the size (quick or full), the thread count,
 * the base seed, progress bars, and {@link #ensemble} to run a Monte Carlo ensemble with a
 * progress bar. Every ensemble run is recorded for the manifest ({@link #runs()}).
 *
 * <p>Results are a pure function of the inputs and the seeds: the thread count never changes a
 * number (see {@link EnsembleRunner}).
 */
public final class ExperimentContext {
  /**
   * One ensemble of the experiment, as the manifest records it.
   *
   * @param label what the step computed (the progress bar's label)
   * @param spec the network ({@link NetworkSpec#canonical()})
   * @param networks ensemble size M
   * @param seed the ensemble's seed
   * @param sampler the sampler kind
   * @param diverged networks left out because their preactivations overflowed
   * @param seconds wall time of the run
   */
  public record EnsembleRun(String label, String spec, long networks, long seed, String sampler, long diverged,
      double seconds) {}

  private final boolean quick;
  private final int threads;
  private final long seed;
  private final Function<String, ProgressListener> progress;
  private final List<EnsembleRun> runs = new ArrayList<>();

  /**
   * @param quick small sizes (tests, the quick tour) instead of the full-size run
   * @param threads worker threads (≥ 1)
   * @param seed the base seed; experiments derive their ensembles' seeds from it with {@link #seed(int)}
   * @param progress makes a progress listener for a labelled step, or returns null for none
   */
  public ExperimentContext(boolean quick, int threads, long seed, Function<String, ProgressListener> progress) {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    this.quick = quick;
    this.threads = threads;
    this.seed = seed;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** A context without progress bars (tests). */
  public static ExperimentContext silent(boolean quick, int threads, long seed) {
    return new ExperimentContext(quick, threads, seed, label -> null);
  }

  /** Whether to run at the small (quick) sizes. */
  public boolean quick() {
    return quick;
  }

  /** Worker threads for ensembles. */
  public int threads() {
    return threads;
  }

  /** The base seed ({@code --seed}). */
  public long seed() {
    return seed;
  }

  /**
   * The seed of an experiment's k-th ensemble: {@code seed() + k}. Ensembles with different seeds
   * are independent (the generator is counter-based and keyed by the seed); the CSV records it.
   */
  public long seed(int k) {
    return seed + k;
  }

  /** A progress listener for a long step named {@code label}, or null when progress is off. */
  public ProgressListener progress(String label) {
    return progress.apply(label);
  }

  /** {@link #ensemble(String, NetworkSpec, long, long, SamplerKind)} with the conditional sampler. */
  public EnsembleResult ensemble(String label, NetworkSpec spec, long networks, long seed) {
    return ensemble(label, spec, networks, seed, SamplerKind.CONDITIONAL);
  }

  /**
   * Runs an ensemble of {@code networks} networks of {@code spec} with the production sampler of
   * the given kind on {@link #threads()} threads, with a progress bar labelled {@code label}.
   *
   * @throws IllegalStateException if the run was interrupted before it finished
   */
  public EnsembleResult ensemble(String label, NetworkSpec spec, long networks, long seed, SamplerKind kind) {
    return run(label, spec, networks, seed, kind, null);
  }

  /**
   * Runs an ensemble that also measures the NTK of every network ({@link EnsembleRunner#ntk}): the
   * weights sampler (the NTK's backward pass needs the weights), otherwise as
   * {@link #ensemble(String, NetworkSpec, long, long, SamplerKind)}.
   *
   * @throws IllegalStateException if the run was interrupted before it finished
   */
  public EnsembleResult ntkEnsemble(String label, NetworkSpec spec, long networks, long seed, NtkOptions options) {
    return run(label, spec, networks, seed, SamplerKind.WEIGHTS, Objects.requireNonNull(options, "options"));
  }

  private EnsembleResult run(String label, NetworkSpec spec, long networks, long seed, SamplerKind kind,
      NtkOptions ntk) {
    if (networks < 1) {
      throw new IllegalArgumentException("networks must be >= 1, got " + networks);
    }
    SamplerFactory factory = SamplerFactory.of(kind);
    long start = System.nanoTime();
    EnsembleRunner runner = new EnsembleRunner(spec, factory, seed, networks).threads(threads)
        .progress(progress(label), 0.2);
    if (ntk != null) {
      runner.ntk(ntk);
    }
    EnsembleResult r = runner.run();
    double seconds = (System.nanoTime() - start) * 1e-9;
    if (Thread.currentThread().isInterrupted() || !r.isComplete()) {
      throw new IllegalStateException(label + ": interrupted after " + r.networksDone() + " of " + networks + " networks");
    }
    synchronized (runs) {
      runs.add(new EnsembleRun(label, spec.canonical(), networks, seed, r.sampler(), r.diverged(), seconds));
    }
    return r;
  }

  /** The ensembles run so far, in order. */
  public List<EnsembleRun> runs() {
    synchronized (runs) {
      return List.copyOf(runs);
    }
  }
}
