package org.flowmatch4j.coupling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LabelAwareCouplingTest {

    private static int[] shuffledLabels(Rng rng, int... counts) {
        int n = Arrays.stream(counts).sum();
        int[] labels = new int[n];
        int k = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int t = 0; t < counts[c]; t++) {
                labels[k++] = 10 * c - 5;   // negative and non-contiguous labels
            }
        }
        int[] perm = rng.permutation(n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = labels[perm[i]];
        }
        return out;
    }

    @Test
    void neverPairsAcrossClassesAndIsOptimalWithinEach() {
        Rng rng = new Rng(1);
        for (Coupling inner : new Coupling[] {new ExactOtCoupling(), new SinkhornCoupling(0.1, 2000, 1e-6),
                new SinkhornCoupling(0.1, EpsilonScale.MEAN_COST, 2000, 1e-6, PlanSampling.WITHOUT_REPLACEMENT),
                new IndependentCoupling()}) {
            int[] labels0 = shuffledLabels(rng, 5, 1, 7, 3);
            int[] labels1 = shuffledLabels(rng, 5, 1, 7, 3);
            Tensor x0 = rng.normal(DType.FLOAT32, 16, 2);
            Tensor x1 = rng.normal(DType.FLOAT32, 16, 2);
            CouplingPlan p = new LabelAwareCoupling(inner).plan(x0, labels0, x1, labels1, rng);
            assertThat(p.size()).isEqualTo(16);
            for (int k = 0; k < p.size(); k++) {
                assertThat(labels0[p.i0()[k]]).isEqualTo(labels1[p.i1()[k]]);
            }
            if (!(inner instanceof SinkhornCoupling sk && sk.sampling() == PlanSampling.ROW_CONDITIONAL)) {
                ExactOtCouplingTest.assertIsPermutation(p, 16);
            }
            if (inner instanceof ExactOtCoupling) {
                // total cost = Σ over classes of the brute-force optimum within the class
                double expected = 0;
                for (int label : new int[] {-5, 5, 15, 25}) {
                    Tensor a = x0.gatherRows(rowsOf(labels0, label));
                    Tensor b = x1.gatherRows(rowsOf(labels1, label));
                    expected += BruteForce.minAssignmentCost(BruteForce.costMatrix(a, b), a.size(0), a.size(0));
                }
                assertThat(BruteForce.planCost(p, x0, x1)).isCloseTo(expected, within(1e-9));
            }
        }
    }

    @Test
    void deterministicForAGivenSeed() {
        Rng rng = new Rng(2);
        int[] labels0 = shuffledLabels(rng, 20, 30);
        int[] labels1 = shuffledLabels(rng, 20, 30);
        Tensor x0 = rng.normal(DType.FLOAT32, 50, 3);
        Tensor x1 = rng.normal(DType.FLOAT32, 50, 3);
        LabelAwareCoupling la = new LabelAwareCoupling(new SinkhornCoupling(0.05, 2000, 1e-6));
        CouplingPlan a = la.plan(x0, labels0, x1, labels1, new Rng(3));
        CouplingPlan b = la.plan(x0, labels0, x1, labels1, new Rng(3));
        assertThat(b).isEqualTo(a);
        assertThat(a.convergence().converged()).isTrue();
        CoupledBatch batch = la.pair(x0, labels0, x1, labels1, new Rng(3));
        assertThat(batch.plan()).isEqualTo(a);
        assertThat(batch.x1().toDoubleArray()).isEqualTo(x1.gatherRows(a.i1()).toDoubleArray());
    }

    @Test
    void rejectsIncompatibleClassCounts() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 4, 2);
        LabelAwareCoupling la = new LabelAwareCoupling(new ExactOtCoupling());
        assertThatThrownBy(() -> la.plan(x, new int[] {0, 0, 1, 1}, x, new int[] {0, 1, 1, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 0 has 2 x0 rows but 1 x1 rows");
        assertThatThrownBy(() -> la.plan(x, new int[] {0, 0, 1, 1}, x, new int[] {0, 0, 1, 2}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 1");
        assertThatThrownBy(() -> la.plan(x, new int[] {0, 0, 1}, x, new int[] {0, 0, 1, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 labels for x0 [4, 2]");
        assertThatThrownBy(() -> new LabelAwareCoupling(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int[] rowsOf(int[] labels, int label) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
    }
}
