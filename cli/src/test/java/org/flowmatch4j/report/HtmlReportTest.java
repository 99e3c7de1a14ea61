package org.flowmatch4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void textIsEscapedAndImagesAreEmbedded() throws IOException {
        Figure fig = Figure.single(new Panel("p").add(LinePlot.of(new double[] {0, 1}, new double[] {0, 1}, java.awt.Color.BLACK)), 200, 150);
        HtmlReport r = new HtmlReport("<script>alert('x')</script>", "a & b")
                .section("S <1>").paragraph("x < y").note("n \"q\"")
                .figure(fig.toPng(), fig.width(), fig.height(), "alt \"text\"", "caption <b>")
                .table(List.of("metric", "value"), List.of(List.of("w2 <", "0.5"), List.of("name", "a&b")))
                .code("{\"k\": \"<v>\"}");
        String html = r.toHtml();
        assertThat(r.figureCount()).isEqualTo(1);
        assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("a &amp; b").contains("S &lt;1&gt;").contains("x &lt; y").contains("caption &lt;b&gt;").contains("alt=\"alt &quot;text&quot;\"")
                .contains("<td class=\"num\">0.5</td>").contains("<td>a&amp;b</td>").contains("{&quot;k&quot;: &quot;&lt;v&gt;&quot;}")
                .startsWith("<!DOCTYPE html>");
        // exactly one script: the inline image check
        assertThat(html.split("<script>", -1)).hasSize(2);
        List<BufferedImage> images = ReportAssertions.assertSelfContained(html);
        assertThat(images).hasSize(1);
        assertThat(images.get(0).getWidth()).isEqualTo(200);
    }

    @Test
    void theSelfContainmentCheckCatchesExternalResources() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportAssertions.assertSelfContained("<img src=\"https://example.org/x.png\">"))
                .isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportAssertions.assertSelfContained("<img src=\"data:image/png;base64,AAAA\">"))
                .isInstanceOf(AssertionError.class);
    }
}
