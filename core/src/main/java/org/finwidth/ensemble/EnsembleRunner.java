package org.finwidth.ensemble;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.finwidth.network.FloatScale;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.NtkSampler;
import org.finwidth.network.Sampler;
import org.finwidth.stats.BlockSums;
import org.finwidth.stats.MomentSums;
import org.finwidth.stats.NtkBlockSums;
import org.finwidth.stats.NtkLayout;
import org.finwidth.stats.NtkObservables;
import org.finwidth.stats.NtkSums;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.stats.ObservableSink;

/**
 * Runs an ensemble of M networks (docs/design.md "The data flow of one
 * simulation"): fixed blocks of {@value #BLOCK_SIZE} networks, handed out to T worker threads
 * (one {@link Sampler} each); within a block one thread accumulates the statistics in double
 * ({@link BlockSums}), and each finished block is added exactly into the run's one
 * {@link MomentSums} (layer by layer, under a lock per layer). Since every addition across blocks
 * is exact, the result is bitwise the same for any thread count and any scheduling.
 *
 * <p>Diverged networks (the sampler returns the first non-finite layer) are counted by that layer
 * and never enter the statistics. Cancellation ({@link #cancellation}, or interrupting the calling
 * thread) stops at the next network: the blocks finished so far are returned as a partial result
 * (a half-done block is dropped), which {@link #resumeFrom} continues later. Memory is independent
 * of M: per thread one sampler, one sink and a block's sums in double; per run the exact sums
 * twice (the result continued and the one being built).
 *
 * <p>A runner is configured with the fluent setters and then {@link #run()} once or more (each
 * run is independent). Not thread-safe itself.
 */
public final class EnsembleRunner {
  /** Networks per block: a constant of the result format (results of other block sizes never merge). */
  public static final int BLOCK_SIZE = 1024;
  /**
   * Networks 0..15 set the reference when none is given ({@link #pilotReference}): enough to put
   * it within about a quarter of a standard deviation of the mean, which is all the shift needs.
   */
  public static final int PILOT_NETWORKS = 16;
  /** Networks a worker finishes between two updates of the shared progress count. */
  private static final int PROGRESS_BATCH = 64;

  private final NetworkSpec spec;
  private final SamplerFactory sampler;
  private final long seed;
  private final long networks;
  private int threads = 1;
  private volatile int threadsUsed;
  private int blockSize = BLOCK_SIZE;
  private ProgressListener listener;
  private double progressInterval = 0.2;
  private BooleanSupplier cancellation = () -> false;
  private BlockSet blocks;
  private EnsembleResult resume;
  private double[][] reference;
  private ObservableLayout layout;
  private Consumer<EnsembleResult> checkpoints;
  private double checkpointSeconds;
  private NtkOptions ntk;

