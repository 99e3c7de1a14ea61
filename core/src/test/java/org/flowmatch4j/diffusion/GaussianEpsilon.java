package org.flowmatch4j.diffusion;

import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.path.Scheduler;

/**
 * The exact minimiser of the ε-prediction loss for data x1 ~ N(μ, s²I) on an affine path: since
 * {@code x_t = α·x1 + σ·ε} is jointly Gaussian with ε, {@code E[ε | x_t] = σ·(x_t − α·μ)/(α²s² + σ²)}, whose
 * Jacobian is {@code σ/(α²s² + σ²)·I}. Computed in double, returned as float.
 */
final class GaussianEpsilon implements VelocityField {
    private final Scheduler scheduler;
    private final double[] mu;
    private final double s;

    GaussianEpsilon(Scheduler scheduler, double[] mu, double s) {
        this.scheduler = scheduler;
        this.mu = mu;
        this.s = s;
    }

    /** The Jacobian of the optimum is gain(t)·I. */
    double gain(double t) {
        double a = scheduler.alpha(t);
        double sg = scheduler.sigma(t);
        return sg / (a * a * s * s + sg * sg);
    }

    /** The optimum at one point (double). */
    double value(double t, double x, int coord) {
        return gain(t) * (x - scheduler.alpha(t) * mu[coord]);
    }

    @Override
    public int dim() {
        return mu.length;
    }

    @Override
    public int maxTangents() {
        return mu.length;
    }

    @Override
    public void velocity(double t, float[] x, int rows, float[] out) {
        velocityJvp(t, x, rows, out, null, null, 0);
    }

    @Override
    public void velocityJvp(double t, float[] x, int rows, float[] out, float[][] tanIn, float[][] tanOut, int count) {
        int d = dim();
        double g = gain(t);
        for (int i = 0; i < rows * d; i++) {
            out[i] = (float) value(t, x[i], i % d);
        }
        for (int j = 0; j < count; j++) {
            for (int i = 0; i < rows * d; i++) {
                tanOut[j][i] = (float) (g * tanIn[j][i]);
            }
        }
    }
}
