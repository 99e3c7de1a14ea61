package org.flowmatch4j.report;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/**
 * A {@link Surface} on an ARGB {@link BufferedImage} with antialiasing, drawn through Java2D (works headless).
 * {@link #png()} encodes it with ImageIO.
 */
public final class RasterSurface implements Surface {
    private final BufferedImage image;
    private final Graphics2D g;
    private final double scale;

    /** A white surface of {@code width × height} logical pixels, rendered at {@code scale} device pixels each. */
    public RasterSurface(int width, int height, double scale) {
        if (width < 1 || height < 1 || !(scale > 0)) {
            throw new IllegalArgumentException("surface size " + width + "×" + height + " at scale " + scale);
        }
        this.scale = scale;
        image = new BufferedImage((int) Math.round(width * scale), (int) Math.round(height * scale), BufferedImage.TYPE_INT_ARGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.scale(scale, scale);
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    /** A white surface at scale 1. */
    public RasterSurface(int width, int height) {
        this(width, height, 1.0);
    }

    @Override
    public int width() {
        return (int) Math.round(image.getWidth() / scale);
    }

    @Override
    public int height() {
        return (int) Math.round(image.getHeight() / scale);
    }

    /** The image drawn so far (device pixels). */
    public BufferedImage image() {
        return image;
    }

    /** The image as PNG bytes. */
    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void fillRect(double x, double y, double w, double h, Color c) {
        g.setColor(c);
        g.fill(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void strokeRect(double x, double y, double w, double h, Color c, double lineWidth) {
        g.setColor(c);
        g.setStroke(new BasicStroke((float) lineWidth));
        g.draw(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color c, double lineWidth) {
        g.setColor(c);
        g.setStroke(new BasicStroke((float) lineWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, Color c, double lineWidth) {
        if (n < 2) {
            return;
        }
        g.setColor(c);
        g.setStroke(new BasicStroke((float) lineWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path(xs, ys, n, false));
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, Color c) {
        if (n < 3) {
            return;
        }
        g.setColor(c);
        g.fill(path(xs, ys, n, true));
    }

    private static Path2D.Double path(double[] xs, double[] ys, int n, boolean close) {
        Path2D.Double p = new Path2D.Double(Path2D.WIND_NON_ZERO, n);
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < n; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        if (close) {
            p.closePath();
        }
        return p;
    }

    @Override
    public void dots(double[] xs, double[] ys, int n, double radius, Color c) {
        g.setColor(c);
        Ellipse2D.Double e = new Ellipse2D.Double(0, 0, 2 * radius, 2 * radius);
        for (int i = 0; i < n; i++) {
            e.x = xs[i] - radius;
            e.y = ys[i] - radius;
            g.fill(e);
        }
    }

    @Override
    public void text(String s, double x, double y, TextStyle style) {
        g.setFont(style.font());
        g.setColor(style.color());
        double w = style.width(s);
        double dx = switch (style.align()) {
            case START -> 0;
            case CENTER -> -w / 2;
            case END -> -w;
        };
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        if (style.vertical()) {
            g.rotate(-Math.PI / 2);
        }
        g.drawString(s, (float) dx, (float) style.baselineShift());
        g.setTransform(saved);
    }

    @Override
    public void image(BufferedImage img, double x, double y, double w, double h) {
        AffineTransform at = new AffineTransform();
        at.translate(x, y);
        at.scale(w / img.getWidth(), h / img.getHeight());
        g.drawImage(img, at, null);
    }

    @Override
    public void clip(double x, double y, double w, double h) {
        g.setClip(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void unclip() {
        g.setClip(null);
    }
}
