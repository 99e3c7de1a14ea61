package org.flowmatch4j.data;

import org.flowmatch4j.tensor.Rng;

/**
 * The silhouette of a cat sitting up, seen from the front, with its tail curling up on its right: the
 * target of the classic "a Gaussian cloud becomes a cat" picture.
 *
 * <p>The shape is a union of simple parts in design units (y up): a head ellipse centred (0, 0.85) with
 * semi-axes (1.05, 0.85); two ear triangles (±1.0, 1.0), (±0.86, 2.4), (±0.12, 1.62); a pear-shaped body,
 * the union of the ellipses centred (0, −1.2) with semi-axes (1.2, 1.5) and centred (0, −2.0) with
 * semi-axes (1.5, 0.85) (the haunches); two front paws (ellipses centred (±0.5, −2.8), semi-axes
 * (0.45, 0.24)); a tail of capsules of half-width 0.2 around the polyline (1.2, −2.55) → (2.1, −2.4) →
 * (2.65, −1.8) → (2.85, −1.0) → (2.7, −0.2) → (2.35, 0.25). Generated coordinates are {@code (design − c) / s} where
 * {@code c} is the silhouette's centroid and {@code s = sqrt((Var x + Var y) / 2)} under the uniform
 * distribution on it: one isotropic scale, so the cat keeps its proportions and the total variance is 2,
 * as for the standard normal source. Both are computed once, deterministically, on a fine grid.
 */
public final class CatSilhouette {

    /** The parts of the silhouette, in the priority used by {@link #partOf}. */
    public enum Part {
        /** The ear on the viewer's left (the cat's right ear). */
        LEFT_EAR,
        /** The ear on the viewer's right. */
        RIGHT_EAR,
        /** The head, without the ears. */
        HEAD,
        /** The tail, where it is outside the body. */
        TAIL,
        /** Body and front paws. */
        BODY
    }

    private static final double BOX_X0 = -1.55;
    private static final double BOX_X1 = 3.1;
    private static final double BOX_Y0 = -3.1;
    private static final double BOX_Y1 = 2.45;

    private static final double[][] LEFT_EAR = {{-1.0, 1.0}, {-0.86, 2.4}, {-0.12, 1.62}};
    private static final double[][] RIGHT_EAR = {{1.0, 1.0}, {0.86, 2.4}, {0.12, 1.62}};
    private static final double[][] TAIL = {{1.2, -2.55}, {2.1, -2.4}, {2.65, -1.8}, {2.85, -1.0}, {2.7, -0.2}, {2.35, 0.25}};
    private static final double TAIL_HALF_WIDTH = 0.2;

    private static final double CENTRE_X;
    private static final double CENTRE_Y;
    private static final double SCALE;

