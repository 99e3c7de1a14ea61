package org.flowmatch4j.coupling;

import java.util.function.IntConsumer;

import org.flowmatch4j.kernels.Parallel;

/**
 * Entropic optimal transport between uniform marginals {@code a_i = 1/n}, {@code b_j = 1/m} by Sinkhorn
 * iterations in the log domain:
 * <pre>
 *   α_i ← log a_i − LSE_j(β_j − C_ij/ε),     β_j ← log b_j − LSE_i(α_i − C_ij/ε),
 * </pre>
 * with {@code LSE} a max-shifted log-sum-exp, so no kernel entry {@code exp(−C/ε)} is ever formed and small ε
 * neither underflows nor overflows. The plan is {@code π_ij = exp(α_i + β_j − C_ij/ε)} (potentials
 * {@code f = εα}, {@code g = εβ}). After each β update the column sums are exact, so convergence is measured by
 * the row marginal error {@code Σ_i |Σ_j π_ij − a_i|}, which the next α update computes for free: it stops
 * when that error is at most the tolerance, or after {@code maxIterations} (then not converged).
 *
 * <p>Iterations start with ε-scaling: ε begins at the largest cost (a nearly uniform plan) and halves each
 * iteration down to the target, the potentials {@code f = εα}, {@code g = εβ} carried over. This does not change
 * the solution, only the starting point; without it small ε needs tens of thousands of iterations to leave
 * the uniform start. The iteration count reported includes these steps.
 *
 * <p>Everything is float64. The row and column passes are split over {@link Parallel} workers by rows and by
 * column blocks (each value is computed by one worker in a fixed order, so results do not depend on the thread
 * count). Work arrays are kept per instance and grow on demand; an instance is not thread-safe.
 */
public final class LogDomainSinkhorn {
    /** Below this many cost entries the passes run on the calling thread. */
    private static final int PARALLEL_MIN_ENTRIES = 1 << 15;
    /** Factor by which ε shrinks per iteration during ε-scaling. */
    private static final double ANNEALING_FACTOR = 0.5;

    private final int maxIterations;
    private final double tolerance;
    private double[] alpha = new double[0];
    private double[] beta = new double[0];
    private double[] prevAlpha = new double[0];
    private double[] rowError = new double[0];
    private double[] colMax = new double[0];
    private double[] colSum = new double[0];
    // state shared with the chunk bodies of the current solve
    private double[] cost;
    private int n;
    private int m;
    private double invEps;
    private int chunks;
    private boolean checkRows;
    private final IntConsumer rowChunk = this::rowPass;
    private final IntConsumer colChunk = this::columnPass;

