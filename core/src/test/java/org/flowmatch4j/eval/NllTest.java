package org.flowmatch4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NllTest {
    @Test
    void aUniformDensityOnACubeOfSideTwoCostsOneBitPerDimension() {
        // p = 2^-d on [0, 2]^d: log p = −d ln 2, NLL = d ln 2 nats, d ln 2 / (d ln 2) = 1 bit per dimension
        for (int d : new int[] {1, 2, 5, 784}) {
            double[] logp = {-d * Math.log(2), -d * Math.log(2), -d * Math.log(2)};
            double nll = Nll.mean(logp);
            assertThat(nll).isCloseTo(d * Math.log(2), within(1e-12 * d));
            assertThat(Nll.bitsPerDim(nll, d)).isCloseTo(1.0, within(1e-12));
        }
        // a standard normal in d dimensions: E NLL = (d/2)·ln(2πe), i.e. ½·log2(2πe) ≈ 2.047 bits per dimension
        assertThat(Nll.bitsPerDim(3 * 0.5 * Math.log(2 * Math.PI * Math.E), 3)).isCloseTo(2.0471, within(1e-4));
    }

    @Test
    void theMeanNegatesTheAverageLogDensity() {
        assertThat(Nll.mean(new double[] {-1, -2, -6})).isEqualTo(3.0);
        assertThatThrownBy(() -> Nll.mean(new double[0])).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Nll.bitsPerDim(1, 0)).hasMessageContaining("d >= 1");
    }
}
