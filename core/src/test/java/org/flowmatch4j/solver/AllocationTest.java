package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/** Solver steps allocate nothing: a solve's allocation does not grow with its number of steps. */
class AllocationTest {
    private static final int N = 2_000;

    private static final OdeSystem DECAY = new OdeSystem() {
        @Override
        public int dimension() {
            return N;
        }

        @Override
        public void derivative(double t, double[] y, double[] dydt) {
            for (int i = 0; i < y.length; i++) {
                dydt[i] = -(1 + t) * y[i];
            }
        }
    };

    /** Bytes this thread allocates running {@code r}, the least of three runs (the first runs pay for JIT warm-up). */
    private static long allocated(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long before = mx.getThreadAllocatedBytes(id);
            r.run();
            least = Math.min(least, mx.getThreadAllocatedBytes(id) - before);
        }
        return least;
    }

    @Test
    void fixedStepSolvesAllocateTheSameForTenOrAThousandSteps() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        double[] y0 = new double[N];
        java.util.Arrays.fill(y0, 1.0);
        for (FixedStepSolver[] pair : new FixedStepSolver[][] {{new Euler(10), new Euler(1000)},
            {new Heun(10), new Heun(1000)}, {new RK4(10), new RK4(1000)}}) {
            for (int warm = 0; warm < 3; warm++) {
                pair[0].solve(DECAY, 0, y0, 1);
                pair[1].solve(DECAY, 0, y0, 1);
            }
            long few = allocated(() -> pair[0].solve(DECAY, 0, y0, 1));
            long many = allocated(() -> pair[1].solve(DECAY, 0, y0, 1));
            // the uniform grid (8 bytes per step) is the only per-solve array that scales with the steps
            assertThat(many - few).as(pair[0].name()).isLessThan(8 * 1000 + 4096);
        }
    }

    @Test
    void dopri5AllocatesTheSameAtLooseAndTightTolerances() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        double[] y0 = new double[N];
        java.util.Arrays.fill(y0, 1.0);
        DormandPrince54 loose = DormandPrince54.withTolerances(1e-3, 1e-3);
        DormandPrince54 tight = DormandPrince54.withTolerances(1e-11, 1e-11);
        for (int warm = 0; warm < 3; warm++) {
            loose.solve(DECAY, 0, y0, 3);
            tight.solve(DECAY, 0, y0, 3);
        }
        int steps = tight.solve(DECAY, 0, y0, 3).steps() - loose.solve(DECAY, 0, y0, 3).steps();
        assertThat(steps).isGreaterThan(50);
        long few = allocated(() -> loose.solve(DECAY, 0, y0, 3));
        long many = allocated(() -> tight.solve(DECAY, 0, y0, 3));
        assertThat(many - few).isLessThan(4096);
    }
}
