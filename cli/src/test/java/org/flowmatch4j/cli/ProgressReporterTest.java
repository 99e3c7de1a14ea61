package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.flowmatch4j.train.StepInfo;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private static String run(boolean interactive, long steps) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressReporter p = new ProgressReporter(new PrintStream(buf, true, StandardCharsets.UTF_8), interactive);
        p.onStart(steps);
        StepInfo last = null;
        for (long s = 1; s <= steps; s++) {
            // loss 2 in the first half, 1 in the second; 1000 steps per second
            last = new StepInfo(s, s <= steps / 2 ? 2.0 : 1.0, Double.NaN, s / 1000.0);
            p.onStep(last);
        }
        p.onEnd(last);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalItPrintsOneLineEveryTenthWithTheMeanLossOfThatTenth() {
        String out = run(false, 200);
        String[] lines = out.strip().split("\n");
        assertThat(lines).hasSize(10);
        assertThat(lines[0]).isEqualTo("step 20/200  loss 2.0000  1000 steps/s");
        assertThat(lines[9]).isEqualTo("step 200/200  loss 1.0000  1000 steps/s");
        assertThat(out).doesNotContain("\r");
    }

    @Test
    void onATerminalItRedrawsOneBarInPlaceAndEndsTheLine() {
        String out = run(true, 50);
        assertThat(out).startsWith("\r").endsWith("\n");
        assertThat(out.strip().split("\n")).hasSize(1);
        String lastFrame = out.substring(out.lastIndexOf('\r') + 1).strip();
        assertThat(lastFrame).startsWith("train [============================] 100%  50/50  loss ").contains("1000 steps/s").endsWith("ETA 0:00");
    }
}