    /**
     * @param maxIterations the most (row, column) update pairs per solve, ≥ 1
     * @param tolerance     target L1 row-marginal error, {@code > 0}
     */
    public LogDomainSinkhorn(int maxIterations, double tolerance) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Sinkhorn maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("Sinkhorn tolerance must be positive and finite, got " + tolerance);
        }
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /**
     * Runs Sinkhorn on the n×m cost {@code C_ij = cost[i*m + j]} (read again by {@link #logPlan} and
     * {@link #writePlan}, so keep it unchanged until then).
     *
     * @param epsilon absolute regularisation ε &gt; 0
     * @return iterations run and the final row-marginal error
     */
    public Convergence solve(double[] cost, int n, int m, double epsilon) {
        if (n < 1 || m < 1 || cost.length < (long) n * m) {
            throw new IllegalArgumentException("Sinkhorn needs n, m >= 1 and n*m costs, got n=" + n + ", m=" + m
                    + " and " + cost.length + " costs");
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("Sinkhorn epsilon must be positive and finite, got " + epsilon);
        }
        this.cost = cost;
        this.n = n;
        this.m = m;
        this.invEps = 1.0 / epsilon;
        if (alpha.length < n) {
            alpha = new double[n];
            prevAlpha = new double[n];
            rowError = new double[n];
        }
        if (beta.length < m) {
            beta = new double[m];
            colMax = new double[m];
            colSum = new double[m];
        }
        java.util.Arrays.fill(beta, 0, m, 0.0);
        long entries = (long) n * m;
        chunks = entries < PARALLEL_MIN_ENTRIES ? 1 : Math.max(1, Math.min(Parallel.threads(), Math.min(n, m)));
        // ε-scaling: start where the plan is nearly uniform (ε = max cost) and halve ε once per iteration,
        // carrying the potentials f = εα, g = εβ over; the fixed point at the target ε is unchanged, but the
        // iterations start near it instead of crawling there at small ε
        double maxCost = 0;
        for (int k = 0, len = n * m; k < len; k++) {
            maxCost = Math.max(maxCost, cost[k]);
        }
        double current = Math.max(epsilon, maxCost);
        int it = 0;
        while (current > epsilon && it < maxIterations - 1) {
            invEps = 1.0 / current;
            checkRows = false;
            Parallel.forEachChunk(chunks, rowChunk);
            Parallel.forEachChunk(chunks, colChunk);
            it++;
            double next = Math.max(epsilon, current * ANNEALING_FACTOR);
            double ratio = current / next;
            for (int i = 0; i < n; i++) {
                alpha[i] *= ratio;
            }
            for (int j = 0; j < m; j++) {
                beta[j] *= ratio;
            }
            current = next;
        }
        invEps = 1.0 / epsilon;
        int annealing = it;
        double error;
        while (true) {
            checkRows = it > annealing;   // after a rescaled β the columns are not exact: measure only real iterates
            Parallel.forEachChunk(chunks, rowChunk);    // α update (and the error of the previous plan)
            if (checkRows) {
                error = 0;
                for (int i = 0; i < n; i++) {
                    error += rowError[i];
                }
                if (error <= tolerance) {
                    // the α just computed is discarded: the plan reported is the one whose error was measured
                    restoreAlpha();
                    return new Convergence(it, error, true);
                }
                if (it >= maxIterations) {
                    restoreAlpha();
                    return new Convergence(it, error, false);
                }
            }
            Parallel.forEachChunk(chunks, colChunk);    // β update: columns now exact
            it++;
        }
    }

    /** The row pass already overwrote α; the plan whose error was measured used the previous α. */
    private void restoreAlpha() {
        System.arraycopy(prevAlpha, 0, alpha, 0, n);
    }

    private void rowPass(int chunk) {
        int lo = (int) ((long) n * chunk / chunks);
        int hi = (int) ((long) n * (chunk + 1) / chunks);
        double logA = -Math.log(n);
        double a = 1.0 / n;
        double[] c = cost;
        double[] b = beta;
        double inv = invEps;
        for (int i = lo; i < hi; i++) {
            int row = i * m;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                max = Math.max(max, b[j] - c[row + j] * inv);
            }
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += Math.exp(b[j] - c[row + j] * inv - max);
            }
            double lse = max + Math.log(s);
            if (checkRows) {
                rowError[i] = Math.abs(Math.exp(alpha[i] + lse) - a);
            }
            prevAlpha[i] = alpha[i];
            alpha[i] = logA - lse;
        }
    }

    private void columnPass(int chunk) {
        int lo = (int) ((long) m * chunk / chunks);
        int hi = (int) ((long) m * (chunk + 1) / chunks);
        double logB = -Math.log(m);
        double[] c = cost;
        double[] al = alpha;
        double inv = invEps;
        for (int j = lo; j < hi; j++) {
            colMax[j] = Double.NEGATIVE_INFINITY;
            colSum[j] = 0;
        }
        for (int i = 0; i < n; i++) {
            int row = i * m;
            double ai = al[i];
            for (int j = lo; j < hi; j++) {
                double t = ai - c[row + j] * inv;
                if (t > colMax[j]) {
                    colMax[j] = t;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int row = i * m;
            double ai = al[i];
            for (int j = lo; j < hi; j++) {
                colSum[j] += Math.exp(ai - c[row + j] * inv - colMax[j]);
            }
        }
        for (int j = lo; j < hi; j++) {
            beta[j] = logB - (colMax[j] + Math.log(colSum[j]));
        }
    }

    /** {@code log π_ij = α_i + β_j − C_ij/ε} of the last solve. */
    public double logPlan(int i, int j) {
        return alpha[i] + beta[j] - cost[i * m + j] * invEps;
    }

    /** Writes the dense plan {@code π_ij} of the last solve into {@code out[i*m + j]}. */
    public void writePlan(double[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i * m + j] = Math.exp(logPlan(i, j));
            }
        }
    }

    /** Scaled source potentials α = f/ε of the last solve (length ≥ n; shared, not copied). */
    double[] alpha() {
        return alpha;
    }

    /** Scaled target potentials β = g/ε of the last solve (length ≥ m; shared, not copied). */
    double[] beta() {
        return beta;
    }

    /** 1/ε of the last solve. */
    double inverseEpsilon() {
        return invEps;
    }
}
