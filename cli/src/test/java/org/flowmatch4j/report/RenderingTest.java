package org.flowmatch4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class RenderingTest {
    private static final Color RED = new Color(255, 0, 0);

    @Test
    void aScatterOfKnownPointsColoursThePixelsTheAxesMapThemTo() {
        RasterSurface s = new RasterSurface(100, 100);
        Axes axes = new Axes(0, 0, 100, 100, new Bounds(0, 10, 0, 10), false, false);
        new ScatterPlot(new double[] {2, 7}, new double[] {3, 8}, RED, 3, null).draw(axes, s);
        BufferedImage img = s.image();
        // (2, 3) → column 20, row 100 − 30 = 70 (y up); (7, 8) → column 70, row 20
        assertThat(img.getRGB(20, 70) & 0xffffff).isEqualTo(0xff0000);
        assertThat(img.getRGB(70, 20) & 0xffffff).isEqualTo(0xff0000);
        assertThat(img.getRGB(20, 30) & 0xffffff).isEqualTo(0xffffff);
        assertThat(img.getRGB(50, 50) & 0xffffff).isEqualTo(0xffffff);
        int red = 0;
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    red++;
                    assertThat(Math.min(Math.hypot(x + 0.5 - 20, y + 0.5 - 70), Math.hypot(x + 0.5 - 70, y + 0.5 - 20)))
                            .as("coloured pixel (%d, %d) lies on a disc", x, y).isLessThan(3.6);
                }
            }
        }
        // two discs of radius 3: about 2·π·9 ≈ 57 pixels, antialiased edges included
        assertThat(red).isBetween(40, 90);
    }

    @Test
    void logarithmicAxesPutTheMiddleDecadeInTheMiddle() {
        Axes axes = new Axes(10, 20, 200, 100, new Bounds(1, 100, 1, 1000), true, true);
        assertThat(axes.px(10)).isCloseTo(110, within(1e-9));
        assertThat(axes.py(1000)).isCloseTo(20, within(1e-9));
        assertThat(axes.py(1)).isCloseTo(120, within(1e-9));
        assertThat(axes.py(Math.sqrt(1000))).isCloseTo(70, within(1e-9));
    }

    @Test
    void aHeatMapInterpolatesValuesAndColoursThemThroughTheMap() {
        // values grow with x only: 0 at the left column, 1 at the right
        double[] v = {0, 1, 0, 1};
        HeatMap h = new HeatMap(v, 2, 2, new Bounds(0, 1, 0, 1), ColorMap.VIRIDIS, 0, 1);
        BufferedImage img = h.render(100, 10);
        assertThat(img.getRGB(0, 5)).isEqualTo(ColorMap.VIRIDIS.argb(0.005));
        assertThat(img.getRGB(99, 5)).isEqualTo(ColorMap.VIRIDIS.argb(0.995));
        assertThat(img.getRGB(49, 0)).isEqualTo(ColorMap.VIRIDIS.argb(0.495));
        assertThat(ColorMap.VIRIDIS.argb(0)).isEqualTo(0xff440154);
        assertThat(ColorMap.VIRIDIS.argb(1)).isEqualTo(0xfffde725);
        assertThat(ColorMap.VIRIDIS.argb(7)).isEqualTo(0xfffde725);
    }

    @Test
    void aFigureEncodesAsAPngOfItsSize() throws IOException {
        Figure fig = sampleFigure();
        byte[] png = fig.toPng();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(fig.width()).isEqualTo(2 * 300);
        assertThat(img.getHeight()).isEqualTo(fig.height()).isEqualTo(260 + 30);
        BufferedImage twice = fig.toRaster(2).image();
        assertThat(twice.getWidth()).isEqualTo(1200);
        assertThat(twice.getHeight()).isEqualTo(580);
    }

    @Test
    void theSvgIsWellFormedXmlWithTheDrawnElements() throws Exception {
        String svg = sampleFigure().toSvg();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("600");
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength()).isGreaterThanOrEqualTo(1);
        // nine arrows, one of them of length zero (drawn as a dot, without a head)
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polygon").getLength()).isEqualTo(8);
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "image").getLength()).isEqualTo(2);
        // the title text survives escaping and parsing
        assertThat(doc.getDocumentElement().getTextContent()).contains("a < b & \"c\"");
    }

    /** A line plot (log y) with a legend and a quiver over a heat map with a colour bar, titled with markup characters. */
    private static Figure sampleFigure() {
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {10, 3, 1, 0.5, 0.2};
        Panel line = new Panel("a < b & \"c\"").add(LinePlot.of(x, y, Color.BLUE).label("loss").withMarkers()).labels("step", "loss")
                .log(false, true);
        double[] gx = {0, 1, 2, 0, 1, 2, 0, 1, 2};
        double[] gy = {0, 0, 0, 1, 1, 1, 2, 2, 2};
        double[] u = {1, 1, 1, 0, 0, 0, -1, -1, -1};
        double[] w = {0, 1, 0, 1, 0, 1, 0, 1, 0};
        Panel field = new Panel("field").add(HeatMap.autoscaled(new double[] {0, 1, 2, 3}, 2, 2, new Bounds(-0.5, 2.5, -0.5, 2.5), ColorMap.MAGMA))
                .add(new QuiverPlot(gx, gy, u, w, QuiverPlot.fitScale(0.8, 1.0, u, w), ColorMap.VIRIDIS, 1.5)).equalAspect()
                .colorBar(new ColorBar(ColorMap.MAGMA, 0, 3, "value"));
        return new Figure("a < b & \"c\"", 2, 300, 260).add(line).add(field);
    }

    @Test
    void ticksAreNiceAndLabelsShort() {
        assertThat(Ticks.linear(0, 1, 5)).containsExactly(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
        assertThat(Ticks.niceStep(0, 1000, 4)).isEqualTo(200);
        assertThat(Ticks.linear(-2.3, 2.9, 5)).containsExactly(-2, -1, 0, 1, 2);
        assertThat(Ticks.log(0.03, 40)).containsExactly(0.1, 1, 10);
        assertThat(Ticks.log(1, 30)).containsExactly(1, 2, 5, 10, 20);
        assertThat(Ticks.format(0.6000000000000001, 0.2)).isEqualTo("0.6");
        assertThat(Ticks.format(2.5, 0.5)).isEqualTo("2.5");
        assertThat(Ticks.format(15000, 5000)).isEqualTo("15000");
        assertThat(Ticks.format(2e-5, 1e-5)).isEqualTo("2e-5");
    }

    @Test
    void quantileBoundsIgnoreAFewOutliers() {
        double[] xs = new double[1001];
        double[] ys = new double[1001];
        for (int i = 0; i < 1000; i++) {
            xs[i] = i / 999.0;
            ys[i] = -i / 999.0;
        }
        xs[1000] = 1e6;
        ys[1000] = Double.NaN;
        Bounds b = Bounds.quantiles(xs, ys, 1001, 0.01);
        assertThat(b.xMin()).isCloseTo(0.01, within(1e-3));
        assertThat(b.xMax()).isCloseTo(0.99, within(1e-3));
        assertThat(b.yMin()).isCloseTo(-0.99, within(1e-3));
        assertThat(Bounds.of(xs, ys, 1000).pad(0.5).width()).isCloseTo(2, within(1e-12));
    }

    @Test
    void equalAspectGrowsTheLimitsToTheAreaAndVisibleLimitsReportsThem() {
        Panel p = new Panel("t").limits(new Bounds(0, 1, 0, 1)).equalAspect();
        Bounds wide = p.visibleLimits(400, 200);
        assertThat(wide.height()).isCloseTo(1, within(1e-12));
        assertThat(wide.width()).isGreaterThan(1.5);
        assertThat((wide.xMin() + wide.xMax()) / 2).isCloseTo(0.5, within(1e-12));
    }
}
