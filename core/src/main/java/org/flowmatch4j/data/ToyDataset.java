package org.flowmatch4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.flowmatch4j.tensor.Rng;

/**
 * The built-in 2-D toy distributions. Each sample is drawn independently: a mixture component (where
 * there is one) from {@code rng}, then the point; the same generator state gives the same points. The
 * formulas, with {@code u ~ U[0, 1)}, {@code z ~ N(0, 1)} fresh for every use:
 */
public enum ToyDataset {
    /**
     * {@code 8gaussians}: component {@code k ~ U{0..7}} (the label), point {@code 2·(cos kπ/4, sin kπ/4)
     * + 0.1·(z, z')}: eight Gaussians of std 0.1 on the circle of radius 2.
     */
    EIGHT_GAUSSIANS("8gaussians", 8) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            for (int i = 0; i < n; i++) {
                int k = rng.nextInt(8);
                double a = k * Math.PI / 4;
                out[2 * i] = (float) (2 * Math.cos(a) + 0.1 * rng.nextGaussian());
                out[2 * i + 1] = (float) (2 * Math.sin(a) + 0.1 * rng.nextGaussian());
                labels[i] = k;
            }
        }
    },
    /**
     * {@code moons} (scikit-learn's make_moons, angle drawn at random, centred): half {@code k ~ U{0,1}}
     * (the label), {@code θ = πu}; upper moon {@code (cos θ, sin θ)}, lower moon {@code (1 − cos θ,
     * 0.5 − sin θ)}; then {@code − (0.5, 0.25)} and {@code + 0.05·(z, z')}. Each moon is a half circle of
     * radius 1 about (−0.5, −0.25), resp. (0.5, 0.25).
     */
    MOONS("moons", 2) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            for (int i = 0; i < n; i++) {
                int k = rng.nextInt(2);
                double t = Math.PI * rng.nextDouble();
                double x = k == 0 ? Math.cos(t) : 1 - Math.cos(t);
                double y = k == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
                out[2 * i] = (float) (x - 0.5 + MOONS_NOISE * rng.nextGaussian());
                out[2 * i + 1] = (float) (y - 0.25 + MOONS_NOISE * rng.nextGaussian());
                labels[i] = k;
            }
        }
    },
    /**
     * {@code circles} (FFJORD's: 3 × make_circles(factor 0.5, noise 0.08)): ring {@code k ~ U{0,1}} (the
     * label; 0 outer), radius {@code 3} or {@code 1.5}, {@code θ = 2πu}, point {@code r·(cos θ, sin θ) +
     * 0.24·(z, z')}.
     */
    CIRCLES("circles", 2) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            for (int i = 0; i < n; i++) {
                int k = rng.nextInt(2);
                double r = k == 0 ? 3.0 : 1.5;
                double t = 2 * Math.PI * rng.nextDouble();
                out[2 * i] = (float) (r * Math.cos(t) + 0.24 * rng.nextGaussian());
                out[2 * i + 1] = (float) (r * Math.sin(t) + 0.24 * rng.nextGaussian());
                labels[i] = k;
            }
        }
    },
    /**
     * {@code checkerboard} (FFJORD's, on [−4, 4]²): uniform on the 8 of the 16 cells of side 2 whose
     * indices {@code (⌊x/2⌋, ⌊y/2⌋)} have an even sum. The label is the cell's index 0..7 (row-major over
     * the filled cells, bottom row first).
     */
    CHECKERBOARD("checkerboard", 8) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            for (int i = 0; i < n; i++) {
                int c = rng.nextInt(8);
                int row = c / 2;
                // in row r (cells r−2 from the bottom, −2..1), the filled columns have the parity of r
                int cy = row - 2;
                int cx = 2 * (c % 2) - 2 + Math.floorMod(cy, 2);
                out[2 * i] = (float) (2 * (cx + rng.nextDouble()));
                out[2 * i + 1] = (float) (2 * (cy + rng.nextDouble()));
                labels[i] = c;
            }
        }
    },
    /**
     * {@code spirals} (FFJORD's 2spirals): {@code θ = 3π·√u}, arm point {@code a = (−θ cos θ + 0.5u',
     * θ sin θ + 0.5u'')}; spiral {@code k ~ U{0,1}} (the label) takes {@code a} or {@code −a}; then
     * {@code /3 + 0.1·(z, z')}.
     */
    SPIRALS("spirals", 2) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            for (int i = 0; i < n; i++) {
                int k = rng.nextInt(2);
                double t = 3 * Math.PI * Math.sqrt(rng.nextDouble());
                double x = -t * Math.cos(t) + 0.5 * rng.nextDouble();
                double y = t * Math.sin(t) + 0.5 * rng.nextDouble();
                double s = k == 0 ? 1.0 / 3 : -1.0 / 3;
                out[2 * i] = (float) (s * x + 0.1 * rng.nextGaussian());
                out[2 * i + 1] = (float) (s * y + 0.1 * rng.nextGaussian());
                labels[i] = k;
            }
        }
    },
    /**
     * {@code swissroll} (FFJORD's: make_swiss_roll(noise 1) columns x, z, divided by 5): {@code t =
     * 1.5π(1 + 2u)}, point {@code (t cos t, t sin t)/5 + 0.2·(z, z')}. No labels.
     */
    SWISSROLL("swissroll", 0) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            for (int i = 0; i < n; i++) {
                double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
                out[2 * i] = (float) (t * Math.cos(t) / 5 + 0.2 * rng.nextGaussian());
                out[2 * i + 1] = (float) (t * Math.sin(t) / 5 + 0.2 * rng.nextGaussian());
            }
        }
    },
    /**
     * {@code pinwheel} (FFJORD's, 5 arms): arm {@code k ~ U{0..4}} (the label), {@code f = (1 + 0.3z,
     * 0.1z')}, angle {@code φ = 2πk/5 + 0.25·exp(f₀)}, point {@code 2·R(φ)·f} with {@code R} the rotation.
     */
    PINWHEEL("pinwheel", 5) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            for (int i = 0; i < n; i++) {
                int k = rng.nextInt(5);
                double f0 = 1 + 0.3 * rng.nextGaussian();
                double f1 = 0.1 * rng.nextGaussian();
                double a = 2 * Math.PI * k / 5 + 0.25 * Math.exp(f0);
                double c = Math.cos(a);
                double s = Math.sin(a);
                out[2 * i] = (float) (2 * (c * f0 - s * f1));
                out[2 * i + 1] = (float) (2 * (s * f0 + c * f1));
                labels[i] = k;
            }
        }
    },
    /**
     * {@code cat}: uniform on the {@link CatSilhouette} (a sitting cat, centred, total variance 2), by
     * rejection; the label is the {@link CatSilhouette.Part} ordinal.
     */
    CAT("cat", CatSilhouette.Part.values().length) {
        @Override
        void fill(int n, Rng rng, float[] out, int[] labels) {
            CatSilhouette.sample(n, rng, out, labels);
        }
    };

    /** The noise std of {@link #MOONS}. */
    static final double MOONS_NOISE = 0.05;

    private final String id;
    private final int classes;

    ToyDataset(String id, int classes) {
        this.id = id;
        this.classes = classes;
    }

    /** The name used on the command line and in {@link ToyDatasets#generate}, e.g. {@code "8gaussians"}. */
    public String id() {
        return id;
    }

    /** The number of distinct labels, or 0 when the samples carry no labels. */
    public int classes() {
        return classes;
    }

    abstract void fill(int n, Rng rng, float[] out, int[] labels);

    /** {@code n} samples {@code [n, 2]} with column names {@code x, y}, labelled when {@link #classes()} > 0. */
    public Dataset generate(int n, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException(id + ": sample count must be >= 0, got " + n);
        }
        if (rng == null) {
            throw new IllegalArgumentException(id + ": rng is null");
        }
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        fill(n, rng, out, labels);
        for (int k = 0; k < out.length; k++) {
            if (!Float.isFinite(out[k])) {
                throw new IllegalStateException(id + ": generated a non-finite value at row " + (k / 2));
            }
        }
        return Dataset.adopt(out, n, 2, classes > 0 ? labels : null, List.of("x", "y"));
    }

    /** The dataset with this {@link #id()}. */
    public static ToyDataset byId(String id) {
        for (ToyDataset t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown toy dataset \"" + id + "\"; known: " + String.join(", ", ids()));
    }

    /** All ids, in declaration order. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (ToyDataset t : values()) {
            ids.add(t.id);
        }
        return Collections.unmodifiableList(ids);
    }
}
