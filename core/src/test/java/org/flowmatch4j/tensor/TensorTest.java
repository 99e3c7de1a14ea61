package org.flowmatch4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Tensor semantics against naive loops: broadcasting, reductions, permutations, structure, matmul. */
class TensorTest {
    private final Rng rng = new Rng(99);

    /** Row-major multi-index of a flat index. */
    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** Value of {@code t} at the broadcast multi-index {@code idx} (of a higher or equal rank). */
    private static double atBroadcast(Tensor t, int[] idx) {
        int[] s = t.shape();
        int[] own = new int[s.length];
        int off = idx.length - s.length;
        for (int i = 0; i < s.length; i++) {
            own[i] = s[i] == 1 ? 0 : idx[i + off];
        }
        return s.length == 0 ? t.item() : t.get(own);
    }

    @Test
    void broadcastingArithmeticMatchesNaiveIndexing() {
        int[][][] pairs = {
            {{3, 4}, {4}}, {{3, 1}, {1, 4}}, {{2, 1, 4}, {3, 1}}, {{}, {2, 3}}, {{5}, {}}, {{2, 3, 4}, {2, 3, 4}},
            {{1, 3, 1}, {2, 1, 5}}, {{4, 1}, {4, 6}},
        };
        for (DType dt : DType.values()) {
            for (int[][] p : pairs) {
                Tensor a = rng.normal(dt, p[0]);
                Tensor b = rng.uniform(dt, 0.5, 2, p[1]);
                for (BinaryOp op : BinaryOp.values()) {
                    Tensor c = a.zip(op, b);
                    int[] cs = c.shape();
                    int rank = Math.max(p[0].length, p[1].length);
                    assertThat(cs.length).isEqualTo(rank);
                    for (int i = 0; i < c.numel(); i++) {
                        int[] idx = unravel(i, cs);
                        double expected = op.apply(atBroadcast(a, idx), atBroadcast(b, idx));
                        if (dt == DType.FLOAT32) {
                            expected = (float) expected;
                        }
                        assertThat(Double.valueOf(c.getDouble(i))).as("%s %s %s %s at %s", dt, op, Arrays.toString(p[0]), Arrays.toString(p[1]),
                                Arrays.toString(idx)).isEqualTo(Double.valueOf(expected)); // equals: NaN == NaN
                    }
                }
            }
        }
    }

