package org.flowmatch4j.likelihood;

/**
 * A time-dependent vector field {@code v(t, x)} on batches of d-dimensional points, with forward-mode
 * Jacobian–vector products {@code (∂v/∂x)·ṫ} for divergences. Rows are points: {@code x} and outputs are
 * row-major {@code [rows, dim]} float32 arrays; the same t applies to every row of a call.
 */
public interface VelocityField {
    /** The dimension d. */
    int dim();

    /** {@code out[r] = v(t, x[r])} for {@code r < rows}. */
    void velocity(double t, float[] x, int rows, float[] out);

    /**
     * The velocity and, for each of the first {@code count} tangents {@code tanIn[j]} ({@code [rows, dim]}),
     * the product {@code tanOut[j] = (∂v/∂x)(t, x)·tanIn[j]}.
     */
    void velocityJvp(double t, float[] x, int rows, float[] out, float[][] tanIn, float[][] tanOut, int count);

    /** The most tangents one {@link #velocityJvp} call accepts. */
    int maxTangents();
}