  /**
   * A runner for networks {@code 0..networks−1} of the ensemble (spec, seed, sampler).
   *
   * @throws IllegalArgumentException if {@code networks < 1} or the spec has more inputs than
   *     the statistics support ({@link ObservableLayout#MAX_INPUTS})
   */
  public EnsembleRunner(NetworkSpec spec, SamplerFactory sampler, long seed, long networks) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    if (networks < 1) {
      throw new IllegalArgumentException("the number of networks must be >= 1, got networks=" + networks);
    }
    this.layout = ObservableLayout.forInputs(spec.inputCount()); // checks d
    this.seed = seed;
    this.networks = networks;
  }

  /**
   * Worker threads (default 1).
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public EnsembleRunner threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("the number of threads must be >= 1, got threads=" + threads);
    }
    this.threads = threads;
    return this;
  }

  /**
   * Whether to keep the distinct-neuron statistics (V from distinct neurons, the kurtosis ratios;
   * O(n d⁴/24) per layer) besides the metric ones (default:
   * {@link ObservableLayout#distinctNeuronsByDefault}). A part of the ensemble's identity.
   */
  public EnsembleRunner distinctNeurons(boolean on) {
    this.layout = ObservableLayout.of(spec.inputCount(), on);
    return this;
  }

  /** Block size (default {@value #BLOCK_SIZE}; other values are for tests of the block logic). */
  public EnsembleRunner blockSize(int blockSize) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("the block size must be >= 1, got " + blockSize);
    }
    this.blockSize = blockSize;
    return this;
  }

  /** Progress reports at most every {@code intervalSeconds} (plus a final one), or none if null. */
  public EnsembleRunner progress(ProgressListener listener, double intervalSeconds) {
    this.listener = listener;
    this.progressInterval = intervalSeconds;
    return this;
  }

  /** Polled before every network: true stops the run (the finished blocks are returned). */
  public EnsembleRunner cancellation(BooleanSupplier cancelled) {
    this.cancellation = Objects.requireNonNull(cancelled, "cancelled");
    return this;
  }

  /** Only these blocks (a shard); default all blocks {@code [0, ⌈M/B⌉)}. */
  public EnsembleRunner blocks(BlockSet blocks) {
    this.blocks = blocks;
    return this;
  }

  /**
   * Continues a partial result of the same ensemble: only the blocks it does not hold are run,
   * and the result is merged with it (its reference is reused).
   */
  public EnsembleRunner resumeFrom(EnsembleResult partial) {
    this.resume = partial;
    return this;
  }

  /**
   * Hands the result so far to {@code sink} about every {@code everySeconds} of running, and once
   * at the end (complete, or partial when cancelled), e.g. to write a checkpoint. The run proceeds
   * in rounds: when a round's time is up the workers finish the block they are in and take no new
   * one, the sink gets the result of every finished block, and the next round resumes from it. No
   * work is lost between rounds and the final result is the same as without checkpoints.
   *
   * @throws IllegalArgumentException if {@code everySeconds} is not a positive number
   */
  public EnsembleRunner checkpoints(Consumer<EnsembleResult> sink, double everySeconds) {
    if (!(everySeconds > 0) || Double.isInfinite(everySeconds)) {
      throw new IllegalArgumentException("the checkpoint interval must be a positive number of seconds, got " + everySeconds);
    }
    this.checkpoints = Objects.requireNonNull(sink, "sink");
    this.checkpointSeconds = everySeconds;
    return this;
  }

  /**
   * Also measures the neural tangent kernel of every network (docs/theory.md §11.8): the workers
   * run {@link NtkSampler}s (the weights sampler keeping its weights; the preactivation statistics
   * are the same as without the NTK) and the result gets an NTK section ({@link NtkResult}).
   *
   * @throws IllegalArgumentException if the sampler is not the weights sampler, the network has
   *     more inputs than the NTK statistics support, the rates are for another depth, or the
   *     network's kernels leave [2<sup>−100</sup>, 2<sup>100</sup>] (the NTK is measured in true units only)
   */
  public EnsembleRunner ntk(NtkOptions options) {
    Objects.requireNonNull(options, "options");
    if (!sampler.kind().equals("weights")) {
      throw new IllegalArgumentException("the NTK needs the weights sampler (--sampler weights), got " + sampler.kind());
    }
    NtkLayout.forInputs(spec.inputCount());
    if (!EnsembleResult.inTrueUnits(spec)) {
      throw new IllegalArgumentException(EnsembleResult.NOT_TRUE_UNITS);
    }
    if (options.rates().depth() != spec.depth()) {
      throw new IllegalArgumentException("the learning rates are given for " + options.rates().depth()
          + " layers, the network has " + spec.depth());
    }
    this.ntk = options;
    return this;
  }

  /**
   * The default NTK references of an ensemble: for layer 1 the exact values (H^(1) = λ_b + λ_W·Gram,
   * deterministic, and K^(1)), for deeper layers the means of Ĥ_{ii;ab} over the covered neurons and
   * of z_{i;a}z_{i;b} over all neurons of the non-diverged networks among
   * 0..{@value #PILOT_NETWORKS}−1 (zero where none). A pure function of (spec, options, seed).
   *
   * @return {h, c}: each L rows of P = d(d+1)/2 entries in pair order
   */
  public static double[][][] pilotNtkReference(NetworkSpec spec, NtkOptions options, long seed) {
    NtkLayout layout = NtkLayout.forInputs(spec.inputCount());
    int depth = spec.depth();
    int p = layout.pairIndex().pairs();
    double[][] zero = new double[depth][p];
    NtkObservables obs = new NtkObservables(spec, options.neurons(), zero, zero);
    NtkSampler s = options.sampler(spec);
    double[][] h = new double[depth][p];
    double[][] c = new double[depth][p];
    int count = 0;
    for (long k = 0; k < PILOT_NETWORKS; k++) {
      obs.reset();
      if (s.sample(seed, k, (l, z, n, m) -> { }, obs) == 0) {
        count++;
        for (int l = 1; l <= depth; l++) {
          double[] x = obs.values(l);
          for (int q = 0; q < p; q++) {
            h[l - 1][q] += x[layout.hd(q)];
            c[l - 1][q] += x[layout.u(q)];
          }
        }
      }
    }
    for (int l = 0; l < depth; l++) {
      for (int q = 0; q < p; q++) {
        double mh = count == 0 ? 0 : h[l][q] / count;
        double mc = count == 0 ? 0 : c[l][q] / count;
        h[l][q] = Double.isFinite(mh) ? mh : 0;
        c[l][q] = Double.isFinite(mc) ? mc : 0;
      }
    }
    double[][] gram = spec.gram();
    double[][] k1 = spec.kernel1();
    for (int q = 0; q < p; q++) {
      int a = layout.pairIndex().first(q);
      int b = layout.pairIndex().second(q);
      h[0][q] = options.rates().bias(1) + options.rates().weight(1) * gram[a][b];
      c[0][q] = k1[a][b];
    }
    return new double[][][] {h, c};
  }

  /**
   * The fixed reference {@code c^(ℓ)_p} that the statistics are shifted by (e.g. the
   * infinite-width kernel); default {@link #pilotReference}. It is part of the ensemble's identity.
   */
  public EnsembleRunner reference(double[][] reference) {
    this.reference = reference == null ? null : reference.clone();
    return this;
  }

  /**
   * The default reference: for layer 1 the exact kernel {@code K^(1) = C_b + C_W Gram} (Ĝ^(1) is
   * deterministic, so its deviations are then exactly 0); for deeper layers the mean of the metric
   * {@code Ĝ_p} over the non-diverged networks among
   * {@code 0..}{@value #PILOT_NETWORKS}{@code −1} (zero where none or not finite). A pure
   * function of (spec, seed, sampler), so every shard computes the same, with or without the
   * distinct-neuron statistics.
   */
  public static double[][] pilotReference(NetworkSpec spec, SamplerFactory factory, long seed) {
    ObservableLayout layout = ObservableLayout.of(spec.inputCount(), false);
    int depth = spec.depth();
    double[][] zero = new double[depth][layout.pairs()];
    ObservableSink sink = new ObservableSink(spec, zero, layout);
    Sampler s = factory.create(spec);
    double[][] sum = new double[depth][layout.pairs()];
    int count = 0;
    for (long k = 0; k < PILOT_NETWORKS; k++) {
      sink.reset();
      if (s.sample(seed, k, sink) == 0) {
        count++;
        for (int l = 1; l <= depth; l++) {
          double[] g = sink.g(l);
          for (int p = 0; p < layout.pairs(); p++) {
            sum[l - 1][p] += g[p];
          }
        }
      }
    }
    for (int l = 0; l < depth; l++) {
      for (int p = 0; p < layout.pairs(); p++) {
        double m = count == 0 ? 0 : sum[l][p] / count;
        sum[l][p] = Double.isFinite(m) ? m : 0;
      }
    }
    double[][] k1 = spec.kernel1();
    int unit1 = FloatScale.exponents(spec)[1];
    for (int p = 0; p < layout.pairs(); p++) {
      // in the units of layer 1 (FloatScale: K^(1) itself for every ordinary network)
      sum[0][p] = Math.scalb(k1[layout.index().first(p)][layout.index().second(p)], -2 * unit1);
    }
    return sum;
  }

  /**
   * The worker threads the last {@link #run()} used: at most {@link #threads(int)}, and at most one
   * per block it had to do (1 when there was nothing to do; 0 before the first run).
   */
  public int threadsUsed() {
    return threadsUsed;
  }

  /**
   * Runs the blocks not yet done and returns the result (complete, or partial if cancelled).
   *
   * @throws IllegalArgumentException if the blocks or the resumed result do not fit this ensemble
   * @throws IllegalStateException if a sampler broke its contract
   * @throws RuntimeException what a sampler threw
   */
  public EnsembleResult run() {
    EnsembleResult base;
    if (resume != null) {
      double[][] ref = new double[spec.depth()][];
      for (int l = 1; l <= spec.depth(); l++) {
        ref[l - 1] = resume.reference(l);
      }
      EnsembleResult check = EnsembleResult.empty(spec, seed, sampler.kind(), networks, blockSize, ref, layout);
      if (ntk != null) {
        NtkResult part = resume.ntk().orElseThrow(() -> new IllegalArgumentException(
            "cannot resume a result without the NTK as a run that measures it"));
        if (!part.options().equals(ntk)) {
          throw new IllegalArgumentException("cannot resume a result with other NTK options: " + part.options()
              + " vs " + ntk);
        }
        double[][] h = new double[spec.depth()][];
        double[][] c = new double[spec.depth()][];
        for (int l = 1; l <= spec.depth(); l++) {
          h[l - 1] = part.hReference(l);
          c[l - 1] = part.cReference(l);
        }
        check = check.withNtk(ntk, h, c);
      }
      check.checkSameEnsemble(resume);
      base = resume;
    } else {
      double[][] ref = reference != null ? reference : pilotReference(spec, sampler, seed);
      base = EnsembleResult.empty(spec, seed, sampler.kind(), networks, blockSize, ref, layout);
      if (ntk != null) {
        double[][][] hc = pilotNtkReference(spec, ntk, seed);
        base = base.withNtk(ntk, hc[0], hc[1]);
      }
    }
    BlockSet target = blocks == null ? base.allBlocks() : blocks;
    if (!base.allBlocks().containsAll(target)) {
      throw new IllegalArgumentException("blocks " + target + " are not all in the ensemble's blocks " + base.allBlocks());
    }
    long start = System.nanoTime();
    long total = countNetworks(target);
    long origin = total - countNetworks(target.minus(base.blocks()));
    while (true) {
      long deadline = checkpoints == null ? Long.MAX_VALUE : System.nanoTime() + (long) (checkpointSeconds * 1e9);
      BlockSet todo = target.minus(base.blocks());
      Run run = new Run(base, todo, total, total - countNetworks(todo), origin, start, deadline);
      EnsembleResult result = run.execute();
      if (checkpoints == null) {
        return result;
      }
      checkpoints.accept(result);
      if (!run.timeUp || result.blocks().containsAll(target)) {
        return result;
      }
      base = result;
    }
  }

  private long countNetworks(BlockSet set) {
    long n = 0;
    for (int i = 0; i < set.rangeCount(); i++) {
      n += Math.min(networks, set.rangeTo(i) * blockSize) - set.rangeFrom(i) * blockSize;
    }
    return n;
  }

  /** One execution of {@link #run()}: the shared state of the workers. */
  private final class Run {
    private final EnsembleResult base;
    private final BlockSet todo;
    private final long total;
    private final long doneBefore;
    private final AtomicLong nextBlock = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong divergedSoFar = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong lastReport = new AtomicLong();
    private final long start;
    private final long origin;
    private final long deadline;
    /** Whether the round ended because its time was up (set before the workers are joined). */
    private volatile boolean timeUp;
    private final double[][] ref;
    /** The exact sums of the base and of every block finished in this round. */
    private final MomentSums shared;
    /** The exact NTK sums of the base and of every finished block (null without the NTK); its own lock. */
    private final NtkSums ntkShared;
    /** One lock per layer of {@link #shared} (and one for its count): workers add different layers at once. */
    private final Object[] locks;

    /**
     * A round over the blocks {@code todo} until {@code deadline} (nanoTime); {@code doneBefore}
     * of the run's {@code total} networks are done, {@code origin} of them before the run started
     * at {@code start} (progress rates count this run's networks only).
     */
    Run(EnsembleResult base, BlockSet todo, long total, long doneBefore, long origin, long start, long deadline) {
      this.base = base;
      this.todo = todo;
      this.total = total;
      this.doneBefore = doneBefore;
      this.origin = origin;
      this.start = start;
      this.deadline = deadline;
      this.ref = new double[spec.depth()][];
      for (int l = 1; l <= spec.depth(); l++) {
        ref[l - 1] = base.reference(l);
      }
      lastReport.set(start);
      this.shared = base.sums().copy();
      this.ntkShared = base.ntk().map(n -> n.sums().copy()).orElse(null);
      this.locks = new Object[spec.depth() + 1];
      for (int i = 0; i < locks.length; i++) {
        locks[i] = new Object();
      }
    }

    EnsembleResult execute() {
      long blockCount = todo.size();
      int t = (int) Math.max(1, Math.min(threads, blockCount));
      threadsUsed = t;
      List<Worker> workers = new ArrayList<>();
      for (int i = 0; i < t; i++) {
        workers.add(new Worker(i));
      }
      if (blockCount > 0) {
        if (t == 1) {
          workers.get(0).run(); // no thread needed
        } else {
          List<Thread> running = new ArrayList<>();
          for (int i = 0; i < t; i++) {
            Thread th = new Thread(workers.get(i), "finwidth-ensemble-" + i);
            th.setDaemon(true);
            running.add(th);
            th.start();
          }
          boolean interrupted = false;
          for (Thread th : running) {
            while (true) {
              try {
                th.join();
                break;
              } catch (InterruptedException e) {
                interrupted = true;
                stop.set(true); // cancel: workers stop at their next network
              }
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
      Throwable f = failure.get();
      if (f instanceof RuntimeException re) {
        throw re;
      }
      if (f instanceof Error err) {
        throw err;
      }
      if (f != null) {
        throw new IllegalStateException(f);
      }
      // Blocks are handed out in ordinal order, so the finished ones are the ordinals handed out
      // minus those a worker abandoned when it was cancelled (at most one each).
      long handed = Math.min(nextBlock.get(), blockCount);
      BlockSet finished = todo.slice(0, handed);
      long[] divergedByLayer = new long[spec.depth()];
      long first = -1;
      for (Worker w : workers) {
        if (w.abandoned >= 0) {
          long b = todo.get(w.abandoned);
          finished = finished.minus(BlockSet.range(b, b + 1));
        }
        for (int l = 0; l < divergedByLayer.length; l++) {
          divergedByLayer[l] += w.divergedByLayer[l];
        }
        if (w.firstDiverged >= 0 && (first < 0 || w.firstDiverged < first)) {
          first = w.firstDiverged;
        }
      }
      EnsembleResult result = base.withBlocks(finished, shared, ntkShared, divergedByLayer, first);
      report(!timeUp || finished.equals(todo));
      return result;
    }

    boolean cancelled() {
      if (stop.get()) {
        return true;
      }
      if (cancellation.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        stop.set(true);
        return true;
      }
      return false;
    }

    void maybeReport() {
      if (listener == null) {
        return;
      }
      long now = System.nanoTime();
      long last = lastReport.get();
      if (now - last >= (long) (progressInterval * 1e9) && lastReport.compareAndSet(last, now)) {
        report(false);
      }
    }

    void report(boolean finished) {
      if (listener == null) {
        return;
      }
      synchronized (this) { // serialised, and built inside the lock so that reports are monotone
        double elapsed = (System.nanoTime() - start) * 1e-9;
        long all = doneBefore + done.get();
        double rate = elapsed > 0 ? (all - origin) / elapsed : 0;
        double eta = finished ? 0 : rate > 0 ? (total - all) / rate : Double.NaN;
        listener.onProgress(new Progress(all, total, base.diverged() + divergedSoFar.get(), elapsed, rate, eta, finished));
      }
    }

    /** One thread's share: its sampler, sink and block sums. */
    private final class Worker implements Runnable {
      final int id;
      final int depth = spec.depth();
      final long[] divergedByLayer = new long[depth];
      long firstDiverged = -1;
      /** The ordinal of the block this worker gave up when cancelled, or −1. */
      long abandoned = -1;

      Worker(int id) {
        this.id = id;
      }

      @Override
      public void run() {
        try {
          work();
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          stop.set(true);
        }
      }

      private void work() {
        NtkSampler ntkSampler = ntk == null ? null : ntk.sampler(spec);
        Sampler s = ntkSampler != null ? ntkSampler : sampler.create(spec);
        ObservableSink sink = new ObservableSink(spec, ref, layout);
        BlockSums block = new BlockSums(layout, depth);
        NtkObservables ntkSink = null;
        NtkBlockSums ntkBlock = null;
        if (ntk != null) {
          NtkResult part = base.ntk().orElseThrow();
          double[][] h = new double[depth][];
          double[][] c = new double[depth][];
          for (int l = 1; l <= depth; l++) {
            h[l - 1] = part.hReference(l);
            c[l - 1] = part.cReference(l);
          }
          ntkSink = new NtkObservables(spec, ntk.neurons(), h, c);
          ntkBlock = new NtkBlockSums(ntkSink.layout(), depth);
        }
        long[] blockDiverged = new long[depth];
        int pending = 0;
        long blockCount = todo.size();
        while (!cancelled()) {
          long ordinal = nextBlock.getAndIncrement();
          if (ordinal >= blockCount) {
            return;
          }
          long b = todo.get(ordinal);
          long from = b * blockSize;
          long to = Math.min(networks, from + blockSize);
          block.clear();
          if (ntkBlock != null) {
            ntkBlock.clear();
          }
          java.util.Arrays.fill(blockDiverged, 0);
          long blockFirst = -1;
          boolean complete = true;
          for (long k = from; k < to; k++) {
            if (cancelled()) {
              complete = false;
              break;
            }
            sink.reset();
            int status;
            if (ntkSampler != null) {
              ntkSink.reset();
              status = ntkSampler.sample(seed, k, sink, ntkSink);
            } else {
              status = s.sample(seed, k, sink);
            }
            if (status == 0) {
              if (sink.layersSeen() != depth) {
                throw new IllegalStateException("sampler " + sampler.kind() + " returned 0 for network " + k
                    + " after " + sink.layersSeen() + " of " + depth + " layers");
              }
              block.add(sink);
              if (ntkBlock != null) {
                if (ntkSink.layersSeen() != depth) {
                  throw new IllegalStateException("the NTK sampler returned 0 for network " + k + " after "
                      + ntkSink.layersSeen() + " of " + depth + " NTK layers");
                }
                ntkBlock.add(ntkSink);
              }
            } else {
              if (status < 1 || status > depth) {
                throw new IllegalStateException("sampler " + sampler.kind() + " returned " + status
                    + " for network " + k + " (expected 0 or a layer in 1.." + depth + ")");
              }
              blockDiverged[status - 1]++;
              divergedSoFar.incrementAndGet();
              if (blockFirst < 0) {
                blockFirst = k;
              }
            }
            // The shared progress count is updated every PROGRESS_BATCH networks, not per network:
            // two workers incrementing one counter per network pass its cache line back and forth.
            if (++pending == PROGRESS_BATCH) {
              done.addAndGet(pending);
              pending = 0;
              maybeReport();
            }
          }
          done.addAndGet(pending);
          pending = 0;
          maybeReport();
          if (!complete) {
            abandoned = ordinal;
            return;
          }
          addExactly(block);
          if (ntkBlock != null) {
            synchronized (ntkShared) { // exact additions commute: the order does not change a bit
              ntkShared.add(ntkBlock);
            }
          }
          for (int l = 0; l < depth; l++) {
            divergedByLayer[l] += blockDiverged[l];
          }
          if (blockFirst >= 0 && (firstDiverged < 0 || blockFirst < firstDiverged)) {
            firstDiverged = blockFirst;
          }
          if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
            // the round ends at a block boundary (nothing half done is dropped), and only after
            // this worker finished a block (every round makes progress, however short)
            timeUp = true;
            return;
          }
        }
      }

      /**
       * Adds a finished block into the shared exact sums, a layer at a time under that layer's
       * lock, starting at a layer that depends on the worker (so that workers rarely wait for each
       * other). Exact additions commute: the order does not change a bit.
       */
      private void addExactly(BlockSums block) {
        for (int i = 0; i < depth; i++) {
          int l = 1 + (i + id) % depth;
          synchronized (locks[l]) {
            shared.addLayer(block, l);
          }
        }
        synchronized (locks[0]) {
          shared.addCount(block.count());
        }
      }
    }
  }
}
