package org.finwidth.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.function.IntToDoubleFunction;

import org.finwidth.random.RandomStreams;
import org.finwidth.vector.NormalKernels;
import org.finwidth.vector.panama.PanamaNormalKernels;

/**
 * Tells a slow compilation of the normal generator from a slow machine: loads the generator
 * {@code copies} times through class loaders of its own (so that C2 compiles each copy on its own
 * profile, at its own code address), warms each as {@link NormalsBenchmark} does, then times them in
 * interleaved slices of thread CPU time, each round followed by a fixed scalar reference loop on the
 * same thread. A copy that C2 compiled into a slow shape stays slow while the others are fast; a
 * machine that slows down (a virtual CPU whose physical core is shared with work outside the VM,
 * which thread CPU time cannot see) takes every copy and the reference down in the same round.
 * docs/performance.md, "Per-fork spread of the generator", has what this showed.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.finwidth.bench.GeneratorDrift [copies] [rounds] [sliceMs] [len]
 * </pre>
 * Defaults: 4 copies, 25 rounds, 60 ms slices, fills of 1024 normals (2560: one conditional
 * network's fill; 256: a width-256 row). Prints one line per round: normals per CPU-nanosecond
 * of each copy, then the reference's steps per CPU-nanosecond.
 */
public final class GeneratorDrift {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static int sink;

  private GeneratorDrift() {
  }

  /**
   * Runs the comparison.
   *
   * @param args optional copies, rounds, slice in milliseconds, fill length (1..2560)
   * @throws Exception if the benchmark jar cannot be reloaded
   */
  public static void main(String[] args) throws Exception {
    int copies = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    long sliceNanos = (args.length > 2 ? Long.parseLong(args[2]) : 60) * 1_000_000L;
    int len = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
    if (copies < 1 || rounds < 1 || sliceNanos <= 0 || len < 1 || len > Copy.BIG) {
      System.err.println("usage: GeneratorDrift [copies >= 1] [rounds >= 1] [sliceMs >= 1] [len 1..2560]");
      System.exit(2);
    }
    URL jar = GeneratorDrift.class.getProtectionDomain().getCodeSource().getLocation();
    IntToDoubleFunction[] copy = new IntToDoubleFunction[copies];
    for (int c = 0; c < copies; c++) {
      ClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
      copy[c] = (IntToDoubleFunction) loader.loadClass(Copy.class.getName())
          .getConstructor(long.class, int.class).newInstance(sliceNanos, len);
    }
    reference(sliceNanos); // compile the reference loop before the first round
    System.out.println("# normals per CPU-ns of " + copies + " copies (fills of " + len + "), then the scalar reference");
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder();
      for (IntToDoubleFunction f : copy) {
        line.append(String.format(" %5.2f", f.applyAsDouble(r)));
      }
      line.append(String.format("  | ref %5.3f", reference(sliceNanos)));
      System.out.println(line);
    }
    System.out.println("# " + sink);
  }

  /** A dependent chain of scalar integer steps: steps per CPU-nanosecond of this thread. */
  private static double reference(long sliceNanos) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    long steps = 0;
    int x = 1;
    int y = 2;
    int z = 3;
    int w = 4;
    while (THREADS.getCurrentThreadCpuTime() - t0 < sliceNanos) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 31 + y;
        y = (y ^ x) + z;
        z = Integer.rotateLeft(z, 3) + w;
        w = w * 17 + i;
      }
      steps += 10_000;
    }
    long t1 = THREADS.getCurrentThreadCpuTime();
    sink += x + y + z + w;
    return steps / (double) (t1 - t0);
  }

  /** One copy of the generator with its own buffers; loaded once per class loader. */
  public static final class Copy implements IntToDoubleFunction {

    static final int BIG = NormalsBenchmark.NETWORK;
    private final NormalKernels kernels = new PanamaNormalKernels();
    private final float[] out = new float[NormalsBenchmark.N];
    private final float[] big = new float[BIG];
    private final long sliceNanos;
    private final int len;
    private long network;

    /**
     * Creates and warms a copy (the fill shapes of {@link NormalsBenchmark}'s set-up).
     *
     * @param sliceNanos thread CPU time per measurement, nanoseconds
     * @param len normals per fill
     */
    public Copy(long sliceNanos, int len) {
      this.sliceNanos = sliceNanos;
      this.len = len;
      long seed = 20261128L;
      for (int i = 0; i < 20_000; i++) {
        kernels.fill(seed, i, 1, RandomStreams.WEIGHTS, 0, out, 0, NormalsBenchmark.N);
        kernels.fill(seed, i, 1, RandomStreams.WEIGHTS, 0, out, 0, NormalsBenchmark.UNALIGNED);
        kernels.fill(seed, i, 1, RandomStreams.WEIGHTS, 0, out, 0, NormalsBenchmark.ROW256);
        kernels.fill(seed, i, 0, RandomStreams.CONDITIONAL, 0, 1f, big, 0, BIG);
      }
    }

    /** Normals per CPU-nanosecond over one slice (the argument is the round, unused). */
    @Override
    public double applyAsDouble(int round) {
      float[] dst = len > out.length ? big : out;
      long t0 = THREADS.getCurrentThreadCpuTime();
      long calls = 0;
      while (THREADS.getCurrentThreadCpuTime() - t0 < sliceNanos) {
        for (int c = 0; c < 100; c++) {
          kernels.fill(7L, network++, 0, RandomStreams.CONDITIONAL, 0, 1f, dst, 0, len);
        }
        calls += 100;
      }
      long t1 = THREADS.getCurrentThreadCpuTime();
      return calls * (double) len / (t1 - t0);
    }
  }
}
