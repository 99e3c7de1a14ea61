// Tells a slow period of this shared machine from a slow engine: runs the 256/256 training step and, right after,
// the register-only FMA loop on two threads at once (the ceiling every step figure is read against). A slow run with
// the FMA rate unchanged was slowed on the memory side (another tenant's traffic), not by the clock or a shared core.
// Single-file program, run against the built jars (from the repository root), as many times as wanted:
//   java --add-modules jdk.incubator.vector -cp "cli/target/flowmatch4j-cli.jar:cli/target/lib/*" \
//       bench/SlowRunProbe.java [hidden=256] [batch=256] [steps=2500]
// Prints one line: ms/step (median of 100-step chunks) and the slower thread's GFLOP/s (best of three trials).
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.flowmatch4j.bench.CfmTrainStepBenchmark;
import org.flowmatch4j.bench.TrainStepResult;
import org.flowmatch4j.kernels.Parallel;

public class SlowRunProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    private static volatile float sink;

    /** Twelve independent FMA chains: bound by the FMA units' rate, not by their latency. */
    private static float fmaLoop(int iters) {
        FloatVector b = FloatVector.broadcast(S, 1.0000001f), a = FloatVector.broadcast(S, 0.999999f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < iters; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** GFLOP/s of the slower of two threads running the loop at the same time. */
    private static double fmaRateOnTwoThreads() throws InterruptedException {
        int iters = 5_000_000;
        for (int w = 0; w < 30; w++) {
            sink = fmaLoop(100_000); // compiled by C2 before it is timed (the Vector API is slow until then)
        }
        double[] rate = new double[2];
        Thread[] ts = new Thread[2];
        for (int t = 0; t < 2; t++) {
            final int q = t;
            ts[t] = new Thread(() -> {
                long t0 = System.nanoTime();
                sink = fmaLoop(iters);
                rate[q] = 2.0 * CHAINS * S.length() * iters / (System.nanoTime() - t0);
            });
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        return Math.min(rate[0], rate[1]);
    }

    public static void main(String[] args) throws InterruptedException {
        int hidden = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 2500;
        Parallel.setThreads(2);
        TrainStepResult r = new CfmTrainStepBenchmark(hidden, batch, 3, 1).run(steps, 100, 100);
        double gflops = 0;
        for (int trial = 0; trial < 3; trial++) {
            // the best of three: a trial can share a core with the JIT's compiler thread
            gflops = Math.max(gflops, fmaRateOnTwoThreads());
        }
        System.out.printf("hidden %d batch %d: %.4f ms/step, then FMA loop %.1f GFLOP/s per thread%n",
                hidden, batch, r.msPerStep(), gflops);
    }
}
