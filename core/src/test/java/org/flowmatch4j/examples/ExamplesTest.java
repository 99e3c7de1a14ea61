package org.flowmatch4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.flowmatch4j.eval.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented examples run as written (on short training) and produce sensible figures. */
class ExamplesTest {
    @Test
    void quickStartTrainsSamplesScoresAndReloads(@TempDir Path dir) throws Exception {
        double meanLogp = FlowMatchingQuickStart.run(600, dir.resolve("m"));
        assertThat(meanLogp).isBetween(-4.0, 1.0);
        assertThat(dir.resolve("m").resolve("model.safetensors")).isRegularFile();
    }

    @Test
    void lineageExampleEvaluatesEveryFamily() {
        Map<String, EvaluationResult> r = LineageExample.run(300, 5);
        assertThat(r).containsOnlyKeys("fm", "diffusion", "cnf", "nf");
        r.values().forEach(e -> assertThat(e.testNll()).isFinite());
        assertThat(r.get("fm").w2().value()).isLessThan(2.0);
    }
}
