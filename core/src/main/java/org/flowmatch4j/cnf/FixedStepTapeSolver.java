package org.flowmatch4j.cnf;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.cnf.CnfDynamics.Derivative;
import org.flowmatch4j.solver.SolverMethod;

/**
 * An explicit Runge–Kutta method with {@code steps} uniform steps, on the tape: stage i is evaluated at
 * {@code z + h·Σ_{j<i} a_ij k_j}, and {@code z_{n+1} = z_n + h·Σ_i b_i k_i}, {@code L_{n+1} = L_n + h·Σ_i b_i div_i}.
 * The divergence does not feed back into the dynamics, so the stages need no L values. Tableaus: Euler
 * ({@code b = 1}), midpoint, Heun and classical RK4 ({@code b = (1, 2, 2, 1)/6}), the same methods as
 * {@link org.flowmatch4j.solver.Euler} … {@link org.flowmatch4j.solver.RK4}; NFE = steps · stages.
 */
public final class FixedStepTapeSolver implements TapeSolver {
    private final SolverMethod method;
    private final int steps;
    private final double[][] a;
    private final double[] b;
    private final double[] c;

    /**
     * @throws IllegalArgumentException for dopri5 (use {@link DormandPrinceTapeSolver}) or {@code steps < 1}
     */
    public FixedStepTapeSolver(SolverMethod method, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException(method + ": the number of steps must be >= 1, got " + steps);
        }
        this.method = method;
        this.steps = steps;
        switch (method) {
            case EULER -> {
                a = new double[][] {{}};
                b = new double[] {1};
                c = new double[] {0};
            }
            case MIDPOINT -> {
                a = new double[][] {{}, {0.5}};
                b = new double[] {0, 1};
                c = new double[] {0, 0.5};
            }
            case HEUN -> {
                a = new double[][] {{}, {1}};
                b = new double[] {0.5, 0.5};
                c = new double[] {0, 1};
            }
            case RK4 -> {
                a = new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}};
                b = new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
                c = new double[] {0, 0.5, 0.5, 1};
            }
            default -> throw new IllegalArgumentException("FixedStepTapeSolver: " + method
                    + " is adaptive; use DormandPrinceTapeSolver");
        }
    }

    @Override
    public String name() {
        return method.cliName();
    }

    /** Steps per solve. */
    public int steps() {
        return steps;
    }

    /** Evaluations per step. */
    public int stages() {
        return b.length;
    }

    @Override
    public TapeSolution solve(CnfDynamics f, Var z0, double t0, double t1) {
        int s = b.length;
        Var z = z0;
        Var integral = null;
        Var[] k = new Var[s];
        Var[] div = new Var[s];
        double span = t1 - t0;
        for (int n = 0; n < steps; n++) {
            double t = t0 + span * n / steps;
            double h = (n == steps - 1 ? t1 : t0 + span * (n + 1) / steps) - t;
            for (int i = 0; i < s; i++) {
                Var zi = combine(z, h, a[i], k);
                Derivative dv = f.evaluate(t + c[i] * h, zi);
                k[i] = dv.velocity();
                div[i] = dv.divergence();
            }
            z = combine(z, h, b, k);
            Var dl = combine(null, h, b, div);
            integral = integral == null ? dl : integral.add(dl);
        }
        return new TapeSolution(z, integral, steps * s, steps, 0);
    }

    /** {@code base + h·Σ_j w_j k_j} over the nonzero weights (base may be null for 0). */
    static Var combine(Var base, double h, double[] w, Var[] k) {
        Var acc = base;
        for (int j = 0; j < w.length; j++) {
            if (w[j] != 0) {
                Var term = k[j].mul(h * w[j]);
                acc = acc == null ? term : acc.add(term);
            }
        }
        return acc;
    }
}
