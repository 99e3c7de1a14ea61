package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowmatch4j.cli.FlowCommandsTest.Run;
import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.flowmatch4j.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowmatch compare} on a tiny budget: the JSON rows, the self-contained page and the model directories. */
class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void compareWritesRowsPageAndModels() throws IOException {
        Path out = dir.resolve("cmp");
        Run r = FlowCommandsTest.run("compare", "--data", "moons", "--steps", "40", "--n", "150", "--hidden", "8", "--layers", "2",
                "--batch", "64", "--threads", "1", "--methods", "fm,fm-ot,nf,diffusion,reflow", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject o = Json.parseObject(r.last(), "stdout");
        List<Object> rows = o.list("rows");
        assertThat(rows).hasSize(5);
        for (Object row : rows) {
            @SuppressWarnings("unchecked")
            JsonObject j = new JsonObject((java.util.Map<String, Object>) row, "row");
            assertThat(j.keys()).contains("method", "train_seconds", "steps", "test_nll", "w2_euler10", "w2_euler100", "w2_dopri5",
                    "nfe_dopri5", "straightness");
            assertThat(j.integer("steps")).isEqualTo(40);
            assertThat(j.number("w2_dopri5")).isFinite();
            assertThat(Models.load(out.resolve("models").resolve(j.string("method"))).method())
                    .isEqualTo(j.string("method").startsWith("fm") ? "fm" : j.string("method"));
        }
        String html = Files.readString(out.resolve("compare.html"));
        assertThat(html).contains("<table>").contains("data:image/png;base64,").doesNotContain("src=\"http").doesNotContain("href=\"http");
        assertThat(Files.readString(out.resolve("compare.json"))).contains("\"rows\"");
    }

    @Test
    void badOptionsAreUsageErrors() {
        Path out = dir.resolve("x");
        Run both = FlowCommandsTest.run("compare", "--data", "moons", "--steps", "5", "--budget-seconds", "3", "--out", out.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("either --budget-seconds or --steps");
        Run reflowAlone = FlowCommandsTest.run("compare", "--data", "moons", "--steps", "5", "--methods", "reflow", "--out", out.toString());
        assertThat(reflowAlone.code()).isEqualTo(2);
        assertThat(reflowAlone.err()).contains("reflow needs fm");
        Run unknown = FlowCommandsTest.run("compare", "--data", "moons", "--steps", "5", "--methods", "fm,gan", "--out", out.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown method 'gan'");
        assertThat(out).doesNotExist();
    }
}
