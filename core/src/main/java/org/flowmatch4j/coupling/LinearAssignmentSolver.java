package org.flowmatch4j.coupling;

import java.util.Arrays;
import org.flowmatch4j.kernels.AssignmentKernels;

/**
 * Exact solver of the dense linear assignment problem {@code min_σ Σ_i C[i, σ(i)]} over permutations σ of
 * {@code 0..n-1}: Jonker–Volgenant shortest augmenting paths, with a multiscale start for large n.
 *
 * <p>The solver keeps column prices {@code v_j} and the invariant that every assigned row's column
 * minimises its reduced cost {@code C_ij − v_j}. A free row is assigned along a shortest augmenting path
 * (Dijkstra on reduced costs), after which the settled columns' prices fall by their distance deficit so the
 * invariant holds again. When every row is assigned and the invariant holds over all columns,
 * {@code u_i = C[i,σ(i)] − v_σ(i)} and {@code v} satisfy {@code u_i + v_j ≤ C_ij} with equality on σ: an
 * LP-duality certificate that σ is optimal.
 *
 * <p>Small problems ({@code n <} {@value #MULTISCALE_MIN}) use the classical JV start: column reduction
 * ({@code v_j = min_i C_ij}) and reduction transfer. With such prices, low-dimensional geometric costs need
 * long paths through much of the matrix, so larger problems start from better prices: those of a coarse
 * problem (every {@value #STRIDE}-th row and column, solved recursively), extended to every column by the
 * c-transform {@code v_j = min_a (C_aj − u_a)} of its row duals; each row then takes its cheapest column if
 * still free. Both starts continue with one short pass of augmenting row reduction (at most n + 64 bids) and the
 * shortest paths. The row scans run on {@link AssignmentKernels} (Vector API when available); with vectorised
 * Dijkstra scans, longer bidding phases cost more than they save (256 points from 2D data: 1.5 ms with two
 * passes of 8n bids, 1.0 ms with one of n).
 *
 * <p>Work arrays are kept per instance and grow on demand, so repeated solves of the same size allocate
 * nothing; an instance is not thread-safe.
 */
public final class LinearAssignmentSolver {
    /** Size from which prices come from a coarse problem. */
    static final int MULTISCALE_MIN = 96;
    /** Subsampling stride of the coarse problem. */
    static final int STRIDE = 2;

    private final AssignmentKernels kernels;
    private final double[] rowScan = new double[3];
    private int capacity = -1;
    private double[] v;        // column prices
    private double[] dist;     // shortest-path distances to columns; NaN once settled
    private int[] rowCol;      // column assigned to each row, -1 if free
    private int[] colRow;      // row assigned to each column, -1 if free
    private int[] settled;     // columns settled by the current shortest-path search, in order
    private double[] settledDist; // their distances
    private double[] pred;     // row preceding each column on its shortest path (a double: see AssignmentKernels)
    private int[] free;        // free rows
    private int[] argmin;      // row attaining each column's minimum during column reduction
    // coarse problem
    private LinearAssignmentSolver coarse;
    private double[] coarseCost = new double[0];

    /** A solver on the row-scan kernels of the chosen backend ({@link AssignmentKernels#get()}). */
    public LinearAssignmentSolver() {
        this(AssignmentKernels.get());
    }

    /** A solver on the given row-scan kernels (both backends give the same assignment). */
    public LinearAssignmentSolver(AssignmentKernels kernels) {
        this.kernels = kernels;
    }

