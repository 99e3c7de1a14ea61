package org.flowmatch4j.model;

import java.util.List;
import java.util.Locale;
import org.flowmatch4j.cnf.CnfSettings;
import org.flowmatch4j.cnf.CnfTrainer;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.fm.FlowMatchingTrainer;
import org.flowmatch4j.fm.ReflowPairs;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.nf.NfTrainingSettings;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.train.TrainingListener;

/**
 * Builds and trains a model of each method from the options the methods share, so that the command line's
 * {@code train --method} and {@code compare} train them the same way:
 * <ul>
 *   <li>{@code fm}: conditional Flow Matching on any path/coupling/target ({@link FlowMatchingModel#train});</li>
 *   <li>{@code diffusion}: the VP SDE (β 0.1–20) with ε-prediction, trained by denoising score matching, which
 *       is the CFM loss on the VP path with the ε target and independent pairs;</li>
 *   <li>{@code cnf}: the same velocity network trained by maximum likelihood through an ODE solve
 *       ({@link CnfTraining});</li>
 *   <li>{@code nf}: a RealNVP normalizing flow trained by maximum likelihood ({@link NormalizingFlowModel});</li>
 *   <li>{@code reflow}: Flow Matching on the pairs {@code (x0, φ₁(x0))} of a trained teacher, starting from the
 *       teacher's weights ({@link FlowMatchingModel#reflowStudent}).</li>
 * </ul>
 */
public final class Methods {
    /** The method names, as in {@code config.json} and {@code train --method}. */
    public static final List<String> NAMES = List.of("fm", "nf", "cnf", "diffusion", "reflow");

    private Methods() {
    }

