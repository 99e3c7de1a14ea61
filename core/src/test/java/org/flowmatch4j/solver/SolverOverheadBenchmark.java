package org.flowmatch4j.solver;

import java.util.Arrays;

/**
 * The solvers' own cost per step, with a right-hand side as cheap as possible ({@code y' = −y}), so what is
 * measured is the stage arithmetic and the control loop. Not a test (surefire runs only {@code *Test}); run with
 * {@code java -cp core/target/classes:core/target/test-classes org.flowmatch4j.solver.SolverOverheadBenchmark}.
 */
public final class SolverOverheadBenchmark {
    private SolverOverheadBenchmark() {}

    public static void main(String[] args) {
        for (int n : new int[] {512, 50_176}) {
            OdeSystem decay = new OdeSystem() {
                @Override
                public int dimension() {
                    return n;
                }

                @Override
                public void derivative(double t, double[] y, double[] dydt) {
                    for (int i = 0; i < y.length; i++) {
                        dydt[i] = -y[i];
                    }
                }
            };
            double[] y0 = new double[n];
            Arrays.fill(y0, 1);
            int steps = n < 1000 ? 20_000 : 200;
            double t1 = n < 1000 ? 20 : 2;
            OdeSolver[] solvers = {new Euler(steps), new Midpoint(steps), new Heun(steps), new RK4(steps),
                new DormandPrince54(new AdaptiveOptions(1e-14, 1e-14, 0, 0, 1_000_000))};
            for (OdeSolver s : solvers) {
                for (int w = 0; w < 20; w++) {
                    s.solve(decay, 0, y0, t1);
                }
                long best = Long.MAX_VALUE;
                OdeSolution r = null;
                for (int rep = 0; rep < 5; rep++) {
                    long start = System.nanoTime();
                    r = s.solve(decay, 0, y0, t1);
                    best = Math.min(best, System.nanoTime() - start);
                }
                System.out.printf("state %6d  %-8s steps %6d  NFE %6d  %8.2f µs/step  %5.2f ns per NFE per component%n",
                        n, s.name(), r.steps(), r.nfe(), best / 1e3 / r.steps(), (double) best / r.nfe() / n);
            }
        }
    }
}
