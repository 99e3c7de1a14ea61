package org.flowmatch4j.likelihood;

import java.util.Locale;

/**
 * How {@code div v = tr(∂v/∂x)} is computed: exactly, from the d Jacobian–vector products with the unit
 * vectors (cost grows with d; fine to d ≈ 100), or by Hutchinson's estimator {@code E[εᵀ(∂v/∂x)ε]} with
 * Rademacher or Gaussian probes ε (unbiased; the probes are drawn once per solve and kept fixed, or an
 * adaptive solver sees a different field at every evaluation and its step count explodes).
 */
public enum DivergenceMethod {
    EXACT,
    HUTCHINSON_RADEMACHER,
    HUTCHINSON_GAUSSIAN;

    /** Parses {@code exact}, {@code hutchinson} (Rademacher) or {@code hutchinson-gaussian}. */
    public static DivergenceMethod parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "exact":
                return EXACT;
            case "hutchinson":
            case "hutchinson-rademacher":
                return HUTCHINSON_RADEMACHER;
            case "hutchinson-gaussian":
                return HUTCHINSON_GAUSSIAN;
            default:
                throw new IllegalArgumentException("unknown divergence '" + name + "'; valid: exact, hutchinson, hutchinson-gaussian");
        }
    }
}
