package org.flowmatch4j.path;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a network predicts at (t, x_t) on an affine path {@code x_t = α_t·x1 + σ_t·x0}: the velocity
 * {@code v = α'_t·x1 + σ'_t·x0}, the data point {@code x1}, or the noise {@code ε = x0}. Sampling and likelihood
 * always run on the velocity; {@link AffinePath#convert} translates between the three.
 */
public enum PredictionTarget {
    /** The conditional velocity u_t (the Flow Matching default). */
    VELOCITY("velocity"),
    /** The data point x1 ("x-prediction", a denoiser). */
    X1("x1"),
    /** The source point ε = x0 (diffusion's ε-prediction). */
    EPSILON("epsilon");

    private final String label;

    PredictionTarget(String label) {
        this.label = label;
    }

    /** The lower-case name used on command lines and in files. */
    public String label() {
        return label;
    }

    /**
     * Parses a label or constant name, ignoring case and surrounding blanks; throws listing the valid names.
     */
    public static PredictionTarget parse(String text) {
        if (text != null) {
            String s = text.trim().toLowerCase(Locale.ROOT);
            for (PredictionTarget p : values()) {
                if (p.label.equals(s)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown prediction target '" + text + "'; valid: "
                + Arrays.stream(values()).map(PredictionTarget::label).collect(Collectors.joining(", ")));
    }
}
