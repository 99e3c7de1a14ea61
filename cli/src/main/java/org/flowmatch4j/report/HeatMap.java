package org.flowmatch4j.report;

import java.awt.image.BufferedImage;

/**
 * A scalar field sampled on a regular grid, shown through a colour map. Grid point {@code (i, j)} (column i,
 * row j, row 0 at the bottom) sits at {@code x = xMin + i·(xMax − xMin)/(nx − 1)},
 * {@code y = yMin + j·(yMax − yMin)/(ny − 1)}; pixels between grid points take the bilinear interpolation of the
 * values (not of the colours), mapped by {@code u = (value − vMin)/(vMax − vMin)}.
 *
 * @param values row-major {@code [ny, nx]} values
 * @param nx     grid points along x (≥ 2)
 * @param ny     grid points along y (≥ 2)
 * @param extent the positions of the outer grid points
 * @param map    colour map
 * @param vMin   value at the bottom of the colour map
 * @param vMax   value at the top of the colour map
 */
public record HeatMap(double[] values, int nx, int ny, Bounds extent, ColorMap map, double vMin, double vMax) implements Layer {
    /** Largest raster drawn per heat map side (the image is stretched beyond). */
    private static final int MAX_PIXELS = 1200;

    public HeatMap {
        if (nx < 2 || ny < 2 || values.length != nx * ny) {
            throw new IllegalArgumentException("heat map grid " + nx + "×" + ny + " needs " + (nx * ny) + " values, got " + values.length);
        }
        if (!(vMax > vMin)) {
            vMax = vMin + 1;
        }
    }

    /** A heat map coloured from the smallest to the largest finite value. */
    public static HeatMap autoscaled(double[] values, int nx, int ny, Bounds extent, ColorMap map) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        return new HeatMap(values, nx, ny, extent, map, lo, hi);
    }

    @Override
    public Bounds bounds() {
        return extent;
    }

    @Override
    public void draw(Axes axes, Surface surface) {
        double x0 = axes.px(extent.xMin());
        double x1 = axes.px(extent.xMax());
        double y0 = axes.py(extent.yMax());
        double y1 = axes.py(extent.yMin());
        int w = (int) Math.max(2, Math.min(MAX_PIXELS, Math.ceil(x1 - x0)));
        int h = (int) Math.max(2, Math.min(MAX_PIXELS, Math.ceil(y1 - y0)));
        surface.image(render(w, h), x0, y0, x1 - x0, y1 - y0);
    }

    /** The heat map as a {@code w × h} image (top row = largest y). */
    public BufferedImage render(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[w];
        double span = vMax - vMin;
        for (int py = 0; py < h; py++) {
            // pixel centres map onto grid coordinates 0..ny-1 (bottom to top)
            double gy = (h - 1 - py + 0.5) / h * (ny - 1);
            gy = Math.min(ny - 1, Math.max(0, gy));
            int j = Math.min(ny - 2, (int) gy);
            double fy = gy - j;
            for (int px = 0; px < w; px++) {
                double gx = (px + 0.5) / w * (nx - 1);
                gx = Math.min(nx - 1, Math.max(0, gx));
                int i = Math.min(nx - 2, (int) gx);
                double fx = gx - i;
                double v00 = values[j * nx + i];
                double v10 = values[j * nx + i + 1];
                double v01 = values[(j + 1) * nx + i];
                double v11 = values[(j + 1) * nx + i + 1];
                double v = (1 - fy) * ((1 - fx) * v00 + fx * v10) + fy * ((1 - fx) * v01 + fx * v11);
                row[px] = map.argb((v - vMin) / span);
            }
            img.setRGB(0, py, w, 1, row, 0, w);
        }
        return img;
    }
}
