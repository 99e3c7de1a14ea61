package org.flowmatch4j.report;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * A drawing target in pixel coordinates (origin top left, y down): the few primitives the plots need, with a
 * raster ({@link RasterSurface}) and a vector ({@link SvgSurface}) implementation, so one plot renders to both.
 * Colours carry their alpha; widths and radii are in pixels.
 */
public interface Surface {
    /** Width in pixels. */
    int width();

    /** Height in pixels. */
    int height();

    /** Fills an axis-aligned rectangle. */
    void fillRect(double x, double y, double w, double h, Color c);

    /** Outlines an axis-aligned rectangle. */
    void strokeRect(double x, double y, double w, double h, Color c, double lineWidth);

    /** A straight segment. */
    void line(double x1, double y1, double x2, double y2, Color c, double lineWidth);

    /** A connected line through the first {@code n} points (round joins). */
    void polyline(double[] xs, double[] ys, int n, Color c, double lineWidth);

    /** A filled polygon through the first {@code n} points. */
    void fillPolygon(double[] xs, double[] ys, int n, Color c);

    /** Filled discs of one radius and colour at the first {@code n} points. */
    void dots(double[] xs, double[] ys, int n, double radius, Color c);

    /** Text at {@code (x, y)}, placed as {@code style} says. */
    void text(String s, double x, double y, TextStyle style);

    /** An image stretched over a rectangle (smoothly interpolated). */
    void image(BufferedImage img, double x, double y, double w, double h);

    /** Restricts later drawing to a rectangle until {@link #unclip()}. */
    void clip(double x, double y, double w, double h);

    /** Removes the clip. */
    void unclip();
}
