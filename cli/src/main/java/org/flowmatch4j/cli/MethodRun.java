package org.flowmatch4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowmatch4j.cnf.CnfSettings;
import org.flowmatch4j.cnf.CnfTrainer;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.Methods;
import org.flowmatch4j.model.NormalizingFlowModel;
import org.flowmatch4j.solver.AdaptiveOptions;
import org.flowmatch4j.solver.SolverMethod;
import org.flowmatch4j.solver.Solvers;
import org.flowmatch4j.train.LossLog;
import org.flowmatch4j.train.TrainingDivergedException;
import org.flowmatch4j.train.TrainingListener;
import picocli.CommandLine.ParameterException;

/**
 * {@code train --method nf|cnf|reflow}: the methods trained outside the checkpointed Flow Matching loop. Writes the
 * same model directory files ({@code config.json}, {@code model.safetensors}, {@code train-log.csv},
 * {@code train-config.yaml}); reflow without {@code --teacher} first trains an fm teacher into {@code OUT/teacher}.
 */
final class MethodRun {
    static final int DEFAULT_PAIRS = 20000;
    static final int DEFAULT_COUPLINGS = 8;
    private final TrainCommand c;

    MethodRun(TrainCommand c) {
        this.c = c;
    }

    void run() {
        boolean teacherGiven = "reflow".equals(c.method) && c.teacher != null;
        if (c.data == null && !teacherGiven) {
            throw usage("--data is required (a built-in data set or a CSV file)");
        }
        if (teacherGiven && c.data != null) {
            throw usage("--data does not apply with --teacher: reflow trains on the teacher's own pairs (the teacher defines the data)");
        }
        if (c.out == null) {
            throw usage("--out is required (the model directory to write)");
        }
        int threads = ThreadCount.resolve(c.spec, c.threads);
        Methods.Common common;
        CnfSettings cnf = null;
        try {
            Activation.parse(c.activation);
            common = new Methods.Common(c.hidden, c.layers, c.activation, c.steps, c.batch, c.lr, c.ema, c.seed, threads,
                    c.data == null ? "" : c.data);
            if ("cnf".equals(c.method)) {
                cnf = cnfSettings();
            }
            if (c.couplings != null && c.couplings < 1) {
                throw new IllegalArgumentException("--couplings must be >= 1, got " + c.couplings);
            }
            if (c.reflowPairs != null && c.reflowPairs < 1) {
                throw new IllegalArgumentException("--reflow-pairs must be >= 1, got " + c.reflowPairs);
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (Files.isDirectory(c.out) && !c.force && TrainCommand.isNonEmpty(c.out)) {
            throw usage("--out " + c.out + " exists and is not empty; use --force to overwrite");
        }
        c.threads = threads;
        Parallel.setThreads(threads);
        long t0 = System.nanoTime();
        LossLog log = new LossLog();
        List<TrainingListener> ls = new ArrayList<>(List.of(log, ProgressReporter.onStderr()));
        Json1 summary = new Json1().put("command", "train").put("method", c.method).put("out", c.out.toString());
        GenerativeModel model;
        try {
            Files.createDirectories(c.out);
            AtomicFiles.writeString(c.out.resolve(TrainCommand.EFFECTIVE_CONFIG),
                    ConfigFile.toYaml(ConfigFile.effective(c.spec, MethodOptions.notSaved(c.method))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model directory " + c.out + ": " + e.getMessage(), e);
        }
        try {
            switch (c.method) {
                case "nf" -> {
                    Dataset ds = c.loadData();
                    NormalizingFlowModel nf = Methods.normalizingFlow(c.normalization(ds), ds.columnNames(), common,
                            c.couplings == null ? DEFAULT_COUPLINGS : c.couplings);
                    Methods.trainNormalizingFlow(nf, ds, common, ls);
                    summary.put("data", c.data).put("rows", ds.size()).put("dim", ds.dim());
                    model = nf;
                }
                case "cnf" -> {
                    Dataset ds = c.loadData();
                    FlowMatchingModel m = Methods.velocityModel("cnf", c.normalization(ds), ds.columnNames(), common,
                            Methods.FmOptions.condot("independent"));
                    CnfTrainer trainer = Methods.trainCnf(m, ds, common, cnf, ls);
                    summary.put("data", c.data).put("rows", ds.size()).put("dim", ds.dim()).put("nfe_per_step", trainer.meanNfe());
                    model = m;
                }
                default -> model = reflow(common, summary, ls);
            }
        } catch (TrainingDivergedException e) {
            throw new IllegalStateException(e.getMessage() + "; nothing was written to " + c.out + " (try a lower --lr)", e);
        }
        TrainCommand.saveRun(model, log, c.out);
        summary.put("steps", log.size() == 0 ? 0 : log.step(log.size() - 1)).put("final_loss", log.meanOfLast(100))
                .put("seconds", (System.nanoTime() - t0) / 1e9).print();
    }

    private GenerativeModel reflow(Methods.Common common, Json1 summary, List<TrainingListener> ls) {
        FlowMatchingModel teacher;
        if (c.teacher != null) {
            teacher = loadTeacher(c.teacher);
        } else {
            Dataset ds = c.loadData();
            double sigma = c.sigma == null ? org.flowmatch4j.model.Factories.defaultSigma(c.path) : c.sigma;
            Methods.FmOptions o = new Methods.FmOptions(c.path, Double.isNaN(sigma) ? 0.0 : sigma, "eps".equals(c.target) ? "epsilon" : c.target,
                    c.coupling, c.timeEmbedding == null ? "concat" : c.timeEmbedding);
            try {
                org.flowmatch4j.model.Factories.path(c.path, c.sigma == null ? Double.NaN : c.sigma);
                org.flowmatch4j.model.Factories.coupling(c.coupling);
                teacher = Methods.velocityModel("fm", c.normalization(ds), ds.columnNames(), common, o);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            System.err.println("flowmatch: reflow: training the fm teacher first (" + c.steps + " steps)");
            LossLog tlog = new LossLog();
            Methods.trainFlowMatching(teacher, ds, common, List.of(tlog, ProgressReporter.onStderr()));
            TrainCommand.saveRun(teacher, tlog, c.out.resolve("teacher"));
            summary.put("teacher", c.out.resolve("teacher").toString()).put("data", c.data).put("rows", ds.size());
        }
        int pairs = c.reflowPairs == null ? DEFAULT_PAIRS : c.reflowPairs;
        System.err.println("flowmatch: reflow: generating " + pairs + " pairs with the teacher, then training the student");
        Methods.Reflowed r = Methods.reflow(teacher, pairs, common, ls);
        summary.put("dim", teacher.dim()).put("pairs", r.pairs()).put("pair_nfe", r.pairNfe())
                .put("pair_seconds", r.pairSeconds());
        return r.student();
    }

    private FlowMatchingModel loadTeacher(Path dir) {
        GenerativeModel m;
        try {
            m = org.flowmatch4j.model.Models.load(dir);
        } catch (IOException e) {
            throw new IllegalStateException("--teacher " + dir + ": " + e.getMessage(), e);
        }
        if (!(m instanceof FlowMatchingModel fm) || !("fm".equals(m.method()) || "reflow".equals(m.method()))) {
            throw usage("--teacher " + dir + " is a '" + m.method() + "' model; reflow needs an fm or reflow model");
        }
        return fm;
    }

    private CnfSettings cnfSettings() {
        SolverMethod solver = Solvers.parse(c.cnfSolver == null ? "rk4" : c.cnfSolver);
        if (solver.isAdaptive() && c.cnfSteps != null) {
            throw new IllegalArgumentException("--cnf-steps applies to fixed-step solvers; dopri5 adapts its steps (tolerances 1e-5)");
        }
        DivergenceMethod div = DivergenceMethod.parse(c.divergence == null ? "exact" : c.divergence);
        if (div == DivergenceMethod.EXACT && c.probes != null) {
            throw new IllegalArgumentException("--probes applies to --divergence hutchinson");
        }
        CnfSettings d = CnfSettings.defaults(c.steps, c.seed);
        return new CnfSettings(c.steps, c.batch, c.lr, d.maxGradNorm(), c.seed, solver, c.cnfSteps == null ? d.solverSteps() : c.cnfSteps,
                AdaptiveOptions.tolerances(1e-5, 1e-5), div, c.probes == null ? 1 : c.probes);
    }

    private ParameterException usage(String message) {
        return new ParameterException(c.spec.commandLine(), message);
    }
}
