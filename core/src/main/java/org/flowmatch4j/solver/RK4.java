package org.flowmatch4j.solver;

/**
 * The classical fourth-order Runge–Kutta method:
 * {@code k1 = f(t, y)}, {@code k2 = f(t + h/2, y + h/2·k1)}, {@code k3 = f(t + h/2, y + h/2·k2)},
 * {@code k4 = f(t + h, y + h·k3)}, {@code y_{k+1} = y + h/6·(k1 + 2k2 + 2k3 + k4)}.
 * Four function evaluations per step.
 */
public final class RK4 extends FixedStepSolver {
    /** RK4 with {@code steps} uniform steps between the times given to each solve. */
    public RK4(int steps) {
        super(steps);
    }

    /** RK4 on an explicit, strictly monotone time grid. */
    public RK4(double[] times) {
        super(times);
    }

    @Override
    public String name() {
        return "rk4";
    }

    @Override
    public int evaluationsPerStep() {
        return 4;
    }

    @Override
    int workArrays() {
        return 3;
    }

    @Override
    void step(OdeSystem system, double t, double tNext, double[] y, double[][] work) {
        double h = tNext - t;
        double half = 0.5 * h;
        double tMid = t + half;
        double[] k = work[0];
        double[] acc = work[1];
        double[] tmp = work[2];
        int n = y.length;
        // acc accumulates k1 + 2k2 + 2k3 + k4 so that only three state-sized buffers are needed
        system.derivative(t, y, k);
        for (int i = 0; i < n; i++) {
            acc[i] = k[i];
            tmp[i] = y[i] + half * k[i];
        }
        system.derivative(tMid, tmp, k);
        for (int i = 0; i < n; i++) {
            acc[i] += 2 * k[i];
            tmp[i] = y[i] + half * k[i];
        }
        system.derivative(tMid, tmp, k);
        for (int i = 0; i < n; i++) {
            acc[i] += 2 * k[i];
            tmp[i] = y[i] + h * k[i];
        }
        system.derivative(tNext, tmp, k);
        double sixth = h / 6;
        for (int i = 0; i < n; i++) {
            y[i] += sixth * (acc[i] + k[i]);
        }
    }
}
