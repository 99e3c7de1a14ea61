package org.flowmatch4j.eval;

import java.util.Optional;

import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.Samples;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;

/**
 * Scores a {@link GenerativeModel} against held-out data:
 * <ol>
 *   <li>{@code n} samples are drawn with the given solver (null for a one-pass model); at most {@code n}
 *       held-out rows are kept (drawn without replacement when there are more);</li>
 *   <li>both sets are subsampled to {@code k = min(samples, held-out, otMaxPoints)} rows, on which
 *       {@link Wasserstein W1, W2} and the {@link Mmd RBF MMD²} (median-heuristic bandwidth) are computed;</li>
 *   <li>the mean test NLL (nats) and bits per dimension of the kept held-out rows, by the model's likelihood
 *       with the same solver;</li>
 *   <li>for models with a velocity field, {@link Straightness} of {@code straightnessSamples} fresh trajectories
 *       recorded at every step of RK4 with {@code straightnessSteps} steps (their NFE is not counted in
 *       {@code nfe}).</li>
 * </ol>
 * Every random draw comes from streams split off {@code new Rng(seed)} in a fixed order (sampling, held-out
 * subsample, metric subsamples, probes, straightness), so the same seed and thread count give the same figures.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** {@link #evaluate(GenerativeModel, float[], int, OdeSolver, EvaluationOptions)} with default options. */
    public static EvaluationResult evaluate(GenerativeModel model, float[] heldOut, int rows, OdeSolver solver, int n, long seed) {
        return evaluate(model, heldOut, rows, solver, EvaluationOptions.defaults(n, seed));
    }

    /**
     * Evaluates {@code model} on the held-out rows {@code heldOut} ({@code [rows, model.dim()]}, data units).
     *
     * @param solver the ODE solver for sampling and likelihood; may be null only for a model that does not
     *               {@linkplain GenerativeModel#usesSolver() use one}
     * @throws IllegalArgumentException if the held-out data do not have the model's dimension, are empty or not
     *                                  finite, or a solver is missing
     */
    public static EvaluationResult evaluate(GenerativeModel model, float[] heldOut, int rows, OdeSolver solver,
                                            EvaluationOptions options) {
        long start = System.nanoTime();
        int d = model.dim();
        if (heldOut == null || rows < 1 || heldOut.length != (long) rows * d) {
            throw new IllegalArgumentException("evaluation: held-out data " + (heldOut == null ? "null" : heldOut.length + " values")
                    + " for " + rows + " rows do not form [rows, " + d + "] (the model's dimension is " + d + ")");
        }
        PointSets.check("held-out", heldOut, rows, d);
        if (solver == null && model.usesSolver()) {
            throw new IllegalArgumentException("evaluation: a '" + model.method() + "' model integrates an ODE and needs a solver");
        }
        Rng root = new Rng(options.seed());
        Rng sampleRng = root.split();
        Rng heldOutRng = root.split();
        Rng metricRng = root.split();
        Rng probeRng = root.split();
        Rng pathRng = root.split();

        int n = options.n();
        int kept = Math.min(rows, n);
        float[] test = PointSets.subsample(heldOut, rows, d, kept, heldOutRng);
        Samples s = model.sample(n, solver, sampleRng, Recording.none());

        int k = Math.min(options.otMaxPoints(), Math.min(n, kept));
        float[] xs = PointSets.subsample(s.values(), n, d, k, metricRng);
        float[] ys = PointSets.subsample(test, kept, d, k, metricRng);
        Wasserstein ot = new Wasserstein(options.otExactMax(), options.otMaxPoints(), Wasserstein.DEFAULT_RELATIVE_EPSILON);
        WassersteinResult w1 = ot.w1(xs, k, ys, k, d, metricRng);
        WassersteinResult w2 = ot.w2(xs, k, ys, k, d, metricRng);
        MmdResult mmd = Mmd.rbfMedian(xs, k, ys, k, d, metricRng);

        DivergenceMethod div = options.divergenceFor(d);
        LikelihoodResult lp = model.logProb(test, kept, solver, div, options.probes(), probeRng);
        double nll = Nll.mean(lp.logProb());

        Optional<StraightnessResult> straight = Optional.empty();
        if (model.usesSolver() && model.velocityField(0).isPresent()) {
            int m = options.straightnessSamples();
            Samples paths = model.sample(m, new RK4(options.straightnessSteps()), pathRng, Recording.everyStep());
            straight = Optional.of(Straightness.of(paths.trajectory().orElseThrow(
                    () -> new IllegalStateException("model '" + model.method() + "' recorded no trajectory")), m, d));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EvaluationResult(model.method(), d, n, kept, w1, w2, mmd, nll, Nll.bitsPerDim(nll, d), s.nfe(), lp.nfe(),
                straight, seconds);
    }
}
