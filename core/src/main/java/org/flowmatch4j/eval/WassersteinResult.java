package org.flowmatch4j.eval;

/**
 * A Wasserstein distance between two point clouds and how it was estimated.
 *
 * @param p         the order: 1 ({@code W1 = min_σ (1/n) Σ_i ||x_i − y_σ(i)||}) or 2
 *                  ({@code W2 = sqrt(min_σ (1/n) Σ_i ||x_i − y_σ(i)||²)})
 * @param value     the distance, in the units of the points
 * @param estimator {@value Wasserstein#EXACT} (optimal assignment) or {@value Wasserstein#SINKHORN} (cost of the
 *                  entropic plan, an upper bound that approaches the exact value as ε → 0)
 * @param n         points per set after subsampling (both sets have this many)
 * @param epsilon   the absolute entropic regularisation, in the units of the ground cost
 *                  ({@code ||x − y||^p}); NaN for the exact estimator
 * @param iterations Sinkhorn iterations run (0 for the exact estimator)
 * @param converged whether Sinkhorn reached its marginal tolerance (always true for the exact estimator)
 */
public record WassersteinResult(int p, double value, String estimator, int n, double epsilon, int iterations,
        boolean converged) {
    /** Whether the value is the exact optimal-transport distance of the (subsampled) sets. */
    public boolean exact() {
        return Wasserstein.EXACT.equals(estimator);
    }
}
