package org.flowmatch4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;

/**
 * A trained generative model of d-dimensional data, as stored in a model directory
 * ({@code config.json} with a {@code "method"} key, plus weights). Every method (Flow Matching, reflow,
 * CNF, diffusion, normalizing flow) implements it, so sampling, likelihood, evaluation and reports treat
 * them alike. Models work internally on standardised data {@code z = (x − μ)/s} ({@link #normalization()});
 * inputs and outputs of this interface are in data units.
 */
public interface GenerativeModel {
    /** The method name as written in {@code config.json}: {@code fm}, {@code reflow}, {@code cnf}, {@code diffusion} or {@code nf}. */
    String method();

    /** The data dimension d. */
    int dim();

    /** The column names of the training data (CSV header when sampling). */
    List<String> columns();

    /** The per-column standardisation between data units and the model's internal space. */
    Standardization normalization();

    /**
     * Whether sampling and likelihood integrate an ODE (and so take a solver). A normalizing flow samples
     * and evaluates in one pass and returns {@code false}; callers refuse a solver the user asked for.
     */
    boolean usesSolver();

    /**
     * Draws {@code n} samples (data units). For ODE models the flow is integrated from N(0, I) at t = 0 to
     * t = 1 with {@code solver} (trajectories in standardised space, as {@code recording} asks); a one-pass
     * model ignores {@code solver} (may be null) and {@code recording}.
     */
    Samples sample(int n, OdeSolver solver, Rng rng, Recording recording);

    /**
     * Log-densities in nats (data units) of the rows of {@code x} ({@code [n, dim]}). ODE models integrate the
     * divergence backwards with {@code solver} and {@code method} ({@code probes} Hutchinson probes); a
     * one-pass model ignores those three.
     */
    LikelihoodResult logProb(float[] x, int n, OdeSolver solver, DivergenceMethod method, int probes, Rng rng);

    /**
     * The velocity field {@code v(t, z)} in standardised space for models that are flows of an ODE (used for
     * trajectories, vector-field plots and straightness); empty for a normalizing flow.
     *
     * @param maxTangents the most forward-mode tangents one call needs (0 when only velocities are needed)
     */
    Optional<VelocityField> velocityField(int maxTangents);

    /** The text of {@code config.json}. */
    String configJson();

    /** Writes the model directory ({@code config.json} and weights, each atomically); creates it if needed. */
    void save(Path dir) throws IOException;
}
