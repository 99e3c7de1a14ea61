package org.flowmatch4j.coupling;

import java.util.List;
import java.util.Locale;

/**
 * Builds couplings from their CLI names. A spec is a name, optionally followed by {@code :value}:
 * <ul>
 *   <li>{@code independent}</li>
 *   <li>{@code exact-ot}</li>
 *   <li>{@code sinkhorn} or {@code sinkhorn:EPS}: ε relative to the mean cost (default
 *       {@value SinkhornCoupling#DEFAULT_EPSILON}), row-conditional sampling</li>
 *   <li>{@code schrodinger-bridge:SIGMA}: entropic OT with ε = 2σ² (σ required)</li>
 * </ul>
 */
public final class Couplings {
    /** The valid names, in the order shown to users. */
    public static final List<String> NAMES = List.of(IndependentCoupling.NAME, ExactOtCoupling.NAME, SinkhornCoupling.NAME,
            SchrodingerBridgeCoupling.NAME);

    private Couplings() {}

    /**
     * The coupling a spec names.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the valid ones) or a bad value
     */
    public static Coupling parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("coupling name is empty; valid names: " + String.join(", ", NAMES));
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String value = colon < 0 ? null : s.substring(colon + 1);
        switch (name) {
            case IndependentCoupling.NAME:
                noValue(spec, value);
                return new IndependentCoupling();
            case ExactOtCoupling.NAME:
                noValue(spec, value);
                return new ExactOtCoupling();
            case SinkhornCoupling.NAME:
                return new SinkhornCoupling(value == null ? SinkhornCoupling.DEFAULT_EPSILON : number(spec, value, "epsilon"),
                        SinkhornCoupling.DEFAULT_MAX_ITERATIONS, SinkhornCoupling.DEFAULT_TOLERANCE);
            case SchrodingerBridgeCoupling.NAME:
                if (value == null) {
                    throw new IllegalArgumentException("coupling '" + spec + "' needs sigma, e.g. schrodinger-bridge:0.5");
                }
                return new SchrodingerBridgeCoupling(number(spec, value, "sigma"));
            default:
                throw new IllegalArgumentException("unknown coupling '" + spec + "'; valid names: " + String.join(", ", NAMES));
        }
    }

    private static void noValue(String spec, String value) {
        if (value != null) {
            throw new IllegalArgumentException("coupling '" + spec + "' takes no parameter");
        }
    }

    private static double number(String spec, String value, String what) {
        double x;
        try {
            x = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("coupling '" + spec + "': " + what + " '" + value + "' is not a number", e);
        }
        if (!(x > 0) || !Double.isFinite(x)) {
            throw new IllegalArgumentException("coupling '" + spec + "': " + what + " must be positive and finite, got " + value);
        }
        return x;
    }
}
