package org.flowmatch4j.likelihood;

import org.flowmatch4j.solver.OdeSystem;

/**
 * The flow ODE {@code dx/dt = v(t, x)} of a batch of n points as an {@link OdeSystem} on the flattened
 * state {@code [n·d]} (double for the solver's step control, float32 for the field). Allocation-free per
 * evaluation.
 */
public final class FlowOde implements OdeSystem {
    private final VelocityField field;
    private final int n;
    private final float[] x;
    private final float[] v;
    private long evaluations;

    /** The ODE of {@code points} points under {@code field}. */
    public FlowOde(VelocityField field, int points) {
        if (points <= 0) {
            throw new IllegalArgumentException("FlowOde: need at least one point, got " + points);
        }
        this.field = field;
        this.n = points;
        this.x = new float[points * field.dim()];
        this.v = new float[points * field.dim()];
    }

    @Override
    public int dimension() {
        return x.length;
    }

    /** Velocity evaluations so far. */
    public long evaluations() {
        return evaluations;
    }

    @Override
    public void derivative(double t, double[] y, double[] dydt) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) y[i];
        }
        field.velocity(t, x, n, v);
        evaluations++;
        for (int i = 0; i < v.length; i++) {
            dydt[i] = v[i];
        }
    }
}
