package org.flowmatch4j.model;

import org.flowmatch4j.coupling.Coupling;
import org.flowmatch4j.coupling.Couplings;
import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.CondOTScheduler;
import org.flowmatch4j.path.CosineScheduler;
import org.flowmatch4j.path.GaussianPath;
import org.flowmatch4j.path.LinearVPScheduler;
import org.flowmatch4j.path.PolynomialScheduler;
import org.flowmatch4j.path.ProbabilityPath;
import org.flowmatch4j.path.SchrodingerBridgePath;
import org.flowmatch4j.path.VPScheduler;

/** Builds paths and couplings from their command-line names. */
public final class Factories {
    private Factories() {
    }

    /** Path names accepted by {@link #path}. */
    public static final String PATHS = "condot, gaussian, sb, polynomial, cosine, vp, linear-vp";
    /** Coupling names accepted by {@link #coupling}. */
    public static final String COUPLINGS = "independent, exact-ot, sinkhorn";

    /**
     * The path of a name. {@code sigma}: σ_min for condot (default 0), the noise level for gaussian and sb
     * (default 0.1); NaN means the default; other paths take no σ and refuse one.
     */
    public static ProbabilityPath path(String name, double sigma) {
        boolean given = !Double.isNaN(sigma);
        switch (name) {
            case "condot":
                return new AffinePath(given && sigma > 0 ? new CondOTScheduler(sigma) : new CondOTScheduler());
            case "gaussian":
                return new GaussianPath(given ? sigma : 0.1);
            case "sb":
                return new SchrodingerBridgePath(given ? sigma : 0.1);
            case "polynomial":
                noSigma(name, given);
                return new AffinePath(new PolynomialScheduler(2));
            case "cosine":
                noSigma(name, given);
                return new AffinePath(new CosineScheduler());
            case "vp":
                noSigma(name, given);
                return new AffinePath(new VPScheduler());
            case "linear-vp":
                noSigma(name, given);
                return new AffinePath(new LinearVPScheduler());
            default:
                throw new IllegalArgumentException("unknown path '" + name + "'; valid: " + PATHS);
        }
    }

    /**
     * The path a saved configuration describes. Configurations store σ = 0 for paths that take no σ (JSON has no
     * NaN), so for those paths the stored value is ignored rather than refused as an explicit {@code --sigma}.
     */
    public static ProbabilityPath path(ModelConfig config) {
        return path(config.path(), Double.isNaN(defaultSigma(config.path())) ? Double.NaN : config.sigma());
    }

    /** The σ a path uses when none is given (NaN for paths without one). */
    public static double defaultSigma(String path) {
        switch (path) {
            case "condot":
                return 0.0;
            case "gaussian":
            case "sb":
                return 0.1;
            default:
                return Double.NaN;
        }
    }

    private static void noSigma(String name, boolean given) {
        if (given) {
            throw new IllegalArgumentException("--sigma does not apply to path '" + name + "' (it applies to condot, gaussian and sb)");
        }
    }

    /** The coupling of a name: {@code independent}, {@code exact-ot}, {@code sinkhorn[:eps]} (see {@link Couplings#parse}). */
    public static Coupling coupling(String name) {
        return Couplings.parse(name);
    }
}
