package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * Prints exact-OT timings (not a unit test): median wall-clock ms per call after warm-up and mean thread CPU
 * ms per call (less affected by other processes on a shared machine), for Gaussian batches x0 ~ N(0, I),
 * x1 ~ N(1, I) of several sizes and dimensions.
 *
 * <p>Run after {@code ./mvnw -q -B -pl core test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * org.flowmatch4j.coupling.ExactOtTiming}
 */
public final class ExactOtTiming {
    private ExactOtTiming() {}

    public static void main(String[] args) {
        int[][] cases = {{256, 2}, {256, 64}, {1024, 2}, {1024, 64}, {1024, 784}, {2000, 2}};
        for (int[] c : cases) {
            run(c[0], c[1], c[0] <= 256 ? 200 : c[0] <= 1024 ? 20 : 6);
        }
    }

    private static void run(int n, int d, int reps) {
        Rng rng = new Rng(1);
        ExactOtCoupling ot = new ExactOtCoupling();
        int batches = 8;
        Tensor[] x0 = new Tensor[batches];
        Tensor[] x1 = new Tensor[batches];
        for (int b = 0; b < batches; b++) {
            x0[b] = rng.normal(DType.FLOAT32, n, d);
            x1[b] = rng.normal(DType.FLOAT32, n, d).add(Tensor.scalar(DType.FLOAT32, 1.0));
        }
        for (int w = 0; w < Math.max(10, reps / 4); w++) {
            ot.plan(x0[w % batches], x1[w % batches], null);
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] ms = new double[reps];
        long cpu = mx.getCurrentThreadCpuTime();
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            ot.plan(x0[r % batches], x1[r % batches], null);
            ms[r] = (System.nanoTime() - t) / 1e6;
        }
        double cpuMean = (mx.getCurrentThreadCpuTime() - cpu) / 1e6 / reps;
        java.util.Arrays.sort(ms);
        System.out.printf("exact OT n=%d d=%d: wall median %.3f ms (min %.3f), thread CPU mean %.3f ms (%d calls)%n",
                n, d, ms[reps / 2], ms[0], cpuMean, reps);
    }
}
