package org.flowmatch4j.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One plot: a title, axes with ticks and labels, layers drawn inside the plot area, an optional legend and
 * colour bar. Limits default to the union of the layers' bounds plus 4 %; with {@link #equalAspect()} a data
 * unit is as long on x as on y (the limits grow to fill the area, so no space is wasted).
 */
public final class Panel {
    static final Color INK = new Color(0x222222);
    static final Color FRAME = new Color(0x888888);
    static final Color GRID = new Color(0xe8e8e8);
    static final double TICK_FONT = 11;
    static final double LABEL_FONT = 12;
    static final double TITLE_FONT = 13;
    /** Room right of the plot area for a colour bar: 12 gap, 14 bar, ticks up to ~48 px, the label. */
    static final double COLOR_BAR_MARGIN = 104;

    private final List<Layer> layers = new ArrayList<>();
    private String title;
    private String xLabel;
    private String yLabel;
    private Bounds limits;
    private boolean equalAspect;
    private boolean logX;
    private boolean logY;
    private boolean grid = true;
    private boolean legend = true;
    private ColorBar colorBar;

    /** An empty panel with a title (may be null). */
    public Panel(String title) {
        this.title = title;
    }

    /** Adds a layer on top of the previous ones. */
    public Panel add(Layer layer) {
        layers.add(layer);
        return this;
    }

    /** Sets the axis labels (either may be null). */
    public Panel labels(String x, String y) {
        xLabel = x;
        yLabel = y;
        return this;
    }

    /** Fixes the data limits instead of fitting them to the layers. */
    public Panel limits(Bounds b) {
        limits = b;
        return this;
    }

    /** Makes one data unit equally long on both axes. */
    public Panel equalAspect() {
        equalAspect = true;
        return this;
    }

    /** Logarithmic axes. */
    public Panel log(boolean x, boolean y) {
        logX = x;
        logY = y;
        return this;
    }

    /** Whether light grid lines are drawn at the ticks (default yes). */
    public Panel grid(boolean on) {
        grid = on;
        return this;
    }

    /** Whether the legend of labelled layers is drawn (default yes). */
    public Panel legend(boolean on) {
        legend = on;
        return this;
    }

    /** Adds a colour bar to the right of the plot area. */
    public Panel colorBar(ColorBar bar) {
        colorBar = bar;
        return this;
    }

    /** The title. */
    public String title() {
        return title;
    }

    /**
     * The data limits this panel shows when rendered in a cell of {@code w × h} pixels: the fixed or fitted
     * limits, grown to the plot area's aspect ratio under {@link #equalAspect()}. Lets a caller sample a field
     * over exactly the visible region before adding it as a layer (the layout does not depend on the layers).
     */
    public Bounds visibleLimits(double w, double h) {
        double[] r = plotArea(0, 0, w, h);
        return fitLimits(r[2], r[3]);
    }

    /** {left, top, width, height} of the plot area in the cell. */
    private double[] plotArea(double x, double y, double w, double h) {
        double top = y + (title == null ? 10 : 28);
        double left = x + (yLabel == null ? 42 : 58);
        double bottom = y + h - (xLabel == null ? 26 : 42);
        double right = x + w - (colorBar == null ? 14 : COLOR_BAR_MARGIN);
        return new double[] {left, top, Math.max(10, right - left), Math.max(10, bottom - top)};
    }

    /** Draws the panel into the cell {@code (x, y, w, h)} of {@code s}. */
    public void render(Surface s, double x, double y, double w, double h) {
        double[] area = plotArea(x, y, w, h);
        double left = area[0];
        double top = area[1];
        double pw = area[2];
        double ph = area[3];
        Bounds lim = fitLimits(pw, ph);
        Axes axes = new Axes(left, top, pw, ph, lim, logX, logY);

        TextStyle tick = TextStyle.of(TICK_FONT, INK);
        double[] xt = logX ? Ticks.log(lim.xMin(), lim.xMax()) : Ticks.linear(lim.xMin(), lim.xMax(), Math.max(2, (int) (pw / 85)));
        double[] yt = logY ? Ticks.log(lim.yMin(), lim.yMax()) : Ticks.linear(lim.yMin(), lim.yMax(), Math.max(2, (int) (ph / 55)));
        double xStep = Ticks.niceStep(lim.xMin(), lim.xMax(), Math.max(2, (int) (pw / 85)));
        double yStep = Ticks.niceStep(lim.yMin(), lim.yMax(), Math.max(2, (int) (ph / 55)));
        if (grid) {
            for (double v : xt) {
                s.line(axes.px(v), top, axes.px(v), top + ph, GRID, 1);
            }
            for (double v : yt) {
                s.line(left, axes.py(v), left + pw, axes.py(v), GRID, 1);
            }
        }
        s.clip(left, top, pw, ph);
        for (Layer l : layers) {
            l.draw(axes, s);
        }
        s.unclip();
        s.strokeRect(left, top, pw, ph, FRAME, 1);
        for (double v : xt) {
            double p = axes.px(v);
            s.line(p, top + ph, p, top + ph + 4, FRAME, 1);
            s.text(Ticks.format(v, logX ? v : xStep), p, top + ph + 6, tick.align(TextStyle.Align.CENTER).vAlign(TextStyle.VAlign.TOP));
        }
        for (double v : yt) {
            double p = axes.py(v);
            s.line(left - 4, p, left, p, FRAME, 1);
            s.text(Ticks.format(v, logY ? v : yStep), left - 6, p, tick.align(TextStyle.Align.END).vAlign(TextStyle.VAlign.MIDDLE));
        }
        TextStyle label = TextStyle.of(LABEL_FONT, INK).align(TextStyle.Align.CENTER);
        if (xLabel != null) {
            s.text(xLabel, left + pw / 2, top + ph + 36, label);
        }
        if (yLabel != null) {
            s.text(yLabel, x + 14, top + ph / 2, label.upwards().vAlign(TextStyle.VAlign.MIDDLE));
        }
        if (title != null) {
            s.text(title, left + pw / 2, y + 19, TextStyle.of(TITLE_FONT, INK).asBold().align(TextStyle.Align.CENTER));
        }
        if (legend) {
            drawLegend(s, left, top, pw);
        }
        if (colorBar != null) {
            drawColorBar(s, left + pw + 12, top, ph);
        }
    }

