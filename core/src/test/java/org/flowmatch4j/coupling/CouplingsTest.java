package org.flowmatch4j.coupling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CouplingsTest {
    @Test
    void parsesEveryName() {
        assertThat(Couplings.parse("independent")).isInstanceOf(IndependentCoupling.class);
        assertThat(Couplings.parse(" Exact-OT ")).isInstanceOf(ExactOtCoupling.class);
        SinkhornCoupling s = (SinkhornCoupling) Couplings.parse("sinkhorn");
        assertThat(s.epsilon()).isEqualTo(SinkhornCoupling.DEFAULT_EPSILON);
        assertThat(s.scale()).isEqualTo(EpsilonScale.MEAN_COST);
        assertThat(((SinkhornCoupling) Couplings.parse("sinkhorn:0.2")).epsilon()).isEqualTo(0.2);
        assertThat(((SchrodingerBridgeCoupling) Couplings.parse("schrodinger-bridge:0.3")).sigma()).isEqualTo(0.3);
        for (String name : Couplings.NAMES) {
            String spec = name.equals(SchrodingerBridgeCoupling.NAME) ? name + ":1" : name;
            assertThat(Couplings.parse(spec).name()).isEqualTo(name);
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> Couplings.parse("hungarian")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hungarian").hasMessageContaining("independent, exact-ot, sinkhorn, schrodinger-bridge");
        assertThatThrownBy(() -> Couplings.parse("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exact-ot");
        assertThatThrownBy(() -> Couplings.parse("sinkhorn:abc")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("abc");
        assertThatThrownBy(() -> Couplings.parse("sinkhorn:-1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> Couplings.parse("schrodinger-bridge")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigma");
        assertThatThrownBy(() -> Couplings.parse("exact-ot:3")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no parameter");
    }

    @Test
    void independentPairsRowsInOrder() {
        Rng rng = new Rng(1);
        Tensor x0 = rng.normal(DType.FLOAT32, 5, 2);
        Tensor x1 = rng.normal(DType.FLOAT64, 7, 2);
        CouplingPlan p = new IndependentCoupling().plan(x0, x1, null);
        assertThat(p.i0()).containsExactly(0, 1, 2, 3, 4);
        assertThat(p.i1()).containsExactly(0, 1, 2, 3, 4);
        assertThat(p.convergence()).isEqualTo(Convergence.DIRECT);
        CoupledBatch b = new IndependentCoupling().pair(x0, x0, null);
        assertThat(b.x0().toDoubleArray()).isEqualTo(x0.toDoubleArray());
        assertThat(b.plan().meanSquaredDistance(x0, x0)).isZero();
    }

    @Test
    void planRecordValidates() {
        assertThatThrownBy(() -> new CouplingPlan(new int[2], new int[3], Convergence.DIRECT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2").hasMessageContaining("3");
        assertThatThrownBy(() -> new Convergence(-1, 0, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Convergence(3, 1e-3, false).combine(new Convergence(7, 1e-5, true)))
                .isEqualTo(new Convergence(7, 1e-3, false));
    }
}
