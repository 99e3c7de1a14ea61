package org.flowmatch4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.flowmatch4j.kernels.Activation;
import org.junit.jupiter.api.Test;

/**
 * The float32 fast paths of {@link Tensor} (vectorised activations, unit/zero-stride binary loops, row and column
 * sumTo) against naive references: bit-exact where the op is exact in float, within float32 rounding of the
 * float64 result where it is not.
 */
class TensorFastPathTest {
    private final Rng rng = new Rng(4242);

    /** Naive sumTo: every element added, in row-major order and in double, into its broadcast target cell. */
    private static double[] naiveSumTo(Tensor x, int[] target) {
        int[] s = x.shape();
        int r = s.length;
        int[] t = new int[r];
        Arrays.fill(t, 1);
        System.arraycopy(target, 0, t, r - target.length, target.length);
        double[] acc = new double[Shapes.numel(target)];
        int[] idx = new int[r];
        for (int p = 0; p < x.numel(); p++) {
            int rem = p;
            for (int i = r - 1; i >= 0; i--) {
                idx[i] = rem % s[i];
                rem /= s[i];
            }
            int off = 0;
            for (int i = 0; i < r; i++) {
                off = off * t[i] + (t[i] == 1 ? 0 : idx[i]);
            }
            acc[off] += x.getDouble(p);
        }
        return acc;
    }

    @Test
    void sumToMatchesNaiveAccumulationExactly() {
        int[][][] cases = {
            {{7, 5}, {5}}, {{7, 5}, {1, 5}}, {{7, 5}, {7, 1}}, {{7, 5}, {}}, {{7, 5}, {1, 1}},
            {{2, 3, 4}, {3, 4}}, {{2, 3, 4}, {1, 1, 4}}, {{2, 3, 4}, {2, 1, 1}}, {{2, 3, 4}, {2, 3, 1}},
            {{2, 3, 4}, {3, 1}}, {{2, 3, 4}, {1, 3, 1}}, {{2, 3, 4}, {2, 1, 4}}, {{1, 5}, {5}}, {{3, 1, 4}, {1, 4}},
            {{3, 1, 4}, {3, 1, 1}}, {{256, 64}, {64}}, {{0, 5}, {5}}, {{4, 0}, {4, 1}},
        };
        for (DType dt : DType.values()) {
            for (int[][] c : cases) {
                Tensor x = rng.normal(dt, c[0]);
                Tensor s = x.sumTo(c[1]);
                assertThat(s.shape()).isEqualTo(c[1]);
                double[] expected = naiveSumTo(x, c[1]);
                for (int i = 0; i < expected.length; i++) {
                    double e = dt == DType.FLOAT32 ? (float) expected[i] : expected[i];
                    assertThat(s.getDouble(i)).as("%s %s -> %s at %d", dt, Arrays.toString(c[0]), Arrays.toString(c[1]), i)
                            .isEqualTo(e);
                }
            }
        }
    }

