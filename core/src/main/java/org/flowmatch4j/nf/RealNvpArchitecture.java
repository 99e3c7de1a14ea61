package org.flowmatch4j.nf;

import org.flowmatch4j.kernels.Activation;

/**
 * The shape of a {@link RealNvp} flow.
 *
 * @param dim               data dimension d (at least 2: a coupling needs a conditioning and a transformed part)
 * @param couplings         number of affine coupling layers K
 * @param hidden            width H of each conditioner's hidden layers
 * @param conditionerLayers hidden layers per conditioner MLP
 * @param activation        the conditioners' hidden activation
 * @param scaleClamp        soft clamp c of the log-scales, {@code s = c·tanh(ŝ/c)}
 * @param actNorm           whether an {@link ActNorm} precedes every coupling (normalizing direction)
 */
public record RealNvpArchitecture(int dim, int couplings, int hidden, int conditionerLayers, Activation activation,
                                  double scaleClamp, boolean actNorm) {
    /** Validates the values. */
    public RealNvpArchitecture {
        if (dim < 2) {
            throw new IllegalArgumentException("a RealNVP flow needs at least 2 dimensions (a coupling conditions one part of x"
                    + " on the other), got dim = " + dim);
        }
        if (couplings < 1 || hidden < 1 || conditionerLayers < 1) {
            throw new IllegalArgumentException("couplings, hidden and layers must be >= 1, got " + couplings + ", " + hidden
                    + ", " + conditionerLayers);
        }
        if (!(scaleClamp > 0) || !Double.isFinite(scaleClamp)) {
            throw new IllegalArgumentException("scale clamp must be a positive number, got " + scaleClamp);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is null");
        }
    }

    /**
     * Which coordinates coupling {@code k} transforms. Couplings cycle through four masks: odd indices, even
     * indices, the upper half {@code j ≥ ⌊d/2⌋}, the lower half; consecutive couplings are complementary, so
     * every coordinate is transformed every second layer, and the half masks mix coordinates that the parity
     * masks keep apart when d &gt; 2. For d = 2 all four reduce to the alternation "transform x₁ given x₀",
     * "transform x₀ given x₁".
     */
    public static boolean[] mask(int dim, int k) {
        boolean[] m = new boolean[dim];
        int half = dim / 2;
        for (int j = 0; j < dim; j++) {
            switch (k % 4) {
                case 0 -> m[j] = j % 2 == 1;
                case 1 -> m[j] = j % 2 == 0;
                case 2 -> m[j] = j >= half;
                default -> m[j] = j < half;
            }
        }
        return m;
    }
}
