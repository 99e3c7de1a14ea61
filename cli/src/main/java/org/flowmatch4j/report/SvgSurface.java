package org.flowmatch4j.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A {@link Surface} that writes SVG 1.1 elements (one element per primitive, coordinates rounded to 0.01 px).
 * Meant for figures with few primitives (line plots, quivers); raster content ({@link #image}) is embedded as a
 * PNG data URI. {@link #toSvg()} returns the standalone document.
 */
public final class SvgSurface implements Surface {
    private final int width;
    private final int height;
    private final StringBuilder body = new StringBuilder(1 << 14);
    private int clips;
    private boolean clipped;

    /** A white surface of {@code width × height} pixels. */
    public SvgSurface(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("surface size " + width + "×" + height);
        }
        this.width = width;
        this.height = height;
        body.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#ffffff\"/>\n");
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    /** The SVG document. */
    public String toSvg() {
        StringBuilder sb = new StringBuilder(body.length() + 512);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\">\n");
        sb.append(body);
        if (clipped) {
            sb.append("</g>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    @Override
    public void fillRect(double x, double y, double w, double h, Color c) {
        body.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w)).append("\" height=\"")
                .append(f(h)).append('"');
        fill(c);
        body.append("/>\n");
    }

    @Override
    public void strokeRect(double x, double y, double w, double h, Color c, double lineWidth) {
        body.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w)).append("\" height=\"")
                .append(f(h)).append("\" fill=\"none\"");
        stroke(c, lineWidth);
        body.append("/>\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color c, double lineWidth) {
        body.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2)).append("\" y2=\"")
                .append(f(y2)).append('"');
        stroke(c, lineWidth);
        body.append(" stroke-linecap=\"round\"/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, Color c, double lineWidth) {
        if (n < 2) {
            return;
        }
        body.append("<polyline points=\"");
        points(xs, ys, n);
        body.append("\" fill=\"none\"");
        stroke(c, lineWidth);
        body.append(" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>\n");
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, Color c) {
        if (n < 3) {
            return;
        }
        body.append("<polygon points=\"");
        points(xs, ys, n);
        body.append('"');
        fill(c);
        body.append("/>\n");
    }

    @Override
    public void dots(double[] xs, double[] ys, int n, double radius, Color c) {
        if (n == 0) {
            return;
        }
        body.append("<g");
        fill(c);
        body.append(">\n");
        for (int i = 0; i < n; i++) {
            body.append("<circle cx=\"").append(f(xs[i])).append("\" cy=\"").append(f(ys[i])).append("\" r=\"").append(f(radius)).append("\"/>\n");
        }
        body.append("</g>\n");
    }

    @Override
    public void text(String s, double x, double y, TextStyle style) {
        String anchor = switch (style.align()) {
            case START -> "start";
            case CENTER -> "middle";
            case END -> "end";
        };
        body.append("<text x=\"0\" y=\"").append(f(style.baselineShift())).append("\" transform=\"translate(").append(f(x)).append(' ')
                .append(f(y)).append(')');
        if (style.vertical()) {
            body.append(" rotate(-90)");
        }
        body.append("\" font-size=\"").append(f(style.size())).append("\" text-anchor=\"").append(anchor).append('"');
        if (style.bold()) {
            body.append(" font-weight=\"bold\"");
        }
        fill(style.color());
        body.append('>').append(Html.escape(s)).append("</text>\n");
    }

    @Override
    public void image(BufferedImage img, double x, double y, double w, double h) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.append("<image x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w)).append("\" height=\"")
                .append(f(h)).append("\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png.toByteArray())).append("\"/>\n");
    }

    @Override
    public void clip(double x, double y, double w, double h) {
        unclip();
        String id = "clip" + (clips++);
        body.append("<clipPath id=\"").append(id).append("\"><rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"")
                .append(f(w)).append("\" height=\"").append(f(h)).append("\"/></clipPath>\n");
        body.append("<g clip-path=\"url(#").append(id).append(")\">\n");
        clipped = true;
    }

    @Override
    public void unclip() {
        if (clipped) {
            body.append("</g>\n");
            clipped = false;
        }
    }

    private void points(double[] xs, double[] ys, int n) {
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                body.append(' ');
            }
            body.append(f(xs[i])).append(',').append(f(ys[i]));
        }
    }

    private void fill(Color c) {
        body.append(" fill=\"").append(hex(c)).append('"');
        if (c.getAlpha() < 255) {
            body.append(" fill-opacity=\"").append(f(c.getAlpha() / 255.0)).append('"');
        }
    }

    private void stroke(Color c, double lineWidth) {
        body.append(" stroke=\"").append(hex(c)).append("\" stroke-width=\"").append(f(lineWidth)).append('"');
        if (c.getAlpha() < 255) {
            body.append(" stroke-opacity=\"").append(f(c.getAlpha() / 255.0)).append('"');
        }
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** A coordinate with at most two decimals and no trailing zeros (keeps the files small). */
    static String f(double v) {
        if (!Double.isFinite(v)) {
            return "0";
        }
        long r = Math.round(v * 100);
        if (r % 100 == 0) {
            return Long.toString(r / 100);
        }
        // by hand: String.format costs ~1 µs a call, and a figure writes thousands of coordinates
        long a = Math.abs(r);
        long cents = a % 100;
        StringBuilder sb = new StringBuilder(12);
        if (r < 0) {
            sb.append('-');
        }
        sb.append(a / 100).append('.').append((char) ('0' + cents / 10));
        if (cents % 10 != 0) {
            sb.append((char) ('0' + cents % 10));
        }
        return sb.toString();
    }
}
