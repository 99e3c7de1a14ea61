package org.flowmatch4j.solver;

/**
 * The explicit midpoint method, order 2:
 * {@code k1 = f(t, y)}, {@code k2 = f(t + h/2, y + h/2·k1)}, {@code y_{k+1} = y + h·k2}.
 * Two function evaluations per step.
 */
public final class Midpoint extends FixedStepSolver {
    /** Midpoint with {@code steps} uniform steps between the times given to each solve. */
    public Midpoint(int steps) {
        super(steps);
    }

    /** Midpoint on an explicit, strictly monotone time grid. */
    public Midpoint(double[] times) {
        super(times);
    }

    @Override
    public String name() {
        return "midpoint";
    }

    @Override
    public int evaluationsPerStep() {
        return 2;
    }

    @Override
    int workArrays() {
        return 2;
    }

    @Override
    void step(OdeSystem system, double t, double tNext, double[] y, double[][] work) {
        double h = tNext - t;
        double half = 0.5 * h;
        double[] k = work[0];
        double[] tmp = work[1];
        system.derivative(t, y, k);
        for (int i = 0; i < y.length; i++) {
            tmp[i] = y[i] + half * k[i];
        }
        system.derivative(t + half, tmp, k);
        for (int i = 0; i < y.length; i++) {
            y[i] += h * k[i];
        }
    }
}
