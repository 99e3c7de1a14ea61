package org.flowmatch4j.report;

import java.awt.Color;

/**
 * A continuous colour map: {@code u ∈ [0, 1]} to a colour by linear interpolation in sRGB between equally spaced
 * anchor colours; values outside [0, 1] are clamped, NaN maps to light grey.
 */
public final class ColorMap {
    /** A perceptually ordered blue–green–yellow map (anchors approximating matplotlib's viridis). */
    public static final ColorMap VIRIDIS = new ColorMap("viridis", 0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89,
            0x35b779, 0x6ece58, 0xb5de2b, 0xfde725);
    /** Black–purple–orange–cream (anchors approximating matplotlib's magma); for densities on a light page. */
    public static final ColorMap MAGMA = new ColorMap("magma", 0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55964, 0xfb8761,
            0xfec287, 0xfcfdbf);
    /** Blue to orange through purple: noise (t = 0) to data (t = 1) in trajectory plots. */
    public static final ColorMap TIME = new ColorMap("time", 0x3b6fb6, 0x6a5fb0, 0x9c4f96, 0xcc5a6a, 0xf08a3c, 0xf5b025);

    private static final Color NAN = new Color(0xdddddd);

    private final String name;
    private final int[] anchors;

    /** A map through the given 0xRRGGBB anchors (at least two), equally spaced over [0, 1]. */
    public ColorMap(String name, int... anchors) {
        if (anchors.length < 2) {
            throw new IllegalArgumentException("a colour map needs at least two anchors, got " + anchors.length);
        }
        this.name = name;
        this.anchors = anchors.clone();
    }

    /** The map's name. */
    public String name() {
        return name;
    }

    /** The colour at {@code u} as 0xAARRGGBB (opaque). */
    public int argb(double u) {
        if (Double.isNaN(u)) {
            return NAN.getRGB();
        }
        double p = Math.max(0, Math.min(1, u)) * (anchors.length - 1);
        int i = Math.min(anchors.length - 2, (int) p);
        double f = p - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        int r = mix((a >> 16) & 255, (b >> 16) & 255, f);
        int g = mix((a >> 8) & 255, (b >> 8) & 255, f);
        int bl = mix(a & 255, b & 255, f);
        return 0xff000000 | (r << 16) | (g << 8) | bl;
    }

    /** The colour at {@code u}. */
    public Color color(double u) {
        return new Color(argb(u), true);
    }

    /** The colour at {@code u} with the given alpha (0–255). */
    public Color color(double u, int alpha) {
        return new Color((argb(u) & 0xffffff) | (alpha << 24), true);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