    private Bounds fitLimits(double pw, double ph) {
        Bounds b = limits;
        if (b == null) {
            for (Layer l : layers) {
                b = Bounds.union(b, l.bounds());
            }
            if (b == null) {
                b = new Bounds(0, 1, 0, 1);
            }
            b = logX || logY ? padLog(b) : b.pad(0.04);
        }
        if (equalAspect && !logX && !logY) {
            double perPx = Math.max(b.width() / pw, b.height() / ph);
            double cx = (b.xMin() + b.xMax()) / 2;
            double cy = (b.yMin() + b.yMax()) / 2;
            b = new Bounds(cx - perPx * pw / 2, cx + perPx * pw / 2, cy - perPx * ph / 2, cy + perPx * ph / 2);
        }
        return b;
    }

    /** Pads linear axes by 4 % and logarithmic ones by 4 % of their decades; a log axis starts above zero. */
    private Bounds padLog(Bounds b) {
        double x0 = b.xMin();
        double x1 = b.xMax();
        double y0 = b.yMin();
        double y1 = b.yMax();
        if (logX) {
            x0 = x0 > 0 ? x0 : x1 * 1e-3;
            double d = Math.max(0.1, Math.log10(x1 / x0)) * 0.04;
            x0 /= Math.pow(10, d);
            x1 *= Math.pow(10, d);
        } else {
            double d = Math.max(1e-12, x1 - x0) * 0.04;
            x0 -= d;
            x1 += d;
        }
        if (logY) {
            y0 = y0 > 0 ? y0 : y1 * 1e-3;
            double d = Math.max(0.1, Math.log10(y1 / y0)) * 0.04;
            y0 /= Math.pow(10, d);
            y1 *= Math.pow(10, d);
        } else {
            double d = Math.max(1e-12, y1 - y0) * 0.04;
            y0 -= d;
            y1 += d;
        }
        return new Bounds(x0, x1, y0, y1);
    }

    private void drawLegend(Surface s, double left, double top, double pw) {
        List<LegendEntry> entries = new ArrayList<>();
        for (Layer l : layers) {
            l.legend().ifPresent(entries::add);
        }
        if (entries.isEmpty()) {
            return;
        }
        TextStyle st = TextStyle.of(TICK_FONT, INK).vAlign(TextStyle.VAlign.MIDDLE);
        double textW = 0;
        for (LegendEntry e : entries) {
            textW = Math.max(textW, st.width(e.label()));
        }
        double rowH = 16;
        double boxW = textW + 34;
        double boxH = rowH * entries.size() + 8;
        double bx = left + pw - boxW - 6;
        double by = top + 6;
        s.fillRect(bx, by, boxW, boxH, new Color(255, 255, 255, 215));
        s.strokeRect(bx, by, boxW, boxH, GRID, 1);
        for (int i = 0; i < entries.size(); i++) {
            LegendEntry e = entries.get(i);
            double cy = by + 4 + rowH * i + rowH / 2;
            if (e.line()) {
                s.line(bx + 6, cy, bx + 22, cy, e.color(), 2);
            } else {
                s.dots(new double[] {bx + 14}, new double[] {cy}, 1, 4, e.color());
            }
            s.text(e.label(), bx + 28, cy, st);
        }
    }

    private void drawColorBar(Surface s, double x, double top, double ph) {
        int h = 256;
        BufferedImage grad = new BufferedImage(1, h, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < h; i++) {
            grad.setRGB(0, i, colorBar.map().argb(1 - (i + 0.5) / h));
        }
        double bw = 14;
        s.image(grad, x, top, bw, ph);
        s.strokeRect(x, top, bw, ph, FRAME, 1);
        double lo = colorBar.min();
        double hi = colorBar.max() > lo ? colorBar.max() : lo + 1;
        double step = Ticks.niceStep(lo, hi, Math.max(2, (int) (ph / 55)));
        TextStyle tick = TextStyle.of(TICK_FONT, INK).vAlign(TextStyle.VAlign.MIDDLE);
        for (double v : Ticks.linear(lo, hi, Math.max(2, (int) (ph / 55)))) {
            double p = top + ph - (v - lo) / (hi - lo) * ph;
            s.line(x + bw, p, x + bw + 3, p, FRAME, 1);
            s.text(Ticks.format(v, step), x + bw + 5, p, tick);
        }
        if (colorBar.label() != null) {
            s.text(colorBar.label(), x + COLOR_BAR_MARGIN - 12 - 8, top + ph / 2,
                    TextStyle.of(LABEL_FONT, INK).upwards().align(TextStyle.Align.CENTER).vAlign(TextStyle.VAlign.MIDDLE));
        }
    }
}
