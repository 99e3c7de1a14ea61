package org.flowmatch4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The result and recording values are immutable and validate what they are given. */
class ResultRecordsTest {

    @Test
    void solutionCopiesItsState() {
        double[] y = {1, 2, 3};
        OdeSolution s = new OdeSolution(1.0, y, 4, 1, 0, Optional.empty());
        y[0] = 99;
        assertThat(s.state()).containsExactly(1, 2, 3);
        s.state()[1] = 99;
        assertThat(s.state(1)).isEqualTo(2);
        assertThat(s.copyStateInto(new double[3])).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> s.copyStateInto(new double[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length 2").hasMessageContaining("3");
        assertThat(s).isEqualTo(new OdeSolution(1.0, new double[] {1, 2, 3}, 4, 1, 0, Optional.empty()));
        assertThat(s.toString()).contains("nfe=4", "trajectory=none");
        assertThatThrownBy(() -> new OdeSolution(1.0, y, -1, 0, 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nfe=-1");
    }

    @Test
    void trajectoryCopiesDeeplyAndChecksShapes() {
        double[][] states = {{1, 2}, {3, 4}};
        double[] times = {0, 1};
        Trajectory t = new Trajectory(times, states);
        states[0][0] = 99;
        times[1] = 99;
        assertThat(t.component(0, 0)).isEqualTo(1);
        assertThat(t.time(1)).isEqualTo(1);
        t.states()[1][1] = 99;
        t.state(1)[1] = 99;
        assertThat(t.component(1, 1)).isEqualTo(4);
        assertThat(t.size()).isEqualTo(2);
        assertThatThrownBy(() -> new Trajectory(new double[] {0}, states)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 times but 2 states");
        assertThatThrownBy(() -> new Trajectory(times, new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state 1 has length 1");
    }

    @Test
    void atTimesValidatesAndCopies() {
        double[] ts = {0, 0.5, 1};
        Recording.AtTimes at = (Recording.AtTimes) Recording.atTimes(ts);
        ts[0] = 5;
        assertThat(at.times()).containsExactly(0, 0.5, 1);
        assertThat(Recording.atTimes(1, 0.5)).isEqualTo(Recording.atTimes(1, 0.5));
        assertThatThrownBy(() -> Recording.atTimes()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> Recording.atTimes(0, 0.5, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strictly monotone").hasMessageContaining("[0.0, 0.5, 0.5]");
        assertThatThrownBy(() -> Recording.atTimes(0, 1, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strictly monotone");
        assertThatThrownBy(() -> Recording.atTimes(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void dopri5RejectsOutputTimesOutsideOrAgainstTheDirection() {
        OdeSystem f = Problems.harmonic(1).system();
        DormandPrince54 d = new DormandPrince54();
        assertThatThrownBy(() -> d.solve(f, 0, new double[] {1, 0}, 1, Recording.atTimes(0.5, 1.2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2").hasMessageContaining("outside");
        assertThatThrownBy(() -> d.solve(f, 1, new double[] {1, 0}, 0, Recording.atTimes(0.2, 0.8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direction");
        assertThatThrownBy(() -> d.solve(f, 0, new double[] {1}, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dopri5").hasMessageContaining("length 1");
    }
}
