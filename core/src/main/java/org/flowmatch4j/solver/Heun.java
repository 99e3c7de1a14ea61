package org.flowmatch4j.solver;

/**
 * Heun's method (the explicit trapezoidal rule), order 2:
 * {@code k1 = f(t, y)}, {@code k2 = f(t + h, y + h·k1)}, {@code y_{k+1} = y + h/2·(k1 + k2)}.
 * Two function evaluations per step.
 */
public final class Heun extends FixedStepSolver {
    /** Heun with {@code steps} uniform steps between the times given to each solve. */
    public Heun(int steps) {
        super(steps);
    }

    /** Heun on an explicit, strictly monotone time grid. */
    public Heun(double[] times) {
        super(times);
    }

    @Override
    public String name() {
        return "heun";
    }

    @Override
    public int evaluationsPerStep() {
        return 2;
    }

    @Override
    int workArrays() {
        return 3;
    }

    @Override
    void step(OdeSystem system, double t, double tNext, double[] y, double[][] work) {
        double h = tNext - t;
        double[] k1 = work[0];
        double[] k2 = work[1];
        double[] tmp = work[2];
        system.derivative(t, y, k1);
        for (int i = 0; i < y.length; i++) {
            tmp[i] = y[i] + h * k1[i];
        }
        system.derivative(tNext, tmp, k2);
        double half = 0.5 * h;
        for (int i = 0; i < y.length; i++) {
            y[i] += half * (k1[i] + k2[i]);
        }
    }
}
