package org.flowmatch4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** Row i is (i, −i, 0.5·i): every row is distinct and names its own index. */
    private static Dataset indexed(int n) {
        float[] x = new float[3 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = -i;
            x[3 * i + 2] = 0.5f * i;
            labels[i] = i % 4;
        }
        return Dataset.of(x, n, 3, labels, List.of("a", "b", "c"));
    }

    @Test
    void accessorsAndDefensiveCopies() {
        float[] x = {1, 2, 3, 4, 5, 6};
        Dataset ds = Dataset.of(x, 3, 2);
        x[0] = 99;
        assertThat(ds.size()).isEqualTo(3);
        assertThat(ds.dim()).isEqualTo(2);
        assertThat(ds.get(0, 0)).isEqualTo(1f);
        assertThat(ds.row(2)).containsExactly(5f, 6f);
        assertThat(ds.columnNames()).containsExactly("x0", "x1");
        assertThat(ds.hasLabels()).isFalse();
        ds.toArray()[1] = 42;
        assertThat(ds.get(0, 1)).isEqualTo(2f);
        Tensor t = ds.toTensor();
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.floatData()).containsExactly(1, 2, 3, 4, 5, 6);
        Dataset fromDouble = Dataset.of(Tensor.of(new double[] {0.1, 0.2}, 1, 2));
        assertThat(fromDouble.row(0)).containsExactly(0.1f, 0.2f);
        assertThat(Dataset.of(x, 3, 2).withLabels(new int[] {7, 8, 9}).label(1)).isEqualTo(8);
    }

    @Test
    void badInputNamesTheProblem() {
        assertThatThrownBy(() -> Dataset.of(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 values").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Dataset.of(new float[] {1, Float.NaN}, 1, 2)).hasMessageContaining("non-finite")
                .hasMessageContaining("row 0, column 1");
        assertThatThrownBy(() -> Dataset.of(new float[4], 2, 2, new int[3], null)).hasMessageContaining("3 labels for 2 rows");
        assertThatThrownBy(() -> Dataset.of(new float[4], 2, 2, null, List.of("a", "a"))).hasMessageContaining("duplicate column name \"a\"");
        assertThatThrownBy(() -> Dataset.of(new float[4], 2, 2, null, List.of("a"))).hasMessageContaining("1 column names");
        assertThatThrownBy(() -> Dataset.of(new float[4], 2, 2, null, List.of("a", " "))).hasMessageContaining("column 1 has a blank name");
        assertThatThrownBy(() -> Dataset.of(Tensor.zeros(DType.FLOAT32, 4))).hasMessageContaining("rank-2").hasMessageContaining("[4]");
        assertThatThrownBy(() -> indexed(3).row(3)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("row 3");
        assertThatThrownBy(() -> Dataset.of(new float[4], 2, 2).label(0)).isInstanceOf(IllegalStateException.class);
        float[] small = new float[5];
        assertThatThrownBy(() -> indexed(3).sampleBatch(new Rng(1), 2, small)).hasMessageContaining("5 floats").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Dataset.of(new float[0], 0, 2).sampleBatch(new Rng(1), 1, new float[2])).hasMessageContaining("empty");
    }

    @Test
    void sampleBatchDrawsRowsUniformlyWithReplacementAndDeterministically() {
        int n = 10;
        Dataset ds = indexed(n);
        int batch = 20_000;
        float[] out = new float[batch * 3];
        int[] lab = new int[batch];
        ds.sampleBatch(new Rng(5), batch, out, lab);
        long[] counts = new long[n];
        for (int b = 0; b < batch; b++) {
            int i = (int) out[3 * b];
            // the whole row is copied, and the label belongs to it
            assertThat(out[3 * b + 1]).isEqualTo(-i);
            assertThat(out[3 * b + 2]).isEqualTo(0.5f * i);
            assertThat(lab[b]).isEqualTo(i % 4);
            counts[i]++;
        }
        // chi-square with 9 degrees of freedom: 99.9 % quantile is 27.9
        double chi2 = 0;
        double e = (double) batch / n;
        for (long c : counts) {
            chi2 += (c - e) * (c - e) / e;
        }
        assertThat(chi2).isLessThan(27.9);
        float[] again = new float[batch * 3];
        ds.sampleBatch(new Rng(5), batch, again);
        assertThat(again).isEqualTo(out);
        // with replacement: a batch as large as the dataset repeats rows (all-distinct has probability 10!/10^10)
        float[] full = new float[n * 3];
        ds.sampleBatch(new Rng(9), n, full);
        Set<Float> firsts = new HashSet<>();
        for (int b = 0; b < n; b++) {
            firsts.add(full[3 * b]);
        }
        assertThat(firsts.size()).isLessThan(n);
    }

    @Test
    void sampleBatchAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        Dataset ds = indexed(1000);
        float[] out = new float[256 * 3];
        Rng rng = new Rng(3);
        for (int k = 0; k < 20_000; k++) {
            ds.sampleBatch(rng, 256, out);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int k = 0; k < 1000; k++) {
            ds.sampleBatch(rng, 256, out);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // one accidental row copy per call would already be 1000 × 768 bytes
        assertThat(allocated).isLessThan(16_384);
    }

    @Test
    void splitIsDisjointCompleteSizedAndDeterministic() {
        Dataset ds = indexed(101);
        DatasetSplit s = ds.split(0.2, 42);
        assertThat(s.test().size()).isEqualTo(20);
        assertThat(s.train().size()).isEqualTo(81);
        Set<Integer> train = rowIds(s.train());
        Set<Integer> test = rowIds(s.test());
        assertThat(train).doesNotContainAnyElementsOf(test);
        Set<Integer> all = new HashSet<>(train);
        all.addAll(test);
        assertThat(all).hasSize(101);
        // rows keep their labels and the original order
        for (int k = 0; k < s.test().size(); k++) {
            int i = (int) s.test().get(k, 0);
            assertThat(s.test().label(k)).isEqualTo(i % 4);
            if (k > 0) {
                assertThat(s.test().get(k, 0)).isGreaterThan(s.test().get(k - 1, 0));
            }
        }
        assertThat(s.train().columnNames()).containsExactly("a", "b", "c");
        assertThat(rowIds(ds.split(0.2, 42).test())).isEqualTo(test);
        assertThat(rowIds(ds.split(0.2, 43).test())).isNotEqualTo(test);
        assertThatThrownBy(() -> ds.split(0, 1)).hasMessageContaining("(0, 1)").hasMessageContaining("0.0");
        assertThatThrownBy(() -> indexed(3).split(0.1, 1)).hasMessageContaining("0 test and 3 training");
    }

    private static Set<Integer> rowIds(Dataset d) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            ids.add((int) d.get(i, 0));
        }
        return ids;
    }
}
