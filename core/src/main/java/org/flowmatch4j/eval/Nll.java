package org.flowmatch4j.eval;

/**
 * Negative log-likelihood summaries. The mean test NLL is {@code −(1/n) Σ_i log p(x_i)} in nats; bits per
 * dimension convert it to base 2 per coordinate, {@code bpd = NLL / (d · ln 2)}. Both are in the units of the data
 * as given (a model that standardises its inputs already includes the Jacobian {@code −Σ_j log s_j}); no
 * dequantisation term is added, since the data here are continuous.
 */
public final class Nll {
    private static final double LN2 = Math.log(2.0);

    private Nll() {
    }

    /** {@code −(1/n) Σ_i logProb[i]}, nats. */
    public static double mean(double[] logProb) {
        if (logProb == null || logProb.length == 0) {
            throw new IllegalArgumentException("mean NLL needs at least one log-density");
        }
        double s = 0;
        for (double v : logProb) {
            s += v;
        }
        return -s / logProb.length;
    }

    /** {@code nll / (d · ln 2)}: bits per dimension of a mean NLL in nats over d-dimensional points. */
    public static double bitsPerDim(double nllNats, int d) {
        if (d < 1) {
            throw new IllegalArgumentException("bits per dimension need d >= 1, got " + d);
        }
        return nllNats / (d * LN2);
    }
}
