package org.flowmatch4j.report;

/**
 * The map from data coordinates to the pixels of a plot area: {@code px = left + (x − xMin)/(xMax − xMin)·width},
 * y growing upwards; on a logarithmic axis the same in {@code log10}. Layers draw through it.
 */
public final class Axes {
    private final double left;
    private final double top;
    private final double width;
    private final double height;
    private final Bounds limits;
    private final boolean logX;
    private final boolean logY;

    /** Axes over the pixel rectangle {@code (left, top, width, height)} showing {@code limits}. */
    public Axes(double left, double top, double width, double height, Bounds limits, boolean logX, boolean logY) {
        if ((logX && !(limits.xMin() > 0)) || (logY && !(limits.yMin() > 0))) {
            throw new IllegalArgumentException("a logarithmic axis needs positive limits, got " + limits);
        }
        this.left = left;
        this.top = top;
        this.width = width;
        this.height = height;
        this.limits = limits;
        this.logX = logX;
        this.logY = logY;
    }

    /** The data limits shown. */
    public Bounds limits() {
        return limits;
    }

    /** Left edge of the plot area in pixels. */
    public double left() {
        return left;
    }

    /** Top edge of the plot area in pixels. */
    public double top() {
        return top;
    }

    /** Width of the plot area in pixels. */
    public double width() {
        return width;
    }

    /** Height of the plot area in pixels. */
    public double height() {
        return height;
    }

    /** Whether the x axis is logarithmic. */
    public boolean logX() {
        return logX;
    }

    /** Whether the y axis is logarithmic. */
    public boolean logY() {
        return logY;
    }

    /** Pixel column of data x. */
    public double px(double x) {
        double a = logX ? Math.log10(x) : x;
        double lo = logX ? Math.log10(limits.xMin()) : limits.xMin();
        double hi = logX ? Math.log10(limits.xMax()) : limits.xMax();
        return left + (a - lo) / (hi - lo) * width;
    }

    /** Pixel row of data y. */
    public double py(double y) {
        double a = logY ? Math.log10(y) : y;
        double lo = logY ? Math.log10(limits.yMin()) : limits.yMin();
        double hi = logY ? Math.log10(limits.yMax()) : limits.yMax();
        return top + height - (a - lo) / (hi - lo) * height;
    }

    /** Data units per pixel along x (linear axes). */
    public double xPerPixel() {
        return limits.width() / width;
    }

    /** Data units per pixel along y (linear axes). */
    public double yPerPixel() {
        return limits.height() / height;
    }
}
