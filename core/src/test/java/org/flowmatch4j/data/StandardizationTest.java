package org.flowmatch4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StandardizationTest {

    @Test
    void fitMatchesClosedFormMeanAndPopulationStd() {
        // column 0: 1,2,3,4 → mean 2.5, var 1.25; column 1: large offset 1e6 + {0, 2, 4, 6} → var 5
        Dataset ds = Dataset.of(new float[] {1, 1e6f, 2, 1e6f + 2, 3, 1e6f + 4, 4, 1e6f + 6}, 4, 2);
        Standardization s = Standardization.fit(ds);
        assertThat(s.mean()[0]).isCloseTo(2.5, within(1e-12));
        assertThat(s.mean()[1]).isCloseTo(1e6 + 3, within(1e-9));
        assertThat(s.std()[0]).isCloseTo(Math.sqrt(1.25), within(1e-12));
        assertThat(s.std()[1]).isCloseTo(Math.sqrt(5), within(1e-9));
        assertThat(s.logAbsDet()).isCloseTo(Math.log(Math.sqrt(1.25)) + Math.log(Math.sqrt(5)), within(1e-12));
    }

    @Test
    void appliedDataHasZeroMeanUnitStdAndInvertRecovers() {
        Rng rng = new Rng(2);
        int n = 5000;
        float[] x = new float[3 * n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = (float) (10 + 3 * rng.nextGaussian());
            x[3 * i + 1] = (float) (-2 + 0.01 * rng.nextDouble());
            x[3 * i + 2] = (float) (1e4 * rng.nextGaussian());
        }
        Dataset ds = Dataset.of(x, n, 3);
        Standardization s = Standardization.fit(ds);
        Dataset z = s.apply(ds);
        Standardization sz = Standardization.fit(z);
        for (int j = 0; j < 3; j++) {
            assertThat(sz.mean()[j]).isCloseTo(0, within(1e-5));
            assertThat(sz.std()[j]).isCloseTo(1, within(1e-5));
        }
        Dataset back = s.invert(z);
        float[] y = back.toArray();
        double worst = 0;
        for (int k = 0; k < 3 * n; k++) {
            // float32 rounding of z and of the result: a few ulps of the value plus ~1e-7 of the column scale
            double tol = 4 * Math.ulp(Math.abs(x[k])) + 1e-6 * s.std()[k % 3];
            worst = Math.max(worst, Math.abs(y[k] - x[k]) / tol);
        }
        assertThat(worst).isLessThanOrEqualTo(1.0);
        Tensor t64 = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor round = s.invert(Standardization.fit(ds).apply(Tensor.of(new double[] {10, -2, 0, 13, -1.995, 5e3}, 2, 3)));
        assertThat(round.doubleData()).containsExactly(new double[] {10, -2, 0, 13, -1.995, 5e3}, within(1e-9));
        assertThatThrownBy(() -> s.apply(t64)).hasMessageContaining("[n, 3]").hasMessageContaining("[3, 2]");
    }

    @Test
    void constantColumnOnlyCentredAndBadParametersRejected() {
        Standardization s = Standardization.fit(Dataset.of(new float[] {5, 1, 5, 2, 5, 3}, 3, 2));
        assertThat(s.std()[0]).isEqualTo(1.0);
        assertThat(s.apply(Dataset.of(new float[] {5, 2}, 1, 2)).row(0)).containsExactly(0f, 0f);
        assertThatThrownBy(() -> new Standardization(new double[] {0, 1}, new double[] {1, 0}))
                .hasMessageContaining("column 1").hasMessageContaining("std=0.0");
        assertThatThrownBy(() -> new Standardization(new double[] {0}, new double[] {1, 1})).hasMessageContaining("1 and 2");
        assertThatThrownBy(() -> s.apply(Dataset.of(new float[3], 1, 3))).hasMessageContaining("fitted for 2 columns, data has 3");
        double[] m = {1, 2};
        Standardization copy = new Standardization(m, new double[] {1, 1});
        m[0] = 7;
        assertThat(copy.mean()[0]).isEqualTo(1);
        assertThat(copy).isEqualTo(new Standardization(new double[] {1, 2}, new double[] {1, 1}));
    }
}