    /**
     * Solves the n×n problem with cost {@code C_ij = cost[i*n + j]} and writes the optimal column of each
     * row into {@code rowToCol[0..n)}.
     *
     * @return the optimal total cost {@code Σ_i C[i, rowToCol[i]]}
     * @throws IllegalArgumentException if {@code n < 0}, the arrays are too short, or a cost is NaN or infinite
     */
    public double solve(double[] cost, int n, int[] rowToCol) {
        if (n < 0) {
            throw new IllegalArgumentException("assignment size must be >= 0, got " + n);
        }
        if (cost.length < (long) n * n || rowToCol.length < n) {
            throw new IllegalArgumentException("assignment of size " + n + " needs " + ((long) n * n)
                    + " costs and " + n + " outputs, got " + cost.length + " and " + rowToCol.length);
        }
        for (int k = 0, nn = n * n; k < nn; k++) {
            double c = cost[k];
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException("assignment cost [" + (k / n) + ", " + (k % n) + "] is " + c);
            }
        }
        if (n == 0) {
            return 0.0;
        }
        solveValidated(cost, n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            rowToCol[i] = rowCol[i];
            total += cost[i * n + rowCol[i]];
        }
        return total;
    }

    /** Column prices of the last solve (with {@code u_i = C[i,σ(i)] − v_σ(i)} a dual certificate); for tests. */
    double[] columnPrices() {
        return v;
    }

    private void solveValidated(double[] c, int n) {
        ensureCapacity(n);
        if (n < MULTISCALE_MIN) {
            solveDense(c, n);
            return;
        }
        pricesFromCoarseProblem(c, n);
        assignRowMinima(c, n);
        finishWithPaths(c, n);
    }

    // ------------------------------------------------------------------ dense Jonker–Volgenant

    private void solveDense(double[] c, int n) {
        columnReduction(c, n);
        reductionTransfer(c, n);
        finishWithPaths(c, n);
    }

    /** One pass of augmenting row reduction, then a shortest augmenting path for each row still free. */
    private void finishWithPaths(double[] c, int n) {
        int numFree = collectFree(n);
        if (numFree > 0) {
            augmentingRowReduction(c, n, numFree);
            numFree = collectFree(n);
        }
        for (int f = 0; f < numFree; f++) {
            augmentDense(c, n, free[f]);
        }
    }

    /** v_j = min_i C_ij; each column is given to its minimising row when that row is still free. */
    private void columnReduction(double[] c, int n) {
        Arrays.fill(rowCol, 0, n, -1);
        Arrays.fill(colRow, 0, n, -1);
        System.arraycopy(c, 0, v, 0, n);
        Arrays.fill(argmin, 0, n, 0);
        // row-wise sweep keeps memory access contiguous; strict < keeps the first minimising row
        for (int i = 1; i < n; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                double cij = c[row + j];
                if (cij < v[j]) {
                    v[j] = cij;
                    argmin[j] = i;
                }
            }
        }
        for (int j = n - 1; j >= 0; j--) {
            int i = argmin[j];
            if (rowCol[i] < 0) {
                rowCol[i] = j;
                colRow[j] = i;
            }
        }
    }

    /**
     * Lowers the price of each assigned column to its row's second-smallest reduced cost: the column stays a
     * minimiser of its row and becomes less attractive to the free rows in the next phase.
     */
    private void reductionTransfer(double[] c, int n) {
        double[] scan = rowScan;
        for (int i = 0; i < n; i++) {
            int j1 = rowCol[i];
            if (j1 < 0) {
                continue;
            }
            kernels.twoSmallest(c, i * n, v, n, scan);
            double mu = (int) scan[1] == j1 ? scan[2] : scan[0];
            double u = c[i * n + j1] - v[j1];
            if (mu > u && mu < Double.POSITIVE_INFINITY) {
                v[j1] -= mu - u;
            }
        }
    }

    private int collectFree(int n) {
        int numFree = 0;
        for (int i = 0; i < n; i++) {
            if (rowCol[i] < 0) {
                free[numFree++] = i;
            }
        }
        return numFree;
    }

    /**
     * One pass of augmenting row reduction: each free row takes its cheapest column, lowering that column's
     * price to the row's second-cheapest reduced cost (so the column stays its minimiser) and evicting the
     * previous owner, which is processed next while prices strictly fall. A step budget bounds the pass,
     * since rounding can make a price decrease vanish; rows left over go to the shortest-path phase.
     */
    private void augmentingRowReduction(double[] c, int n, int numFree) {
        long budget = n + 64L;
        int k = 0;
        int nextFree = 0;
        while (k < numFree && budget-- > 0) {
            int i = free[k++];
            int row = i * n;
            kernels.twoSmallest(c, row, v, n, rowScan);
            double u1 = rowScan[0];
            int j1 = (int) rowScan[1];
            double u2 = rowScan[2];
            int j2 = n > 1 && u1 == u2 ? secondMinimiser(c, row, n, j1, u2) : -1;
            int evicted = colRow[j1];
            boolean priceFell = false;
            if (u1 < u2 && n > 1) {
                double lowered = v[j1] - (u2 - u1);
                priceFell = lowered < v[j1];
                v[j1] = lowered;
            } else if (evicted >= 0 && j2 >= 0) {
                // tie: the second minimiser is as good; take it instead of evicting
                j1 = j2;
                evicted = colRow[j2];
            }
            rowCol[i] = j1;
            colRow[j1] = i;
            if (evicted >= 0) {
                rowCol[evicted] = -1;
                if (priceFell) {
                    free[--k] = evicted;
                } else {
                    free[nextFree++] = evicted;
                }
            }
        }
    }

    /** The lowest column other than {@code j1} whose reduced cost is {@code u2} (a tie with the minimum). */
    private int secondMinimiser(double[] c, int row, int n, int j1, double u2) {
        for (int j = 0; j < n; j++) {
            if (j != j1 && c[row + j] - v[j] == u2) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Assigns the free row {@code f} along a shortest augmenting path over all columns: Dijkstra on reduced costs,
     * settling one column at a time (a settled column's distance is set aside and its slot marked NaN, which the
     * relaxation kernel skips) until the nearest column is free.
     */
    private void augmentDense(double[] c, int n, int f) {
        double[] d = dist;
        Arrays.fill(d, 0, n, Double.POSITIVE_INFINITY);
        int count = 0;
        int j = kernels.relaxAndArgMin(c, f * n, v, 0.0, d, pred, f, n);
        while (colRow[j] >= 0) {
            double dj = d[j];
            settled[count] = j;
            settledDist[count++] = dj;
            d[j] = Double.NaN;
            int i = colRow[j];
            double h = c[i * n + j] - v[j] - dj;
            j = kernels.relaxAndArgMin(c, i * n, v, h, d, pred, i, n);
        }
        double minDist = d[j];
        for (int k = 0; k < count; k++) {
            v[settled[k]] += settledDist[k] - minDist;
        }
        flipPath(f, j);
    }

    /** Assigns along the predecessor chain from column {@code end} back to free row {@code f}. */
    private void flipPath(int f, int end) {
        int j = end;
        while (true) {
            int i = (int) pred[j];
            colRow[j] = i;
            int next = rowCol[i];
            rowCol[i] = j;
            if (i == f) {
                return;
            }
            j = next;
        }
    }

    // ------------------------------------------------------------------ multiscale start and sparse paths

    /**
     * Prices from the c-transform of a coarse problem's row duals: the optimal assignment between every
     * STRIDE-th row and column gives {@code u_a = C_aσ(a) − v_σ(a)}; {@code v_j = min_a (C_aj − u_a)} extends
     * the prices to all columns (exact on the coarse columns, interpolating between them).
     */
    private void pricesFromCoarseProblem(double[] c, int n) {
        int k = (n + STRIDE - 1) / STRIDE;
        if (coarse == null) {
            coarse = new LinearAssignmentSolver(kernels);
        }
        if (coarseCost.length < k * k) {
            coarseCost = new double[k * k];
        }
        for (int a = 0; a < k; a++) {
            int row = a * STRIDE * n;
            for (int b = 0; b < k; b++) {
                coarseCost[a * k + b] = c[row + b * STRIDE];
            }
        }
        coarse.solveValidated(coarseCost, k);
        double[] cv = coarse.v;
        int[] ca = coarse.rowCol;
        Arrays.fill(v, 0, n, Double.POSITIVE_INFINITY);
        for (int a = 0; a < k; a++) {
            int b = ca[a];
            double u = coarseCost[a * k + b] - cv[b];
            kernels.lowerTo(c, a * STRIDE * n, u, v, n);
        }
    }

    /** Each row takes a column of minimum reduced cost when that column is still free (keeps the invariant). */
    private void assignRowMinima(double[] c, int n) {
        Arrays.fill(rowCol, 0, n, -1);
        Arrays.fill(colRow, 0, n, -1);
        for (int i = 0; i < n; i++) {
            kernels.twoSmallest(c, i * n, v, n, rowScan);
            int bestCol = (int) rowScan[1];
            if (colRow[bestCol] < 0) {
                colRow[bestCol] = i;
                rowCol[i] = bestCol;
            }
        }
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        v = new double[n];
        dist = new double[n];
        rowCol = new int[n];
        colRow = new int[n];
        settled = new int[n];
        settledDist = new double[n];
        pred = new double[n];
        free = new int[n];
        argmin = new int[n];
        capacity = n;
    }
}
