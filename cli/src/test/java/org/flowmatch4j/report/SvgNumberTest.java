package org.flowmatch4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** SVG coordinates: two decimals at most, no trailing zero, the same text as rounding with String.format. */
class SvgNumberTest {
    private static String reference(double v) {
        long r = Math.round(v * 100);
        if (r % 100 == 0) {
            return Long.toString(r / 100);
        }
        String s = String.format(Locale.ROOT, "%.2f", r / 100.0);
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }

    @Test
    void matchesFormattedRounding() {
        double[] edge = {0, -0.0, 0.004, -0.004, 0.005, -0.005, 0.05, -0.05, 0.1, -0.1, 1.5, -1.25, 99.999, -99.999, 12345.678, 1e9 + 0.01};
        for (double v : edge) {
            assertThat(SvgSurface.f(v)).as("%s", v).isEqualTo(reference(v));
        }
        Random r = new Random(4);
        for (int i = 0; i < 20000; i++) {
            double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(6));
            assertThat(SvgSurface.f(v)).as("%s", v).isEqualTo(reference(v));
        }
        assertThat(SvgSurface.f(Double.NaN)).isEqualTo("0");
    }
}
