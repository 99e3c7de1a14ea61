package org.flowmatch4j.solver;

/**
 * The explicit Euler method, order 1: {@code y_{k+1} = y_k + h·f(t_k, y_k)}. One function evaluation per step.
 */
public final class Euler extends FixedStepSolver {
    /** Euler with {@code steps} uniform steps between the times given to each solve. */
    public Euler(int steps) {
        super(steps);
    }

    /** Euler on an explicit, strictly monotone time grid. */
    public Euler(double[] times) {
        super(times);
    }

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public int evaluationsPerStep() {
        return 1;
    }

    @Override
    int workArrays() {
        return 1;
    }

    @Override
    void step(OdeSystem system, double t, double tNext, double[] y, double[][] work) {
        double h = tNext - t;
        double[] k = work[0];
        system.derivative(t, y, k);
        for (int i = 0; i < y.length; i++) {
            y[i] += h * k[i];
        }
    }
}