    @Test
    void longRowsScalarsAndBiasRowsMatchNaiveArithmeticExactly() {
        // rows longer than a vector and not a multiple of one, so that vector loops and their tails both run
        int[][][] pairs = {{{37, 70}, {70}}, {{37, 70}, {1, 70}}, {{37, 70}, {}}, {{}, {37, 70}}, {{1}, {37, 70}},
            {{37, 70}, {37, 70}}, {{70}, {37, 70}}, {{3, 37, 70}, {37, 70}}};
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX};
        for (int[][] p : pairs) {
            Tensor a = rng.normal(DType.FLOAT32, p[0]);
            Tensor b = rng.uniform(DType.FLOAT32, 0.5, 2, p[1]);
            for (BinaryOp op : ops) {
                Tensor c = a.zip(op, b);
                Tensor ab = a.broadcastTo(c.shape());
                Tensor bb = b.broadcastTo(c.shape());
                for (int i = 0; i < c.numel(); i++) {
                    float expected = (float) op.apply(ab.getDouble(i), bb.getDouble(i));
                    assertThat((float) c.getDouble(i)).as("%s %s %s at %d", op, Arrays.toString(p[0]), Arrays.toString(p[1]), i)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void exactUnaryAndScalarOpsEqualTheRoundedDoubleResult() {
        Tensor x = rng.normal(DType.FLOAT32, 13, 11);
        Tensor neg = x.neg();
        Tensor sq = x.square();
        Tensor abs = x.abs();
        Tensor add = x.add(0.1);
        Tensor mul = x.mul(-1.0 / 3);
        for (int i = 0; i < x.numel(); i++) {
            double v = x.getDouble(i);
            assertThat(neg.getDouble(i)).isEqualTo((float) -v);
            assertThat(sq.getDouble(i)).isEqualTo((float) (v * v));
            assertThat(abs.getDouble(i)).isEqualTo((float) Math.abs(v));
            assertThat(add.getDouble(i)).isEqualTo((float) (v + 0.1));
            assertThat(mul.getDouble(i)).isEqualTo((float) (v * (-1.0 / 3)));
        }
        assertThat(neg.shape()).isEqualTo(new int[] {13, 11});
    }

    @Test
    void float32ActivationsAgreeWithFloat64() {
        Tensor x32 = rng.normal(DType.FLOAT32, 37, 29).mul(4);
        x32.setDouble(0, 0);
        x32.setDouble(1, 25);
        x32.setDouble(2, -30);
        Tensor x64 = x32.to(DType.FLOAT64);
        Tensor g32 = rng.normal(DType.FLOAT32, 37, 29);
        Tensor g64 = g32.to(DType.FLOAT64);
        for (Activation act : Activation.values()) {
            Tensor v32 = Tensor.zeros(DType.FLOAT32, 37, 29);
            Tensor v64 = Tensor.zeros(DType.FLOAT64, 37, 29);
            Tensor[][] pairs = {
                {x32.activation(act), x64.activation(act)},
                {x32.activationDerivative(act), x64.activationDerivative(act)},
                {x32.activationDerivative(act, v32), x64.activationDerivative(act, v64)},
                {v32, v64},
                {x32.activationSecondDerivative(act), x64.activationSecondDerivative(act)},
                {x32.activationSecondDerivative(act, g32), x64.activationSecondDerivative(act, g64)},
            };
            String[] names = {"act", "act'", "act' (with value)", "value beside act'", "act''", "g*act''"};
            for (int k = 0; k < pairs.length; k++) {
                Tensor f = pairs[k][0];
                Tensor d = pairs[k][1];
                assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
                assertThat(d.dtype()).isEqualTo(DType.FLOAT64);
                for (int i = 0; i < d.numel(); i++) {
                    double e = d.getDouble(i);
                    assertThat(f.getDouble(i)).as("%s %s at x = %s", act, names[k], x64.getDouble(i))
                            .isCloseTo(e, within(3e-6 * Math.abs(e) + 3e-6));
                }
            }
            // the value written beside the slope is the activation itself, bit for bit
            assertThat(v32.toDoubleArray()).isEqualTo(x32.activation(act).toDoubleArray());
            assertThat(v64.toDoubleArray()).isEqualTo(x64.activation(act).toDoubleArray());
            // and g ⊙ act'' is the product of the two separate results
            assertThat(x32.activationSecondDerivative(act, g32).toDoubleArray())
                    .isEqualTo(g32.mul(x32.activationSecondDerivative(act)).toDoubleArray());
        }
    }

    @Test
    void activationOutputsOfTheWrongShapeAreRefusedNamingBoth() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 3, 4);
        assertThatThrownBy(() -> x.activationDerivative(Activation.SILU, Tensor.zeros(DType.FLOAT32, 4, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> x.activationSecondDerivative(Activation.SILU, Tensor.zeros(DType.FLOAT64, 3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float64");
    }
}
