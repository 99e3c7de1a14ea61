package org.flowmatch4j.examples;

import java.nio.file.Path;
import java.util.List;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.Methods;
import org.flowmatch4j.model.Models;
import org.flowmatch4j.model.Samples;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.train.LossLog;

/**
 * Flow Matching from Java in about twenty lines: train a velocity field {@code v_θ(t, x)} that carries N(0, I) at
 * t = 0 to the two-moons data at t = 1 (straight paths, exact minibatch OT pairs), sample by integrating
 * {@code dx/dt = v_θ} with Dormand–Prince, compute exact log-likelihoods {@code log p₁(x)} by integrating the
 * divergence backwards, save the model directory and load it again.
 *
 * <pre>{@code
 * java -cp flowmatch4j-core.jar --add-modules jdk.incubator.vector org.flowmatch4j.examples.FlowMatchingQuickStart [steps] [dir]
 * }</pre>
 */
public final class FlowMatchingQuickStart {
    private FlowMatchingQuickStart() {
    }

    /** Trains, samples, scores, saves and reloads; returns the mean log-likelihood of the samples. */
    public static double run(long steps, Path dir) throws java.io.IOException {
        Dataset data = ToyDatasets.generate("moons", 20000, new Rng(1));
        Standardization norm = Standardization.fit(data); // the network works on standardised data
        Methods.Common common = new Methods.Common(128, 3, "silu", steps, 256, 1e-3, 0, 0, Runtime.getRuntime().availableProcessors(), "moons");
        FlowMatchingModel model = Methods.velocityModel("fm", norm, data.columnNames(), common, Methods.FmOptions.condot("exact-ot"));
        LossLog log = new LossLog();
        Methods.trainFlowMatching(model, data, common, List.of(log));
        System.out.printf("trained %d steps, final loss %.4f%n", log.size(), log.meanOfLast(100));

        Samples samples = model.sample(1000, DormandPrince54.withTolerances(1e-5, 1e-5), new Rng(2), Recording.none());
        LikelihoodResult lp = model.logProb(samples.values(), samples.rows(), DormandPrince54.withTolerances(1e-5, 1e-5),
                DivergenceMethod.EXACT, 0, new Rng(3));
        System.out.printf("1000 samples with %d function evaluations; mean log p = %.3f nats%n", samples.nfe(), lp.mean());

        model.save(dir); // model.safetensors + config.json
        GenerativeModel back = Models.load(dir);
        System.out.println("reloaded a '" + back.method() + "' model of dimension " + back.dim() + " from " + dir);
        return lp.mean();
    }

    /** Entry point: {@code [steps (default 5000)] [model directory (default runs/quickstart)]}. */
    public static void main(String[] args) throws java.io.IOException {
        run(args.length > 0 ? Long.parseLong(args[0]) : 5000, Path.of(args.length > 1 ? args[1] : "runs/quickstart"));
    }
}
