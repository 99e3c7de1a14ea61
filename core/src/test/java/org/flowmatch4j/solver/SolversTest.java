package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SolversTest {

    @Test
    void parsesEveryCliNameCaseInsensitively() {
        assertThat(Solvers.names()).containsExactly("euler", "midpoint", "heun", "rk4", "dopri5");
        for (String name : Solvers.names()) {
            SolverMethod m = Solvers.parse(name);
            assertThat(m.cliName()).isEqualTo(name);
            assertThat(Solvers.parse(" " + name.toUpperCase() + " ")).isEqualTo(m);
            assertThat(Solvers.create(name, 10, AdaptiveOptions.defaults()).name()).isEqualTo(name);
        }
        assertThat(SolverMethod.DOPRI5.isAdaptive()).isTrue();
        assertThat(SolverMethod.RK4.isAdaptive()).isFalse();
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> Solvers.parse("rk45")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rk45'").hasMessageContaining("euler, midpoint, heun, rk4, dopri5");
        assertThatThrownBy(() -> Solvers.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid names");
    }

    @Test
    void createPassesStepsAndOptionsThrough() {
        OdeSolver rk4 = Solvers.create("rk4", 17, AdaptiveOptions.defaults());
        assertThat(rk4).isInstanceOf(RK4.class);
        assertThat(((FixedStepSolver) rk4).steps()).isEqualTo(17);
        AdaptiveOptions o = AdaptiveOptions.tolerances(1e-3, 1e-4).withMaxSteps(7);
        OdeSolver d = Solvers.create("dopri5", 17, o);
        assertThat(((DormandPrince54) d).options()).isEqualTo(o);
        assertThatThrownBy(() -> Solvers.create("heun", 0, o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heun");
    }

    @Test
    void onGridBuildsFixedStepSolversOnly() {
        double[] g = {1, 0.5, 0};
        FixedStepSolver s = Solvers.onGrid(SolverMethod.MIDPOINT, g);
        assertThat(s).isInstanceOf(Midpoint.class);
        assertThat(s.explicitGrid()).hasValueSatisfying(x -> assertThat(x).containsExactly(g));
        assertThatThrownBy(() -> Solvers.onGrid(SolverMethod.DOPRI5, g)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dopri5");
    }
}