    /**
     * The options every method takes.
     *
     * @param hidden     hidden width (the velocity network's, or each coupling conditioner's)
     * @param layers     hidden layers (idem)
     * @param activation activation name
     * @param steps      optimiser steps
     * @param batch      batch size
     * @param lr         Adam learning rate
     * @param ema        EMA decay of the weights (0 = off; Flow Matching family only)
     * @param seed       seed of initialisation and training draws
     * @param threads    worker threads (recorded in the configuration)
     * @param data       data name or file, recorded in the configuration
     */
    public record Common(int hidden, int layers, String activation, long steps, int batch, double lr, double ema, long seed,
                         int threads, String data) {
        /** Validates the values. */
        public Common {
            if (hidden < 1 || layers < 1 || steps < 1 || batch < 1 || threads < 1) {
                throw new IllegalArgumentException("hidden, layers, steps, batch and threads must be >= 1, got " + hidden + ", " + layers
                        + ", " + steps + ", " + batch + ", " + threads);
            }
            if (!(lr > 0) || !Double.isFinite(lr)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + lr);
            }
            if (!(ema >= 0 && ema < 1)) {
                throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + ema);
            }
            activation = activation.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The Flow Matching options.
     *
     * @param path     path name ({@link Factories#PATHS})
     * @param sigma    the path's σ (0 where it takes none)
     * @param target   velocity, x1 or epsilon
     * @param coupling coupling name ({@link Factories#COUPLINGS})
     */
    public record FmOptions(String path, double sigma, String target, String coupling) {
        /** Diffusion's: the VP path with the ε target and independent pairs. */
        public static FmOptions diffusion() {
            return new FmOptions("vp", 0.0, "epsilon", "independent");
        }

        /** The straight path with the velocity target and the given coupling. */
        public static FmOptions condot(String coupling) {
            return new FmOptions("condot", 0.0, "velocity", coupling);
        }
    }

    /** An untrained velocity-network model ({@code fm}, {@code diffusion} or {@code cnf}) for data of this shape. */
    public static FlowMatchingModel velocityModel(String method, Standardization norm, List<String> columns, Common c, FmOptions o) {
        if (!List.of("fm", "diffusion", "cnf", "reflow").contains(method)) {
            throw new IllegalArgumentException("method '" + method + "' is not a velocity-network method (fm, diffusion, cnf, reflow)");
        }
        int dim = norm.mean().length;
        FmOptions opt = "cnf".equals(method) ? new FmOptions("condot", 0.0, "velocity", "independent") : o;
        return FlowMatchingModel.create(new ModelConfig(ModelConfig.FORMAT_VERSION, method, dim, c.hidden(), c.layers(), c.activation(),
                "concat", opt.path(), opt.sigma(), opt.target(), opt.coupling(), norm.mean(), norm.std(), columns, c.data(), c.seed(),
                c.steps(), c.batch(), c.lr(), c.ema(), c.threads()));
    }

    /** Trains an {@code fm} or {@code diffusion} model (from {@link #velocityModel}) on {@code data}. */
    public static FlowMatchingTrainer trainFlowMatching(FlowMatchingModel model, Dataset data, Common c, List<TrainingListener> listeners) {
        FlowMatchingTrainer trainer = model.trainer(new TrainingSettings(c.steps(), c.batch(), c.lr(), c.ema(), 0, c.seed()));
        model.train(data, trainer, listeners);
        return trainer;
    }

    /** Trains a {@code cnf} model (from {@link #velocityModel}) by maximum likelihood with the solver and divergence of {@code cnf}. */
    public static CnfTrainer trainCnf(FlowMatchingModel model, Dataset data, Common c, CnfSettings cnf, List<TrainingListener> listeners) {
        CnfSettings s = new CnfSettings(c.steps(), c.batch(), c.lr(), cnf.maxGradNorm(), c.seed(), cnf.solver(), cnf.solverSteps(),
                cnf.adaptive(), cnf.divergence(), cnf.probes());
        return CnfTraining.train(model, data, s, listeners);
    }

    /** An untrained RealNVP flow with {@code couplings} coupling layers. */
    public static NormalizingFlowModel normalizingFlow(Standardization norm, List<String> columns, Common c, int couplings) {
        int dim = norm.mean().length;
        return NormalizingFlowModel.create(new NormalizingFlowConfig(NormalizingFlowConfig.FORMAT_VERSION, NormalizingFlowConfig.METHOD, dim,
                couplings, c.hidden(), c.layers(), c.activation(), 1.0, true, norm.mean(), norm.std(), columns, c.data(), c.seed(),
                c.steps(), c.batch(), c.lr(), c.threads()));
    }

    /** Trains a normalizing flow (from {@link #normalizingFlow}) by maximum likelihood. */
    public static void trainNormalizingFlow(NormalizingFlowModel model, Dataset data, Common c, List<TrainingListener> listeners) {
        model.train(data, new NfTrainingSettings(c.steps(), c.batch(), c.lr(), 0, c.seed()), listeners);
    }

    /** The result of {@link #reflow}: the trained student and the teacher's cost of generating its pairs. */
    public record Reflowed(FlowMatchingModel student, int pairs, long pairNfe, double pairSeconds) {
    }

    /**
     * Reflow: draws {@code pairs} sources, pushes them through {@code teacher}'s flow (dopri5, rtol = atol = 1e-5),
     * and trains a student (initialised from the teacher) on those pairs for {@code c.steps()} steps.
     */
    public static Reflowed reflow(FlowMatchingModel teacher, int pairs, Common c, List<TrainingListener> listeners) {
        if (pairs < 1) {
            throw new IllegalArgumentException("reflow needs >= 1 pair, got " + pairs);
        }
        long t0 = System.nanoTime();
        ReflowPairs p = ReflowPairs.generate(teacher.field(0), pairs, DormandPrince54.withTolerances(1e-5, 1e-5), new Rng(c.seed()).split(),
                50_000);
        double pairSeconds = (System.nanoTime() - t0) / 1e9;
        FlowMatchingModel student = teacher.reflowStudent(c.seed(), c.steps(), c.batch(), c.lr(), c.ema(), c.threads());
        FlowMatchingTrainer trainer = student.trainer(new TrainingSettings(c.steps(), c.batch(), c.lr(), c.ema(), 0, c.seed()));
        student.trainPairs(p, trainer, listeners);
        return new Reflowed(student, pairs, p.nfe(), pairSeconds);
    }
}
