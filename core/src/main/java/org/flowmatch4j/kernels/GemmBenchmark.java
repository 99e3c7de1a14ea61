package org.flowmatch4j.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * A small GEMM throughput harness (no JMH): GFLOP/s = 2·m·n·k / median time over {@code reps}
 * timed runs, after a warm-up. {@link #main(String[])} prints a table for 1024³ and the MLP
 * training shapes on 1 and 2 threads for the available backends.
 */
public final class GemmBenchmark {
    private GemmBenchmark() {}

    /** Square {@code n³} sgemm through {@link Kernels#get()} on {@code threads} threads: median GFLOP/s. */
    public static double gflops(int n, int threads, int reps) {
        return gflops(Kernels.get(), false, false, n, n, n, threads, reps);
    }

    /** GFLOP/s (median of {@code reps}) of {@code C = op(A)op(B)} with the given backend and threads. */
    public static double gflops(KernelBackend kb, boolean transA, boolean transB, int m, int n, int k, int threads, int reps) {
        int old = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Random rnd = new Random(42);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
            int lda = transA ? m : k, ldb = transB ? k : n;
            double flop = 2.0 * m * n * k;
            // inner repetitions so that one timed sample lasts >= ~2 ms
            long t0 = System.nanoTime();
            kb.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, false, c, 0, n);
            long one = Math.max(1, System.nanoTime() - t0);
            int inner = (int) Math.max(1, Math.min(100_000, 2_000_000L / one));
            long warmEnd = System.nanoTime() + 600_000_000L;
            int w = 0;
            while (System.nanoTime() < warmEnd || w < 3) {
                kb.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, false, c, 0, n);
                w++;
            }
            t0 = System.nanoTime();
            kb.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, false, c, 0, n);
            one = Math.max(1, System.nanoTime() - t0);
            inner = (int) Math.max(1, Math.min(100_000, 2_000_000L / one));
            double[] s = new double[reps];
            for (int r = 0; r < reps; r++) {
                long st = System.nanoTime();
                for (int q = 0; q < inner; q++) kb.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, false, c, 0, n);
                s[r] = (System.nanoTime() - st) / (double) inner;
            }
            Arrays.sort(s);
            return flop / s[reps / 2];
        } finally {
            Parallel.setThreads(old);
        }
    }

    /** Prints the GFLOP/s table. Arguments: optional {@code reps} (default 15), optional backend filter. */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String only = args.length > 1 ? args[1] : "";
        Object[][] shapes = {
            {"1024^3 NN", false, false, 1024, 1024, 1024},
            {"fwd 4096x512x512 NT", false, true, 4096, 512, 512},
            {"gradIn 4096x512x512 NN", false, false, 4096, 512, 512},
            {"gradW 512x512 k4096 TN", true, false, 512, 512, 4096},
            {"fwd 256x64x64 NT", false, true, 256, 64, 64},
            {"gradIn 256x64x64 NN", false, false, 256, 64, 64},
            {"gradW 64x64 k256 TN", true, false, 64, 64, 256},
            {"in 256x64 k3 NT", false, true, 256, 64, 3},
            {"out 256x2 k64 NT", false, true, 256, 2, 64},
        };
        System.out.println("java " + System.getProperty("java.version") + ", threads available "
                + Runtime.getRuntime().availableProcessors());
        for (KernelBackend kb : new KernelBackend[] {Kernels.vector().orElse(null), Kernels.scalar()}) {
            if (kb == null || (!only.isEmpty() && !only.equals(kb.name()))) continue;
            for (Object[] sh : shapes) {
                int m = (int) sh[3], n = (int) sh[4], k = (int) sh[5];
                if (kb.name().equals("scalar") && (long) m * n * k > 300_000_000L && reps > 5) { }
                double g1 = gflops(kb, (boolean) sh[1], (boolean) sh[2], m, n, k, 1, reps);
                double g2 = gflops(kb, (boolean) sh[1], (boolean) sh[2], m, n, k, 2, reps);
                System.out.printf(Locale.ROOT, "%-7s %-26s 1T %7.1f   2T %7.1f GFLOP/s%n", kb.name(), sh[0], g1, g2);
            }
        }
    }
}
