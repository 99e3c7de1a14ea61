package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TensorFieldSystemTest {
    private static final int BATCH = 3;
    private static final int DIM = 2;

    /** v(t, x) = −t·x with t broadcast per row: x(t) = x0·exp(−t²/2). */
    private static Tensor field(Tensor t, Tensor x) {
        assertThat(t.shape()).containsExactly(BATCH);
        assertThat(x.shape()).containsExactly(BATCH, DIM);
        return x.mul(t.reshape(BATCH, 1)).mul(-1.0);
    }

    @Test
    void solvesABatchedTensorFieldInBothDtypes() {
        double[] y0 = {1, -2, 0.5, 3, -1, 0.25};
        double g = Math.exp(-0.5);
        for (DType dtype : DType.values()) {
            TensorFieldSystem sys = new TensorFieldSystem(TensorFieldSystemTest::field, BATCH, DIM, dtype);
            assertThat(sys.dimension()).isEqualTo(6);
            OdeSolution s = new RK4(20).solve(sys, 0, y0, 1);
            assertThat(sys.evaluations()).isEqualTo(80);
            // float32 inputs bound the accuracy, float64 reaches the method's error
            double tol = dtype == DType.FLOAT32 ? 2e-6 : 1e-7;
            for (int i = 0; i < y0.length; i++) {
                assertThat(s.state(i)).as("%s component %d", dtype, i).isCloseTo(y0[i] * g, within(tol * 3));
            }
            // and backward returns to the start
            OdeSolution back = new RK4(20).solve(sys, 1, s.state(), 0);
            assertThat(Problems.maxAbsDiff(back.state(), y0)).isLessThan(dtype == DType.FLOAT32 ? 1e-5 : 1e-7);
        }
    }

    @Test
    void wrongOutputShapeIsReported() {
        TensorFieldSystem sys = new TensorFieldSystem((t, x) -> Tensor.zeros(DType.FLOAT32, BATCH, DIM + 1), BATCH, DIM,
                DType.FLOAT32);
        assertThatThrownBy(() -> sys.derivative(0, new double[6], new double[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 3]").hasMessageContaining("[3, 2]");
        assertThatThrownBy(() -> new TensorFieldSystem(TensorFieldSystemTest::field, 0, DIM, DType.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch=0");
    }

    @Test
    void flattenAndUnflattenRoundTrip() {
        Tensor x = Tensor.of(new float[] {1.5f, -2, 3, 4.25f}, 2, 2);
        double[] y = TensorFieldSystem.flatten(x);
        assertThat(y).containsExactly(1.5, -2, 3, 4.25);
        Tensor back = TensorFieldSystem.unflatten(y, 2, 2, DType.FLOAT32);
        assertThat(back.floatData()).containsExactly(x.floatData());
        assertThat(TensorFieldSystem.unflatten(y, 2, 2, DType.FLOAT64).doubleData()).containsExactly(y);
        assertThatThrownBy(() -> TensorFieldSystem.unflatten(y, 3, 2, DType.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 values");
        assertThatThrownBy(() -> TensorFieldSystem.flatten(Tensor.zeros(DType.FLOAT32, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4]");
    }
}
