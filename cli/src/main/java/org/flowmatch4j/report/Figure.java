package org.flowmatch4j.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of {@link Panel}s with an optional title, rendered to a {@link Surface}: to PNG ({@link #toPng()}) or
 * SVG ({@link #toSvg()}) from the same drawing code. Panels fill the grid row by row; every cell has the same
 * size.
 */
public final class Figure {
    private static final double TITLE_HEIGHT = 30;

    private final String title;
    private final int columns;
    private final int cellWidth;
    private final int cellHeight;
    private final List<Panel> panels = new ArrayList<>();

    /** A figure with {@code columns} cells per row, each {@code cellWidth × cellHeight} pixels; title may be null. */
    public Figure(String title, int columns, int cellWidth, int cellHeight) {
        if (columns < 1 || cellWidth < 40 || cellHeight < 40) {
            throw new IllegalArgumentException("figure of " + columns + " columns of " + cellWidth + "×" + cellHeight + " px");
        }
        this.title = title;
        this.columns = columns;
        this.cellWidth = cellWidth;
        this.cellHeight = cellHeight;
    }

    /** A one-panel figure. */
    public static Figure single(Panel panel, int width, int height) {
        return new Figure(null, 1, width, height).add(panel);
    }

    /** Appends a panel in the next cell. */
    public Figure add(Panel p) {
        panels.add(p);
        return this;
    }

    /** The panels in order. */
    public List<Panel> panels() {
        return List.copyOf(panels);
    }

    /** Width in pixels. */
    public int width() {
        return columns * cellWidth;
    }

    /** Height in pixels. */
    public int height() {
        int rows = Math.max(1, (panels.size() + columns - 1) / columns);
        return (int) Math.round(rows * cellHeight + (title == null ? 0 : TITLE_HEIGHT));
    }

    /** Draws the figure onto a surface of at least {@link #width()} × {@link #height()}. */
    public void render(Surface s) {
        double y0 = 0;
        if (title != null) {
            s.text(title, width() / 2.0, 20, TextStyle.of(15, Panel.INK).asBold().align(TextStyle.Align.CENTER));
            y0 = TITLE_HEIGHT;
        }
        for (int i = 0; i < panels.size(); i++) {
            int r = i / columns;
            int c = i % columns;
            panels.get(i).render(s, c * cellWidth, y0 + r * cellHeight, cellWidth, cellHeight);
        }
        if (panels.isEmpty()) {
            s.text("(empty figure)", width() / 2.0, height() / 2.0, TextStyle.of(12, Color.GRAY).align(TextStyle.Align.CENTER));
        }
    }

    /** The figure rendered on a raster at {@code scale} device pixels per pixel. */
    public RasterSurface toRaster(double scale) {
        RasterSurface s = new RasterSurface(width(), height(), scale);
        render(s);
        return s;
    }

    /** The figure as PNG bytes at scale 1. */
    public byte[] toPng() {
        return toRaster(1).png();
    }

    /** The figure as an SVG document. */
    public String toSvg() {
        SvgSurface s = new SvgSurface(width(), height());
        render(s);
        return s.toSvg();
    }
}
