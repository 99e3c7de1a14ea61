package org.flowmatch4j.coupling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ExactOtCouplingTest {

    /** Points on a coarse integer grid (many equal distances) with some exact duplicates. */
    private static Tensor tiedPoints(Rng rng, int n, int d) {
        Tensor t = Tensor.zeros(DType.FLOAT64, n, d);
        for (int i = 0; i < n; i++) {
            int src = i > 0 && rng.nextInt(4) == 0 ? rng.nextInt(i) : -1;   // duplicate an earlier point
            for (int k = 0; k < d; k++) {
                t.setDouble(i * d + k, src >= 0 ? t.getDouble(src * d + k) : rng.nextInt(3));
            }
        }
        return t;
    }

    @Test
    void matchesBruteForceOverAllPermutationsForSmallN() {
        Rng rng = new Rng(2024);
        ExactOtCoupling ot = new ExactOtCoupling();
        for (int n = 1; n <= 8; n++) {
            int instances = n <= 6 ? 60 : 15;
            for (int r = 0; r < instances; r++) {
                boolean ties = r % 2 == 1;
                int d = 1 + rng.nextInt(3);
                Tensor x0 = ties ? tiedPoints(rng, n, d) : rng.normal(DType.FLOAT64, n, d);
                Tensor x1 = ties ? tiedPoints(rng, n, d) : rng.normal(DType.FLOAT64, n, d).mul(2.0).add(1.0);
                CouplingPlan p = ot.plan(x0, x1, null);
                assertIsPermutation(p, n);
                double best = BruteForce.minAssignmentCost(BruteForce.costMatrix(x0, x1), n, n);
                assertThat(BruteForce.planCost(p, x0, x1)).as("n=%d instance %d", n, r).isCloseTo(best, within(1e-9 * (1 + best)));
                assertThat(ot.lastTotalCost()).isCloseTo(best, within(1e-9 * (1 + best)));
            }
        }
    }

    @Test
    void solverMatchesBruteForceOnIntegerMatricesWithManyTies() {
        Rng rng = new Rng(5);
        for (LinearAssignmentSolver solver : new LinearAssignmentSolver[] {new LinearAssignmentSolver(),
                new LinearAssignmentSolver(org.flowmatch4j.kernels.AssignmentKernels.scalar())}) {
            for (int n = 1; n <= 8; n++) {
                for (int r = 0; r < 40; r++) {
                    double[] c = new double[n * n];
                    for (int k = 0; k < c.length; k++) {
                        c[k] = rng.nextInt(r % 3 == 0 ? 2 : 10) - 3;   // negative costs and heavy ties too
                    }
                    int[] sigma = new int[n];
                    double total = solver.solve(c, n, sigma);
                    assertThat(Arrays.stream(sigma).sorted().toArray()).isEqualTo(identity(n));
                    double recomputed = 0;
                    for (int i = 0; i < n; i++) {
                        recomputed += c[i * n + sigma[i]];
                    }
                    assertThat(recomputed).isEqualTo(total);
                    assertThat(total).isEqualTo(BruteForce.minAssignmentCost(c, n, n));
                }
            }
        }
    }

    @Test
    void multiscaleSizesWithTiedIntegerCostsAreOptimalWithEitherKernels() {
        Rng rng = new Rng(9);
        for (int n : new int[] {96, 150, 257}) {
            double[] c = new double[n * n];
            for (int k = 0; k < c.length; k++) {
                c[k] = rng.nextInt(6);
            }
            int[] vectorSigma = new int[n];
            int[] scalarSigma = new int[n];
            LinearAssignmentSolver solver = new LinearAssignmentSolver();
            double total = solver.solve(c, n, vectorSigma);
            double[] v = solver.columnPrices();
            double dualSum = 0;
            for (int i = 0; i < n; i++) {
                double u = c[i * n + vectorSigma[i]] - v[vectorSigma[i]];
                dualSum += u + v[vectorSigma[i]];
                for (int j = 0; j < n; j++) {
                    assertThat(u + v[j]).as("dual feasibility n=%d (%d, %d)", n, i, j).isLessThanOrEqualTo(c[i * n + j] + 1e-9);
                }
            }
            assertThat(dualSum).isEqualTo(total);
            new LinearAssignmentSolver(org.flowmatch4j.kernels.AssignmentKernels.scalar()).solve(c, n, scalarSigma);
            assertThat(scalarSigma).isEqualTo(vectorSigma);
        }
    }

    @Test
    void largeProblemsGiveAPermutationWithAnOptimalityCertificate() {
        Rng rng = new Rng(77);
        LinearAssignmentSolver solver = new LinearAssignmentSolver();
        SquaredEuclideanCost costs = new SquaredEuclideanCost();
        int[][] cases = {{2, 2}, {95, 2}, {96, 2}, {97, 3}, {300, 2}, {300, 40}, {1024, 2}};
        for (int[] cs : cases) {
            int n = cs[0];
            int d = cs[1];
            Tensor x0 = rng.normal(DType.FLOAT32, n, d);
            Tensor x1 = rng.normal(DType.FLOAT32, n, d).add(Tensor.scalar(DType.FLOAT32, 1.5));
            double[] c = new double[n * n];
            costs.compute(x0, x1, c, n);
            int[] sigma = new int[n];
            solver.solve(c, n, sigma);
            assertThat(Arrays.stream(sigma).sorted().toArray()).as("n=%d", n).isEqualTo(identity(n));
            // the scalar row-scan kernels give the same assignment as the chosen (vector) ones
            int[] scalarSigma = new int[n];
            new LinearAssignmentSolver(org.flowmatch4j.kernels.AssignmentKernels.scalar()).solve(c, n, scalarSigma);
            assertThat(scalarSigma).as("scalar kernels n=%d d=%d", n, d).isEqualTo(sigma);
            // LP duality: u_i = C[i,σ(i)] − v_σ(i) and v are feasible (u_i + v_j ≤ C_ij) and tight on σ
            double[] v = solver.columnPrices();
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double u = c[i * n + sigma[i]] - v[sigma[i]];
                for (int j = 0; j < n; j++) {
                    worst = Math.max(worst, u + v[j] - c[i * n + j]);
                }
            }
            assertThat(worst).as("dual infeasibility n=%d d=%d", n, d).isLessThan(1e-9);
        }
    }

    @Test
    void oneDimensionalOtPairsSortedOrders() {
        Rng rng = new Rng(9);
        ExactOtCoupling ot = new ExactOtCoupling();
        for (int n : new int[] {5, 64, 200}) {
            Tensor x0 = rng.normal(DType.FLOAT64, n, 1);
            Tensor x1 = rng.uniform(DType.FLOAT64, -3, 5, n, 1);
            CouplingPlan p = ot.plan(x0, x1, null);
            Integer[] r0 = ranks(x0);
            Integer[] r1 = ranks(x1);
            for (int k = 0; k < n; k++) {
                // the k-th smallest of x0 goes to the k-th smallest of x1
                assertThat(r1[p.i1()[k]]).isEqualTo(r0[p.i0()[k]]);
            }
        }
    }

    @Test
    void translatedCopyIsMatchedToItself() {
        Rng rng = new Rng(4);
        Tensor x0 = rng.normal(DType.FLOAT32, 150, 3);
        int[] perm = rng.permutation(150);
        // a translation by δ adds n·||δ||² to every permutation's cost (Σ_i (a_i − a_σ(i)) = 0): the inverse shuffle stays optimal
        Tensor x1 = x0.gatherRows(perm).add(Tensor.scalar(DType.FLOAT32, 0.7));
        CouplingPlan p = new ExactOtCoupling().plan(x0, x1, null);
        for (int k = 0; k < 150; k++) {
            assertThat(perm[p.i1()[k]]).isEqualTo(p.i0()[k]);
        }
    }

    @Test
    void rectangularBatchesGiveTheOptimalPartialAssignment() {
        Rng rng = new Rng(12);
        ExactOtCoupling ot = new ExactOtCoupling();
        for (int r = 0; r < 40; r++) {
            int n = 1 + rng.nextInt(6);
            int m = 1 + rng.nextInt(6);
            Tensor x0 = rng.normal(DType.FLOAT64, n, 2);
            Tensor x1 = rng.normal(DType.FLOAT64, m, 2);
            CouplingPlan p = ot.plan(x0, x1, null);
            assertThat(p.size()).isEqualTo(Math.min(n, m));
            assertThat(Arrays.stream(p.i0()).distinct().count()).isEqualTo(p.size());
            assertThat(Arrays.stream(p.i1()).distinct().count()).isEqualTo(p.size());
            double best = n <= m
                    ? BruteForce.minAssignmentCost(BruteForce.costMatrix(x0, x1), n, m)
                    : BruteForce.minAssignmentCost(BruteForce.costMatrix(x1, x0), m, n);
            assertThat(BruteForce.planCost(p, x0, x1)).isCloseTo(best, within(1e-9));
            if (n <= m) {
                assertThat(p.i0()).isEqualTo(identity(n));
            } else {
                assertThat(p.i1()).isEqualTo(identity(m));
            }
        }
    }

    @Test
    void float32AndFloat64InputsAndHighDimensionsAgree() {
        Rng rng = new Rng(31);
        for (int d : new int[] {2, 7, 8, 50}) {
            Tensor x0 = rng.normal(DType.FLOAT32, 120, d);
            Tensor x1 = rng.normal(DType.FLOAT32, 120, d);
            CouplingPlan p32 = new ExactOtCoupling().plan(x0, x1, null);
            CouplingPlan p64 = new ExactOtCoupling().plan(x0.to(DType.FLOAT64), x1.to(DType.FLOAT64), null);
            // from GEMM_MIN_DIM on, float32 inputs use float32 dot products: equal up to that rounding (near-ties may flip)
            double c64 = BruteForce.planCost(p64, x0, x1);
            assertThat(BruteForce.planCost(p32, x0, x1)).isCloseTo(c64, within((d < SquaredEuclideanCost.GEMM_MIN_DIM ? 1e-9 : 1e-5) * c64));
        }
    }

    @Test
    void pairReordersTheRows() {
        Rng rng = new Rng(8);
        Tensor x0 = rng.normal(DType.FLOAT32, 10, 2);
        Tensor x1 = rng.normal(DType.FLOAT32, 10, 2);
        CoupledBatch b = new ExactOtCoupling().pair(x0, x1, null);
        assertThat(b.x0().toDoubleArray()).isEqualTo(x0.gatherRows(b.plan().i0()).toDoubleArray());
        assertThat(b.x1().toDoubleArray()).isEqualTo(x1.gatherRows(b.plan().i1()).toDoubleArray());
        assertThat(b.plan().meanSquaredDistance(x0, x1))
                .isLessThanOrEqualTo(new IndependentCoupling().plan(x0, x1, null).meanSquaredDistance(x0, x1));
    }

    @Test
    void rejectsBadInput() {
        ExactOtCoupling ot = new ExactOtCoupling();
        Tensor ok = Tensor.zeros(DType.FLOAT32, 4, 2);
        assertThatThrownBy(() -> ot.plan(Tensor.zeros(DType.FLOAT32, 4), ok, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4]").hasMessageContaining("[4, 2]");
        assertThatThrownBy(() -> ot.plan(ok, Tensor.zeros(DType.FLOAT32, 4, 3), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension").hasMessageContaining("[4, 3]");
        Tensor nan = Tensor.zeros(DType.FLOAT64, 4, 2);
        nan.setDouble(3, Double.NaN);
        assertThatThrownBy(() -> ot.plan(ok, nan, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x1").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new LinearAssignmentSolver().solve(new double[] {0, Double.POSITIVE_INFINITY, 1, 2}, 2, new int[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
    }

    static void assertIsPermutation(CouplingPlan p, int n) {
        assertThat(p.size()).isEqualTo(n);
        assertThat(Arrays.stream(p.i0()).sorted().toArray()).isEqualTo(identity(n));
        assertThat(Arrays.stream(p.i1()).sorted().toArray()).isEqualTo(identity(n));
    }

    static int[] identity(int n) {
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
        }
        return id;
    }

    private static Integer[] ranks(Tensor x) {
        int n = x.size(0);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x.getDouble(a), x.getDouble(b)));
        Integer[] rank = new Integer[n];
        for (int k = 0; k < n; k++) {
            rank[order[k]] = k;
        }
        return rank;
    }
}
