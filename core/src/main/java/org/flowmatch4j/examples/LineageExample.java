package org.flowmatch4j.examples;

import java.util.List;
import java.util.Map;
import org.flowmatch4j.cnf.CnfSettings;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.DatasetSplit;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.eval.Evaluation;
import org.flowmatch4j.eval.EvaluationResult;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.Methods;
import org.flowmatch4j.model.NormalizingFlowModel;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.tensor.Rng;

/**
 * Flow Matching beside its lineage from Java: a RealNVP normalizing flow and a CNF (both by maximum likelihood),
 * VP-SDE diffusion and Flow Matching, each trained on the same split of the 8-Gaussians data and evaluated on the
 * held-out part ({@link Evaluation}: W2, MMD, test NLL, NFE, straightness). For equal wall-clock budgets and the
 * full table, see {@link org.flowmatch4j.eval.MethodComparison} (what {@code flowmatch compare} runs).
 */
public final class LineageExample {
    private LineageExample() {
    }

    /** Trains each method for {@code steps} steps ({@code cnfSteps} for the CNF, whose steps are far dearer) and evaluates it. */
    public static Map<String, EvaluationResult> run(long steps, long cnfSteps) {
        DatasetSplit split = ToyDatasets.generate("8gaussians", 20000, new Rng(1)).split(0.2, 2);
        Dataset train = split.train();
        Standardization norm = Standardization.fit(train);
        int threads = Runtime.getRuntime().availableProcessors();
        Methods.Common c = new Methods.Common(64, 3, "silu", steps, 256, 1e-3, 0, 0, threads, "8gaussians");
        Methods.Common cc = new Methods.Common(64, 3, "silu", cnfSteps, 256, 1e-3, 0, 0, threads, "8gaussians");

        FlowMatchingModel fm = Methods.velocityModel("fm", norm, train.columnNames(), c, Methods.FmOptions.condot("independent"));
        Methods.trainFlowMatching(fm, train, c, List.of());
        FlowMatchingModel diffusion = Methods.velocityModel("diffusion", norm, train.columnNames(), c, Methods.FmOptions.diffusion());
        Methods.trainFlowMatching(diffusion, train, c, List.of());
        FlowMatchingModel cnf = Methods.velocityModel("cnf", norm, train.columnNames(), cc, Methods.FmOptions.condot("independent"));
        Methods.trainCnf(cnf, train, cc, CnfSettings.defaults(cnfSteps, 0), List.of());
        NormalizingFlowModel nf = Methods.normalizingFlow(norm, train.columnNames(), c, 8);
        Methods.trainNormalizingFlow(nf, train, c, List.of());

        Map<String, EvaluationResult> results = new java.util.LinkedHashMap<>();
        float[] test = split.test().toArray();
        for (GenerativeModel m : List.<GenerativeModel>of(fm, diffusion, cnf, nf)) {
            EvaluationResult r = Evaluation.evaluate(m, test, split.test().size(), m.usesSolver() ? new RK4(25) : null, 1000, 7);
            results.put(m.method(), r);
            System.out.printf("%-9s W2 %.3f  test NLL %.3f nats  NFE %d  straightness %.3f%n", m.method(), r.w2().value(), r.testNll(),
                    r.nfe(), r.chordStraightness());
        }
        return results;
    }

    /** Entry point: {@code [steps (default 3000)] [cnf steps (default 300)]}. */
    public static void main(String[] args) {
        run(args.length > 0 ? Long.parseLong(args[0]) : 3000, args.length > 1 ? Long.parseLong(args[1]) : 300);
    }
}