    static {
        // Midpoint rule on a 1000×1000 grid over the bounding box: the moments of the uniform law on the
        // silhouette to ~1e-3, which is all "roughly unit variance" asks, and deterministic.
        int g = 1000;
        double hx = (BOX_X1 - BOX_X0) / g;
        double hy = (BOX_Y1 - BOX_Y0) / g;
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < g; i++) {
            double x = BOX_X0 + (i + 0.5) * hx;
            for (int j = 0; j < g; j++) {
                double y = BOX_Y0 + (j + 0.5) * hy;
                if (designPart(x, y) != null) {
                    n++;
                    sx += x;
                    sy += y;
                    sxx += x * x;
                    syy += y * y;
                }
            }
        }
        CENTRE_X = sx / n;
        CENTRE_Y = sy / n;
        double vx = sxx / n - CENTRE_X * CENTRE_X;
        double vy = syy / n - CENTRE_Y * CENTRE_Y;
        SCALE = Math.sqrt((vx + vy) / 2);
    }

    private CatSilhouette() {
    }

    /** Whether the point (in generated, centred and scaled coordinates) lies inside the silhouette. */
    public static boolean contains(double x, double y) {
        return partOf(x, y) != null;
    }

    /** The part containing the point (generated coordinates), or {@code null} outside the silhouette. */
    public static Part partOf(double x, double y) {
        return designPart(x * SCALE + CENTRE_X, y * SCALE + CENTRE_Y);
    }

    /** The centroid of the silhouette in design units. */
    public static double[] designCentre() {
        return new double[] {CENTRE_X, CENTRE_Y};
    }

    /** The isotropic scale s dividing design units. */
    public static double designScale() {
        return SCALE;
    }

    /**
     * Writes {@code n} points uniform on the silhouette into {@code out[2i], out[2i+1]} (generated
     * coordinates) and their {@link Part} ordinals into {@code labels[i]} (if not null), by rejection from
     * the bounding box.
     */
    static void sample(int n, Rng rng, float[] out, int[] labels) {
        double w = BOX_X1 - BOX_X0;
        double h = BOX_Y1 - BOX_Y0;
        for (int i = 0; i < n; i++) {
            Part p;
            double x;
            double y;
            do {
                x = BOX_X0 + w * rng.nextDouble();
                y = BOX_Y0 + h * rng.nextDouble();
                p = designPart(x, y);
            } while (p == null);
            out[2 * i] = (float) ((x - CENTRE_X) / SCALE);
            out[2 * i + 1] = (float) ((y - CENTRE_Y) / SCALE);
            if (labels != null) {
                labels[i] = p.ordinal();
            }
        }
    }

    private static Part designPart(double x, double y) {
        if (inTriangle(x, y, LEFT_EAR) && !inEllipse(x, y, 0, 0.85, 1.05, 0.85)) {
            return Part.LEFT_EAR;
        }
        if (inTriangle(x, y, RIGHT_EAR) && !inEllipse(x, y, 0, 0.85, 1.05, 0.85)) {
            return Part.RIGHT_EAR;
        }
        if (inEllipse(x, y, 0, 0.85, 1.05, 0.85)) {
            return Part.HEAD;
        }
        boolean body = inEllipse(x, y, 0, -1.2, 1.2, 1.5)
                || inEllipse(x, y, 0, -2.0, 1.5, 0.85)
                || inEllipse(x, y, -0.5, -2.8, 0.45, 0.24)
                || inEllipse(x, y, 0.5, -2.8, 0.45, 0.24);
        if (body) {
            return Part.BODY;
        }
        if (inTail(x, y)) {
            return Part.TAIL;
        }
        return null;
    }

    private static boolean inEllipse(double x, double y, double cx, double cy, double a, double b) {
        double u = (x - cx) / a;
        double v = (y - cy) / b;
        return u * u + v * v <= 1;
    }

    private static boolean inTriangle(double x, double y, double[][] t) {
        double d1 = cross(t[0], t[1], x, y);
        double d2 = cross(t[1], t[2], x, y);
        double d3 = cross(t[2], t[0], x, y);
        boolean neg = d1 < 0 || d2 < 0 || d3 < 0;
        boolean pos = d1 > 0 || d2 > 0 || d3 > 0;
        return !(neg && pos);
    }

    private static double cross(double[] a, double[] b, double x, double y) {
        return (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    }

    private static boolean inTail(double x, double y) {
        double r2 = TAIL_HALF_WIDTH * TAIL_HALF_WIDTH;
        for (int k = 0; k + 1 < TAIL.length; k++) {
            if (segmentDistanceSquared(x, y, TAIL[k], TAIL[k + 1]) <= r2) {
                return true;
            }
        }
        return false;
    }

    private static double segmentDistanceSquared(double x, double y, double[] a, double[] b) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double t = ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy);
        t = Math.max(0, Math.min(1, t));
        double ex = x - (a[0] + t * dx);
        double ey = y - (a[1] + t * dy);
        return ex * ex + ey * ey;
    }
}
