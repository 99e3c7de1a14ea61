package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ActivationTest {
    static final double[] XS = {-7.5, -3.2, -1.7, -0.9, -0.31, -0.02, 0.013, 0.27, 0.8, 1.3, 2.6, 4.1, 9.0, 15.0};

    @Test
    void derivativesMatchCentralFiniteDifferences() {
        double h = 1e-5;
        for (Activation act : Activation.values()) {
            for (double x : XS) {
                double fd1 = (act.apply(x + h) - act.apply(x - h)) / (2 * h);
                double fd2 = (act.derivative(x + h) - act.derivative(x - h)) / (2 * h);
                assertThat(act.derivative(x)).as("%s' at %s", act, x).isCloseTo(fd1, within(1e-8 * (1 + Math.abs(fd1))));
                assertThat(act.secondDerivative(x)).as("%s'' at %s", act, x).isCloseTo(fd2, within(1e-7 * (1 + Math.abs(fd2))));
            }
        }
    }

    @Test
    void knownValues() {
        assertThat(Activation.RELU.apply(-2)).isEqualTo(0.0);
        assertThat(Activation.SIGMOID.apply(0)).isEqualTo(0.5);
        assertThat(Activation.SILU.apply(1)).isCloseTo(0.7310585786300049, within(1e-15));
        assertThat(Activation.SOFTPLUS.apply(0)).isCloseTo(Math.log(2), within(1e-15));
        assertThat(Activation.SOFTPLUS.apply(25)).isEqualTo(25.0);
        assertThat(Activation.SOFTPLUS.apply(-800)).isEqualTo(0.0);
        assertThat(Activation.SELU.apply(1)).isCloseTo(1.0507009873554805, within(1e-15));
        assertThat(Activation.SELU.apply(-1)).isCloseTo(1.0507009873554805 * 1.6732632423543772 * Math.expm1(-1), within(1e-15));
        // torch.nn.functional.gelu(torch.tensor(1.0, dtype=torch.float64)) = 0.8413447460685429
        assertThat(Activation.GELU.apply(1)).isCloseTo(0.8413447460685429, within(1e-15));
        assertThat(Activation.GELU.apply(-3)).isCloseTo(-0.004049694094890, within(1e-15));
        assertThat(Activation.SIGMOID.apply(-800)).isEqualTo(0.0);
        assertThat(Activation.SIGMOID.apply(800)).isEqualTo(1.0);
    }

    @Test
    void erfKnownValues() {
        assertThat(SpecialFunctions.erf(0)).isEqualTo(0.0);
        assertThat(SpecialFunctions.erf(0.1)).isCloseTo(0.1124629160182849, within(1e-15));
        assertThat(SpecialFunctions.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-15));
        assertThat(SpecialFunctions.erf(1.0)).isCloseTo(0.8427007929497149, within(1e-15));
        assertThat(SpecialFunctions.erf(-1.5)).isCloseTo(-0.9661051464753108, within(1e-15));
        assertThat(SpecialFunctions.erf(2.0)).isCloseTo(0.9953222650189527, within(1e-15));
        assertThat(SpecialFunctions.erf(3.5)).isCloseTo(0.9999992569016276, within(1e-15));
        assertThat(SpecialFunctions.erf(1e-20)).isCloseTo(1.1283791670955126e-20, within(1e-34));
        assertThat(SpecialFunctions.erfc(3.0) / 2.209049699858544e-05).isCloseTo(1.0, within(1e-14));
        assertThat(SpecialFunctions.erfc(6.0) / 2.1519736712498913e-17).isCloseTo(1.0, within(1e-14));
        assertThat(SpecialFunctions.erfc(10.0) / 2.088487583762545e-45).isCloseTo(1.0, within(1e-14));
        assertThat(SpecialFunctions.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(SpecialFunctions.erf(Double.NaN)).isNaN();
    }

    @Test
    void parseIsCaseInsensitiveAndListsValidNames() {
        assertThat(Activation.parse("SiLU")).isEqualTo(Activation.SILU);
        assertThat(Activation.parse(" gelu ")).isEqualTo(Activation.GELU);
        assertThatThrownBy(() -> Activation.parse("swish")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relu").hasMessageContaining("softplus");
    }
}
