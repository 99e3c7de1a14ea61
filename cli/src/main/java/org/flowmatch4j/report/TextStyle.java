package org.flowmatch4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * How a piece of text is drawn: font size in pixels, colour, weight, horizontal alignment relative to the anchor
 * point, vertical alignment, and whether it runs upwards (rotated −90°, for y-axis labels).
 *
 * @param size     font size in pixels
 * @param color    colour
 * @param bold     bold weight
 * @param align    horizontal placement of the anchor: at the text's start, centre or end
 * @param vAlign   vertical placement of the anchor: baseline, middle of the capitals, or top
 * @param vertical text runs bottom to top
 */
public record TextStyle(double size, Color color, boolean bold, Align align, VAlign vAlign, boolean vertical) {
    /** Horizontal alignment of the anchor point. */
    public enum Align { START, CENTER, END }

    /** Vertical alignment of the anchor point. */
    public enum VAlign { BASELINE, MIDDLE, TOP }

    /** The font family used everywhere (a logical font: present on every JDK, also headless). */
    public static final String FAMILY = Font.SANS_SERIF;

    private static final Graphics2D MEASURE = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics();

    /** Plain text of the given size and colour, anchored at its start on the baseline. */
    public static TextStyle of(double size, Color color) {
        return new TextStyle(size, color, false, Align.START, VAlign.BASELINE, false);
    }

    /** This style with another horizontal alignment. */
    public TextStyle align(Align a) {
        return new TextStyle(size, color, bold, a, vAlign, vertical);
    }

    /** This style with another vertical alignment. */
    public TextStyle vAlign(VAlign v) {
        return new TextStyle(size, color, bold, align, v, vertical);
    }

    /** This style in bold. */
    public TextStyle asBold() {
        return new TextStyle(size, color, true, align, vAlign, vertical);
    }

    /** This style running upwards. */
    public TextStyle upwards() {
        return new TextStyle(size, color, bold, align, vAlign, true);
    }

    /** The AWT font of this style. */
    public Font font() {
        return new Font(FAMILY, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
    }

    /** The advance width of {@code s} in pixels (the same estimate serves the raster and the SVG layout). */
    public double width(String s) {
        synchronized (MEASURE) {
            FontMetrics fm = MEASURE.getFontMetrics(font());
            return fm.getStringBounds(s, MEASURE).getWidth();
        }
    }

    /** The offset from the anchor to the baseline along the text's vertical direction (cap height ≈ 0.72 size). */
    double baselineShift() {
        return switch (vAlign) {
            case BASELINE -> 0;
            case MIDDLE -> 0.36 * size;
            case TOP -> 0.76 * size;
        };
    }
}
