package org.flowmatch4j.coupling;

import java.util.Arrays;

/**
 * A dense entropic transport plan {@code π_ij = exp((f_i + g_j − C_ij) / ε)} between {@code rows} source and
 * {@code cols} target points, stored row-major; with uniform marginals {@code a_i = 1/rows},
 * {@code b_j = 1/cols} it sums to 1.
 *
 * @param plan        the plan, {@code plan[i*cols + j] = π_ij} (owned by the record, not copied)
 * @param rows        number of source points
 * @param cols        number of target points
 * @param epsilon     the absolute regularisation ε used (after any scaling by the mean cost)
 * @param convergence how the Sinkhorn iterations finished
 */
public record EntropicPlan(double[] plan, int rows, int cols, double epsilon, Convergence convergence) {
    public EntropicPlan {
        if (plan == null || convergence == null || rows < 0 || cols < 0 || plan.length != rows * cols) {
            throw new IllegalArgumentException("EntropicPlan: " + (plan == null ? "null plan" : plan.length + " entries")
                    + " for " + rows + "x" + cols);
        }
    }

    /** π_ij. */
    public double get(int i, int j) {
        return plan[i * cols + j];
    }

    /** Row sums {@code Σ_j π_ij} (the source marginal of the plan). */
    public double[] rowSums() {
        double[] s = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                s[i] += plan[i * cols + j];
            }
        }
        return s;
    }

    /** Column sums {@code Σ_i π_ij} (the target marginal of the plan). */
    public double[] columnSums() {
        double[] s = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                s[j] += plan[i * cols + j];
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntropicPlan p && rows == p.rows && cols == p.cols
                && Double.compare(epsilon, p.epsilon) == 0 && Arrays.equals(plan, p.plan) && convergence.equals(p.convergence);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(plan) * 31 + convergence.hashCode();
    }

    @Override
    public String toString() {
        return "EntropicPlan[" + rows + "x" + cols + ", epsilon=" + epsilon + ", " + convergence + "]";
    }
}
