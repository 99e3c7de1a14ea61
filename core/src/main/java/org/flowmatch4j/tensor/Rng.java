package org.flowmatch4j.tensor;

/**
 * A seeded, splittable pseudo-random generator (SplitMix64) with an explicit, savable state.
 *
 * <p>Each call advances {@code state += 0x9E3779B97F4A7C15} and returns the mixed value
 * {@code mix64(state)}. {@link #split()} derives an independent child stream from the next output, so
 * parallel or per-component streams are reproducible from one seed. Normal draws use Marsaglia's polar
 * method: {@code (u, v)} uniform in the unit disc, {@code s = u² + v²}, then {@code (u, v)·sqrt(−2 ln s / s)}
 * is a pair of independent standard normals (no trigonometric calls); the second value of a pair is kept,
 * and is part of the {@linkplain #state() state}.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;
    private boolean hasSpare;
    private double spare;

    /** A generator seeded with {@code seed}. */
    public Rng(long seed) {
        this.state = mix64(seed ^ 0x5DEECE66DL);
    }

    private Rng(long rawState, boolean hasSpare, double spare) {
        this.state = rawState;
        this.hasSpare = hasSpare;
        this.spare = spare;
    }

    /** The full state, for checkpoints: {@code [state, hasSpare ? 1 : 0, doubleToRawLongBits(spare)]}. */
    public long[] state() {
        return new long[] {state, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spare)};
    }

    /** Rebuilds a generator from {@link #state()}. */
    public static Rng fromState(long[] s) {
        if (s == null || s.length != 3) {
            throw new IllegalArgumentException("Rng state must have 3 longs");
        }
        return new Rng(s[0], s[1] != 0, Double.longBitsToDouble(s[2]));
    }

    /** A new independent generator derived from this one's next output (this one advances). */
    public Rng split() {
        return new Rng(mix64(nextLong() ^ 0xA0761D6478BD642FL), false, 0);
    }

    /** Next 64 random bits. */
    public long nextLong() {
        state += GOLDEN;
        return mix64(state);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // Lemire's multiply-shift with rejection: unbiased
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal draw. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2.0 * Math.log(s) / s);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }

    /** ±1 with equal probability (Rademacher). */
    public double nextRademacher() {
        return nextLong() < 0 ? -1.0 : 1.0;
    }

    /** Fills {@code out[off, off+n)} with standard normal draws. */
    public void fillNormal(float[] out, int off, int n) {
        for (int i = 0; i < n; i++) {
            out[off + i] = (float) nextGaussian();
        }
    }

    /** Fills {@code out[off, off+n)} with uniform draws on [lo, hi). */
    public void fillUniform(float[] out, int off, int n, double lo, double hi) {
        double w = hi - lo;
        for (int i = 0; i < n; i++) {
            out[off + i] = (float) (lo + w * nextDouble());
        }
    }

    /** A tensor of standard normal draws. */
    public Tensor normal(DType dtype, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        int n = t.numel();
        for (int i = 0; i < n; i++) {
            t.setDouble(i, nextGaussian());
        }
        return t;
    }

    /** A tensor of uniform draws on [lo, hi). */
    public Tensor uniform(DType dtype, double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        int n = t.numel();
        for (int i = 0; i < n; i++) {
            t.setDouble(i, lo + (hi - lo) * nextDouble());
        }
        return t;
    }

    /** A tensor of Rademacher (±1) draws. */
    public Tensor rademacher(DType dtype, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        int n = t.numel();
        for (int i = 0; i < n; i++) {
            t.setDouble(i, nextRademacher());
        }
        return t;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
