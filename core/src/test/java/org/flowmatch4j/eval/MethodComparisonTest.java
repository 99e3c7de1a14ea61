package org.flowmatch4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.flowmatch4j.cnf.CnfSettings;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.DatasetSplit;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.model.Methods;
import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The comparison on a tiny budget: every method trained and scored on held-out data, with the documented shape. */
class MethodComparisonTest {
    @Test
    void everyMethodIsTrainedOnTheSameBudgetAndScored() {
        DatasetSplit split = ToyDatasets.generate("8gaussians", 4000, new Rng(1)).split(0.25, 2);
        Methods.Common c = new Methods.Common(16, 2, "silu", 1_000_000, 64, 2e-3, 0, 3, 1, "8gaussians");
        MethodComparison.Settings s = new MethodComparison.Settings(MethodComparison.METHODS, c, 0.6, 200, 500,
                CnfSettings.defaults(1, 3), 4, 50);
        List<String> seen = new java.util.ArrayList<>();
        MethodComparison.Result r = new MethodComparison(s).run(split.train(), split.test(), new MethodComparison.Progress() {
            @Override
            public void method(String name) {
                seen.add(name);
            }
        });
        assertThat(seen).containsExactlyElementsOf(MethodComparison.METHODS);
        assertThat(r.rows()).extracting(MethodComparison.Row::method).containsExactlyElementsOf(MethodComparison.METHODS);
        for (MethodComparison.Row row : r.rows()) {
            assertThat(row.steps()).as(row.method()).isPositive();
            assertThat(row.trainSeconds()).as(row.method()).isBetween(0.6, 30.0);
            assertThat(row.testNll()).as(row.method()).isFinite();
            assertThat(row.w2()).as(row.method()).containsOnlyKeys("euler1", "euler2", "euler4", "euler10", "euler100", "dopri5");
            assertThat(row.samples().get("dopri5")).hasSize(50 * 2);
            if (row.method().equals("nf")) {
                assertThat(row.nfe().values()).containsOnly(1L);
                assertThat(row.straightness()).isNaN();
                assertThat(row.w2().values().stream().distinct()).hasSize(1);
            } else {
                assertThat(row.nfe().get("euler10")).isEqualTo(10L);
                assertThat(row.straightness()).as(row.method()).isFinite().isPositive();
            }
        }
        MethodComparison.Row fm = r.rows().get(0);
        assertThat(fm.nllCurve().size()).as("NLL recorded during training and at the end").isGreaterThan(1);
        assertThat(fm.nllCurve().get(fm.nllCurve().size() - 1)[1]).isEqualTo(fm.testNll());
    }

    @Test
    void badSettingsAreRefused() {
        Methods.Common c = new Methods.Common(16, 2, "silu", 10, 64, 1e-3, 0, 3, 1, "x");
        assertThatThrownBy(() -> new MethodComparison.Settings(List.of("gan"), c, 0, 100, 10, CnfSettings.defaults(1, 1), 4, 10))
                .hasMessageContaining("unknown method 'gan'");
        assertThatThrownBy(() -> new MethodComparison.Settings(List.of("reflow"), c, 0, 100, 10, CnfSettings.defaults(1, 1), 4, 10))
                .hasMessageContaining("reflow needs fm");
        Dataset a = ToyDatasets.generate("moons", 100, new Rng(1));
        Dataset b = Dataset.of(new float[300], 100, 3);
        MethodComparison.Settings s = new MethodComparison.Settings(List.of("fm"), c, 0, 100, 10, CnfSettings.defaults(1, 1), 4, 10);
        assertThatThrownBy(() -> new MethodComparison(s).run(a, b, name -> { }))
                .hasMessageContaining("2 columns, held-out 3");
    }
}