    @Test
    void broadcastShapesAndErrorsNameOpAndShapes() {
        assertThat(Shapes.broadcast("add", new int[] {8, 1, 6, 1}, new int[] {7, 1, 5})).containsExactly(8, 7, 6, 5);
        assertThat(Shapes.broadcast("add", new int[] {0, 3}, new int[] {1, 3})).containsExactly(0, 3);
        Tensor a = Tensor.zeros(DType.FLOAT32, 3, 4);
        Tensor b = Tensor.zeros(DType.FLOAT32, 3);
        assertThatThrownBy(() -> a.add(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add").hasMessageContaining("[3, 4]").hasMessageContaining("[3]");
        assertThatThrownBy(() -> a.mul(Tensor.zeros(DType.FLOAT32, 2, 1, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mul").hasMessageContaining("[3, 4]").hasMessageContaining("[2, 1, 5]");
        assertThatThrownBy(() -> a.add(Tensor.zeros(DType.FLOAT64, 3, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float32").hasMessageContaining("float64");
        assertThatThrownBy(() -> a.matmul(Tensor.zeros(DType.FLOAT32, 3, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matmul").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> Tensor.zeros(DType.FLOAT32, 2, 3, 4).matmul(Tensor.zeros(DType.FLOAT32, 3, 4, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2]").hasMessageContaining("[3]");
        assertThatThrownBy(() -> a.broadcastTo(4, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broadcastTo");
        assertThatThrownBy(() -> a.broadcastTo(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broadcastTo");
        assertThatThrownBy(() -> a.sumTo(2, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sumTo");
        assertThatThrownBy(() -> a.sumTo(1, 3, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sumTo");
    }

    @Test
    void scalarOpsAndUnaryMaps() {
        Tensor a = rng.normal(DType.FLOAT64, 3, 5);
        for (int i = 0; i < a.numel(); i++) {
            double x = a.getDouble(i);
            assertThat(a.add(2.0).getDouble(i)).isEqualTo(x + 2.0);
            assertThat(a.mul(-3.0).getDouble(i)).isEqualTo(x * -3.0);
            assertThat(a.pow(3.0).getDouble(i)).isCloseTo(x * x * x, within(1e-14));
            assertThat(a.pow(2.0).getDouble(i)).isEqualTo(x * x);
            assertThat(a.neg().getDouble(i)).isEqualTo(-x);
            assertThat(a.exp().getDouble(i)).isEqualTo(Math.exp(x));
            assertThat(a.abs().getDouble(i)).isEqualTo(Math.abs(x));
            assertThat(a.sign().getDouble(i)).isEqualTo(Math.signum(x));
            assertThat(a.sin().getDouble(i)).isEqualTo(Math.sin(x));
            assertThat(a.cos().getDouble(i)).isEqualTo(Math.cos(x));
            assertThat(a.tanh().getDouble(i)).isEqualTo(Math.tanh(x));
            assertThat(a.gt(0.1).getDouble(i)).isEqualTo(x > 0.1 ? 1.0 : 0.0);
        }
    }

    @Test
    void reductionsAlongAxesMatchNaiveLoops() {
        int[] shape = {3, 4, 5};
        for (DType dt : DType.values()) {
            Tensor t = rng.normal(dt, shape);
            double total = 0;
            double mx = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < t.numel(); i++) {
                total += t.getDouble(i);
                mx = Math.max(mx, t.getDouble(i));
            }
            assertThat(t.sum().rank()).isZero();
            assertThat(t.sum().item()).isCloseTo(total, within(1e-5));
            assertThat(t.mean().item()).isCloseTo(total / 60, within(1e-6));
            assertThat(t.max().item()).isEqualTo(mx);
            for (int axis = 0; axis < 3; axis++) {
                Tensor s = t.sum(axis, false);
                Tensor sk = t.sum(axis, true);
                Tensor m = t.mean(axis - 3, false);
                Tensor x = t.max(axis, false);
                int[] arg = t.argmax(axis);
                int[] red = shape.clone();
                red[axis] = 1;
                assertThat(sk.shape()).isEqualTo(red);
                assertThat(s.rank()).isEqualTo(2);
                for (int o = 0; o < sk.numel(); o++) {
                    int[] idx = unravel(o, red);
                    double sum = 0;
                    double best = Double.NEGATIVE_INFINITY;
                    int bestK = -1;
                    for (int k = 0; k < shape[axis]; k++) {
                        idx[axis] = k;
                        double v = t.get(idx);
                        sum += v;
                        if (v > best) {
                            best = v;
                            bestK = k;
                        }
                    }
                    assertThat(s.getDouble(o)).isCloseTo(sum, within(1e-5));
                    assertThat(sk.getDouble(o)).isEqualTo(s.getDouble(o));
                    assertThat(m.getDouble(o)).isCloseTo(sum / shape[axis], within(1e-6));
                    assertThat(x.getDouble(o)).isEqualTo(best);
                    assertThat(arg[o]).isEqualTo(bestK);
                }
            }
            assertThatThrownBy(() -> t.sum(3, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum");
        }
    }

    @Test
    void argmaxTakesFirstOnTies() {
        Tensor t = Tensor.of(new double[] {1, 3, 3, 2, 2, 0}, 2, 3);
        assertThat(t.argmax(1)).containsExactly(1, 0);
        assertThat(t.argmax(0)).containsExactly(1, 0, 0);
    }

    @Test
    void permuteAndTransposeMoveElements() {
        Tensor t = rng.normal(DType.FLOAT64, 2, 3, 4);
        int[] perm = {2, 0, 1};
        Tensor p = t.permute(perm);
        assertThat(p.shape()).containsExactly(4, 2, 3);
        for (int i = 0; i < p.numel(); i++) {
            int[] o = unravel(i, p.shape());
            int[] src = new int[3];
            for (int k = 0; k < 3; k++) {
                src[perm[k]] = o[k];
            }
            assertThat(p.getDouble(i)).isEqualTo(t.get(src));
        }
        // the inverse permutation restores the tensor
        assertThat(p.permute(1, 2, 0).toDoubleArray()).isEqualTo(t.toDoubleArray());
        Tensor tr = t.transpose(0, 2);
        assertThat(tr.shape()).containsExactly(4, 3, 2);
        assertThat(tr.get(3, 1, 0)).isEqualTo(t.get(0, 1, 3));
        assertThat(t.transpose(-1, -2).get(1, 3, 2)).isEqualTo(t.get(1, 2, 3));
        Tensor m = rng.normal(DType.FLOAT32, 3, 5);
        assertThat(m.t().t().toDoubleArray()).isEqualTo(m.toDoubleArray());
        assertThat(m.t().get(4, 2)).isEqualTo(m.get(2, 4));
        assertThatThrownBy(() -> t.permute(0, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permute");
        assertThatThrownBy(() -> t.permute(0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permute");
        assertThatThrownBy(t::t).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concatAndSliceRoundTrip() {
        for (int axis = 0; axis < 3; axis++) {
            Tensor t = rng.normal(DType.FLOAT32, 4, 5, 6);
            int n = t.size(axis);
            Tensor a = t.slice(axis, 0, 1);
            Tensor b = t.slice(axis, 1, 3);
            Tensor c = t.slice(axis, 3, n);
            Tensor e = t.slice(axis, 2, 2);
            assertThat(e.size(axis)).isZero();
            Tensor back = Tensor.concat(axis, a, e, b, c);
            assertThat(back.shape()).isEqualTo(t.shape());
            assertThat(back.toDoubleArray()).isEqualTo(t.toDoubleArray());
            // slice contents against indexing
            for (int i = 0; i < b.numel(); i++) {
                int[] idx = unravel(i, b.shape());
                idx[axis] += 1;
                assertThat(b.getDouble(i)).isEqualTo(t.get(idx));
            }
        }
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3);
        assertThatThrownBy(() -> x.slice(1, 2, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slice");
        assertThatThrownBy(() -> Tensor.concat(0, x, Tensor.zeros(DType.FLOAT64, 2, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("concat").hasMessageContaining("[2, 3]").hasMessageContaining("[2, 4]");
    }

    @Test
    void gatherAndScatterAddRowsAreAdjoint() {
        Tensor x = rng.normal(DType.FLOAT64, 5, 3);
        int[] idx = {4, 0, 4, 2, 4};
        Tensor g = x.gatherRows(idx);
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(g.get(i, j)).isEqualTo(x.get(idx[i], j));
            }
        }
        Tensor y = rng.normal(DType.FLOAT64, 5, 3);
        // <gather(x), y> = <x, scatterAdd(y)>
        double lhs = g.mul(y).sum().item();
        double rhs = x.mul(y.scatterAddRows(idx, 5)).sum().item();
        assertThat(lhs).isCloseTo(rhs, within(1e-12));
        assertThat(y.scatterAddRows(idx, 5).get(4, 1)).isCloseTo(y.get(0, 1) + y.get(2, 1) + y.get(4, 1), within(1e-15));
        assertThatThrownBy(() -> x.gatherRows(new int[] {5})).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> y.scatterAddRows(new int[] {1, 2}, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whereBroadcastsAllThree() {
        Tensor cond = Tensor.of(new double[] {1, 0}, 2, 1);
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor b = Tensor.scalar(DType.FLOAT64, -1);
        Tensor w = Tensor.where(cond, a, b);
        assertThat(w.shape()).containsExactly(2, 3);
        assertThat(w.toDoubleArray()).containsExactly(1, 2, 3, -1, -1, -1);
    }

    private static double naive(Tensor a, boolean ta, Tensor b, boolean tb, int[] ia, int[] ib, int i, int j, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            double x = a.get(concat(ia, ta ? new int[] {p, i} : new int[] {i, p}));
            double y = b.get(concat(ib, tb ? new int[] {j, p} : new int[] {p, j}));
            s += x * y;
        }
        return s;
    }

    private static double naiveAbs(Tensor a, boolean ta, Tensor b, boolean tb, int[] ia, int[] ib, int i, int j, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            double x = a.get(concat(ia, ta ? new int[] {p, i} : new int[] {i, p}));
            double y = b.get(concat(ib, tb ? new int[] {j, p} : new int[] {p, j}));
            s += Math.abs(x * y);
        }
        return s;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private void checkMatmul(DType dt, int[] batchA, int[] batchB, int m, int n, int k, boolean ta, boolean tb) {
        Tensor a = rng.normal(dt, concat(batchA, ta ? new int[] {k, m} : new int[] {m, k}));
        Tensor b = rng.normal(dt, concat(batchB, tb ? new int[] {n, k} : new int[] {k, n}));
        Tensor c = a.matmul(b, ta, tb);
        int[] batch = Shapes.broadcast("test", batchA, batchB);
        assertThat(c.shape()).isEqualTo(concat(batch, new int[] {m, n}));
        double eps = dt == DType.FLOAT32 ? 1e-6 : 1e-15;
        int nb = Shapes.numel(batch);
        for (int bi = 0; bi < nb; bi++) {
            int[] idx = unravel(bi, batch);
            int[] ia = new int[batchA.length];
            int[] ib = new int[batchB.length];
            for (int q = 0; q < batchA.length; q++) {
                ia[q] = batchA[q] == 1 ? 0 : idx[q + batch.length - batchA.length];
            }
            for (int q = 0; q < batchB.length; q++) {
                ib[q] = batchB[q] == 1 ? 0 : idx[q + batch.length - batchB.length];
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = naive(a, ta, b, tb, ia, ib, i, j, k);
                    double bound = 4 * eps * (k + 2) * naiveAbs(a, ta, b, tb, ia, ib, i, j, k) + 1e-300;
                    double actual = c.get(concat(idx, new int[] {i, j}));
                    assertThat(Math.abs(actual - expected)).as("%s %dx%dx%d ta=%s tb=%s batch %s (%d,%d)", dt, m, n, k, ta, tb,
                            Arrays.toString(idx), i, j).isLessThanOrEqualTo(bound);
                }
            }
        }
    }

    @Test
    void matmulMatchesNaiveLoopsForOddShapesAndAllTransposes() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 19}, {5, 1, 9}, {1, 37, 4}, {31, 67, 45}, {9, 8, 300}, {65, 3, 129}};
        for (DType dt : DType.values()) {
            for (int[] s : sizes) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        checkMatmul(dt, new int[0], new int[0], s[0], s[1], s[2], ta, tb);
                    }
                }
            }
            checkMatmul(dt, new int[] {2}, new int[0], 5, 6, 7, false, false);
            checkMatmul(dt, new int[] {1}, new int[] {3}, 5, 6, 7, true, false);
            checkMatmul(dt, new int[] {2, 1}, new int[] {3}, 4, 9, 3, false, true);
            checkMatmul(dt, new int[0], new int[] {2, 2}, 3, 33, 5, true, true);
        }
    }

    @Test
    void matmulWithEmptyInnerDimensionGivesZeros() {
        Tensor c = Tensor.ones(DType.FLOAT32, 3, 0).matmul(Tensor.ones(DType.FLOAT32, 0, 4));
        assertThat(c.shape()).containsExactly(3, 4);
        assertThat(c.toDoubleArray()).containsOnly(0.0);
    }

    @Test
    void sumToIsTheAdjointOfBroadcastTo() {
        int[][][] pairs = {{{4}, {3, 4}}, {{3, 1}, {2, 3, 5}}, {{}, {2, 3}}, {{1, 1}, {4, 2}}, {{2, 1, 3}, {2, 4, 3}}, {{5}, {5}}};
        for (int[][] p : pairs) {
            Tensor a = rng.normal(DType.FLOAT64, p[0]);
            Tensor b = rng.normal(DType.FLOAT64, p[1]);
            Tensor ba = a.broadcastTo(p[1]);
            assertThat(ba.shape()).isEqualTo(p[1]);
            Tensor sb = b.sumTo(p[0]);
            assertThat(sb.shape()).isEqualTo(p[0]);
            double lhs = ba.mul(b).sum().item();
            double rhs = a.mul(sb).sum().item();
            assertThat(lhs).as("%s -> %s", Arrays.toString(p[0]), Arrays.toString(p[1])).isCloseTo(rhs, within(1e-12));
            // and broadcastTo equals implicit broadcasting
            assertThat(ba.toDoubleArray()).isEqualTo(Tensor.zeros(DType.FLOAT64, p[1]).add(a).toDoubleArray());
        }
    }

    @Test
    void allFiniteDetectsNanAndInfinities() {
        for (DType dt : DType.values()) {
            Tensor t = rng.normal(dt, 4, 4);
            assertThat(t.allFinite()).isTrue();
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                Tensor c = t.copy();
                c.setDouble(13, bad);
                assertThat(c.allFinite()).as("%s %s", dt, bad).isFalse();
            }
            Tensor big = t.copy();
            big.setDouble(0, 1e300); // overflows float32 to +Inf
            assertThat(big.allFinite()).isEqualTo(dt == DType.FLOAT64);
        }
    }

    @Test
    void reshapeWithInferredAxisAndErrors() {
        Tensor t = rng.normal(DType.FLOAT32, 2, 3, 4);
        assertThat(t.reshape(-1).shape()).containsExactly(24);
        assertThat(t.reshape(6, -1).shape()).containsExactly(6, 4);
        assertThat(t.reshape(-1, 2, 3).shape()).containsExactly(4, 2, 3);
        assertThat(t.reshape(4, 6).toDoubleArray()).isEqualTo(t.toDoubleArray());
        assertThat(Tensor.zeros(DType.FLOAT32, 0, 3).reshape(-1, 3).shape()).containsExactly(0, 3);
        assertThatThrownBy(() -> t.reshape(5, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reshape").hasMessageContaining("[2, 3, 4]").hasMessageContaining("[5, -1]");
        assertThatThrownBy(() -> t.reshape(-1, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> t.reshape(5, 5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reshape");
        assertThatThrownBy(() -> t.reshape(-2, -12)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.reshape(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructionAccessAndConversion() {
        Tensor t = Tensor.fromRows(DType.FLOAT64, new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(t.get(1, 2)).isEqualTo(6);
        assertThat(t.to(DType.FLOAT32).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(t.to(DType.FLOAT32).toDoubleArray()).isEqualTo(t.toDoubleArray());
        assertThat(Tensor.scalar(DType.FLOAT32, 2.5).rank()).isZero();
        assertThat(Tensor.scalar(DType.FLOAT32, 2.5).item()).isEqualTo(2.5);
        assertThatThrownBy(() -> t.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Tensor.of(new double[5], 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(t::item).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(t::floatData).isInstanceOf(IllegalStateException.class);
        Tensor c = t.copy();
        c.setDouble(0, 42);
        assertThat(t.getDouble(0)).isEqualTo(1);
        assertThat(t.allClose(t.add(1e-9), 0, 1e-8)).isTrue();
        assertThat(t.allClose(t.add(1e-7), 0, 1e-8)).isFalse();
    }
}
