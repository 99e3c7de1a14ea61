package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * Entropic minibatch optimal transport: the plan
 * {@code π = argmin_{π ∈ Π(a,b)} Σ_ij π_ij C_ij − ε H(π)} between uniform marginals, with squared Euclidean cost
 * {@code C_ij = ||x0_i − x1_j||²}, computed by {@link LogDomainSinkhorn}; pairs are then drawn from π.
 *
 * <p>ε interpolates between exact OT (ε → 0, π → a permutation matrix / n) and the independent coupling
 * (ε → ∞, π → 1/(nm)). By default ({@link EpsilonScale#MEAN_COST}) ε is relative to the batch's mean cost,
 * so the same value works whatever the data scale; {@link EpsilonScale#ABSOLUTE} uses it in squared-distance
 * units (as the Schrödinger bridge needs). Pairs are drawn per {@link PlanSampling}: by default
 * {@link PlanSampling#ROW_CONDITIONAL} (every x0 once, its x1 drawn from {@code π(i,·)/a_i}, with
 * replacement over x1), or {@link PlanSampling#WITHOUT_REPLACEMENT} (a permutation when n = m).
 *
 * <p>Each plan reports its {@link Convergence}; a solve that hits {@code maxIterations} still returns pairs
 * from the last iterate, flagged as not converged. Work buffers are per instance; not thread-safe.
 */
public final class SinkhornCoupling implements Coupling {
    /** CLI name. */
    public static final String NAME = "sinkhorn";
    /** Default relative ε (of the mean cost). */
    public static final double DEFAULT_EPSILON = 0.05;
    /** Default iteration cap. */
    public static final int DEFAULT_MAX_ITERATIONS = 2000;
    /** Default L1 marginal tolerance. */
    public static final double DEFAULT_TOLERANCE = 1e-5;

    private final double epsilon;
    private final EpsilonScale scale;
    private final PlanSampling sampling;
    private final LogDomainSinkhorn sinkhorn;
    private final SquaredEuclideanCost costs = new SquaredEuclideanCost();
    private double[] cost = new double[0];
    private double[] weights = new double[0];
    private boolean[] used = new boolean[0];
    private int[] order = new int[0];

    /**
     * Entropic OT with ε relative to the mean cost and row-conditional sampling.
     *
     * @param epsilon       regularisation as a fraction of the mean squared distance, &gt; 0
     * @param maxIterations Sinkhorn iteration cap, ≥ 1
     * @param tolerance     L1 marginal error at which the iterations stop, &gt; 0
     */
    public SinkhornCoupling(double epsilon, int maxIterations, double tolerance) {
        this(epsilon, EpsilonScale.MEAN_COST, maxIterations, tolerance, PlanSampling.ROW_CONDITIONAL);
    }

    /**
     * @param epsilon       regularisation strength, &gt; 0, interpreted per {@code scale}
     * @param scale         whether ε is absolute or relative to the mean cost
     * @param maxIterations Sinkhorn iteration cap, ≥ 1
     * @param tolerance     L1 marginal error at which the iterations stop, &gt; 0
     * @param sampling      how pairs are drawn from the plan
     */
    public SinkhornCoupling(double epsilon, EpsilonScale scale, int maxIterations, double tolerance, PlanSampling sampling) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("Sinkhorn epsilon must be positive and finite, got " + epsilon);
        }
        if (scale == null || sampling == null) {
            throw new IllegalArgumentException("Sinkhorn scale and sampling must be non-null (got " + scale + ", " + sampling + ")");
        }
        this.epsilon = epsilon;
        this.scale = scale;
        this.sampling = sampling;
        this.sinkhorn = new LogDomainSinkhorn(maxIterations, tolerance);
    }

    /** Solves for the entropic plan between the batches and returns it densely (allocates the n×m plan). */
    public EntropicPlan solve(Tensor x0, Tensor x1) {
        SquaredEuclideanCost.checkPair(x0, x1);
        int n = x0.size(0);
        int m = x1.size(0);
        if (n == 0 || m == 0) {
            return new EntropicPlan(new double[0], n, m, epsilon, Convergence.DIRECT);
        }
        Convergence conv = run(x0, x1);
        double[] plan = new double[n * m];
        sinkhorn.writePlan(plan);
        return new EntropicPlan(plan, n, m, 1.0 / sinkhorn.inverseEpsilon(), conv);
    }

    /**
     * Draws pairs from the plan: n pairs ({@code i0[k] = k}) for {@link PlanSampling#ROW_CONDITIONAL};
     * {@code min(n, m)} pairs for {@link PlanSampling#WITHOUT_REPLACEMENT}, ordered by the smaller side's index.
     *
     * @throws IllegalArgumentException also if {@code rng} is null
     */
    @Override
    public CouplingPlan plan(Tensor x0, Tensor x1, Rng rng) {
        SquaredEuclideanCost.checkPair(x0, x1);
        if (rng == null) {
            throw new IllegalArgumentException("SinkhornCoupling draws pairs at random: rng must be non-null");
        }
        int n = x0.size(0);
        int m = x1.size(0);
        if (n == 0 || m == 0) {
            return new CouplingPlan(new int[0], new int[0], Convergence.DIRECT);
        }
        Convergence conv = run(x0, x1);
        if (weights.length < Math.max(n, m)) {
            weights = new double[Math.max(n, m)];
            used = new boolean[Math.max(n, m)];
            order = new int[Math.max(n, m)];
        }
        return sampling == PlanSampling.ROW_CONDITIONAL ? sampleRows(n, m, rng, conv) : sampleWithoutReplacement(n, m, rng, conv);
    }

    private Convergence run(Tensor x0, Tensor x1) {
        int n = x0.size(0);
        int m = x1.size(0);
        if (cost.length < n * m) {
            cost = new double[n * m];
        }
        double total = costs.compute(x0, x1, cost, m);
        double mean = total / ((double) n * m);
        double eps = scale == EpsilonScale.MEAN_COST && mean > 0 ? epsilon * mean : epsilon;
        return sinkhorn.solve(cost, n, m, eps);
    }

    /** For each row i, j ~ π(i,·)/a_i by inverse CDF over weights exp(β_j − C_ij/ε − max). */
    private CouplingPlan sampleRows(int n, int m, Rng rng, Convergence conv) {
        int[] i0 = new int[n];
        int[] i1 = new int[n];
        double[] beta = sinkhorn.beta();
        double inv = sinkhorn.inverseEpsilon();
        for (int i = 0; i < n; i++) {
            int row = i * m;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                max = Math.max(max, beta[j] - cost[row + j] * inv);
            }
            double total = 0;
            for (int j = 0; j < m; j++) {
                total += Math.exp(beta[j] - cost[row + j] * inv - max);
                weights[j] = total;
            }
            i0[i] = i;
            i1[i] = searchCumulative(weights, m, rng.nextDouble() * total, null);
        }
        return new CouplingPlan(i0, i1, conv);
    }

    /**
     * Visits the smaller side in random order; each point draws a partner among the unused points of the other
     * side with probability ∝ π (the shared potential of the visiting point cancels in the normalisation).
     */
    private CouplingPlan sampleWithoutReplacement(int n, int m, Rng rng, Convergence conv) {
        boolean byRow = n <= m;
        int small = byRow ? n : m;
        int large = byRow ? m : n;
        double[] pot = byRow ? sinkhorn.beta() : sinkhorn.alpha();
        double inv = sinkhorn.inverseEpsilon();
        for (int k = 0; k < small; k++) {
            order[k] = k;
        }
        for (int k = small - 1; k > 0; k--) {
            int r = rng.nextInt(k + 1);
            int t = order[k];
            order[k] = order[r];
            order[r] = t;
        }
        java.util.Arrays.fill(used, 0, large, false);
        int[] partner = new int[small];
        for (int k = 0; k < small; k++) {
            int s = order[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < large; l++) {
                if (!used[l]) {
                    max = Math.max(max, pot[l] - cost[byRow ? s * m + l : l * m + s] * inv);
                }
            }
            double total = 0;
            for (int l = 0; l < large; l++) {
                if (!used[l]) {
                    total += Math.exp(pot[l] - cost[byRow ? s * m + l : l * m + s] * inv - max);
                }
                weights[l] = total;
            }
            int l = searchCumulative(weights, large, rng.nextDouble() * total, used);
            used[l] = true;
            partner[s] = l;
        }
        int[] ids = new int[small];
        for (int k = 0; k < small; k++) {
            ids[k] = k;
        }
        return byRow ? new CouplingPlan(ids, partner, conv) : new CouplingPlan(partner, ids, conv);
    }

    /**
     * The first index whose cumulative weight exceeds {@code target} (skipping excluded entries, whose
     * cumulative weight does not increase); the last allowed index if rounding leaves none.
     */
    private static int searchCumulative(double[] cumulative, int len, double target, boolean[] excluded) {
        int lo = 0;
        int hi = len - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        // an excluded entry shares its cumulative value with the allowed entry before it, so the first index
        // exceeding the target is always allowed unless the target reached the total through rounding
        while (excluded != null && excluded[lo]) {
            lo--;
        }
        return lo;
    }

    /** The regularisation as given (relative or absolute per {@link #scale()}). */
    public double epsilon() {
        return epsilon;
    }

    /** How {@link #epsilon()} is interpreted. */
    public EpsilonScale scale() {
        return scale;
    }

    /** How pairs are drawn. */
    public PlanSampling sampling() {
        return sampling;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "SinkhornCoupling[epsilon=" + epsilon + " (" + scale + "), " + sampling + "]";
    }
}
