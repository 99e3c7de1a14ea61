package org.flowmatch4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flowmatch4j.cnf.CnfSettings;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.Methods;
import org.flowmatch4j.model.NormalizingFlowModel;
import org.flowmatch4j.model.Samples;
import org.flowmatch4j.nn.Module;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.Euler;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TimeBudget;
import org.flowmatch4j.train.TrainingListener;

/**
 * Flow Matching beside its lineage on one data set: trains {@code fm} (independent coupling), {@code fm-ot}
 * (exact minibatch OT), {@code nf} (RealNVP), {@code cnf} (maximum likelihood through the ODE), {@code diffusion}
 * (VP SDE, ε-prediction, sampled by its probability-flow ODE) and {@code reflow} (of the {@code fm} model) with the
 * same network size and the same wall-clock budget (or the same number of steps), then scores each on held-out
 * data that training never saw: test NLL (exact divergence, dopri5 at 1e-5), exact-OT W2 of samples drawn with
 * Euler at 1, 2, 4, 10 and 100 steps and with dopri5 (rtol = atol = 1e-5), the NFE of each, and the straightness of
 * the flow (chord deviation, {@link Straightness}). A normalizing flow samples in one pass: its row repeats that
 * W2 in every column with NFE 1. For {@code fm} and {@code cnf} the test NLL is also recorded at fractions of the
 * training time, which shows how long Flow Matching needs to reach the CNF's likelihood.
 */
public final class MethodComparison {
    /** All methods, in report order. */
    public static final List<String> METHODS = List.of("fm", "fm-ot", "nf", "cnf", "diffusion", "reflow");
    /** The Euler step counts of the NFE grid; the last column is dopri5. */
    public static final int[] EULER_STEPS = {1, 2, 4, 10, 100};
    /** Fractions of the training time at which fm's and cnf's test NLL are recorded. */
    static final double[] NLL_MARKS = {0.05, 0.1, 0.2, 0.35, 0.5, 0.75};

    /**
     * What to compare and how.
     *
     * @param methods       a subset of {@link #METHODS}
     * @param common        network size, batch, learning rate, seed, threads; {@code steps} caps every run
     * @param budgetSeconds training time per method (0 = none: every method runs {@code common.steps()} steps)
     * @param evalPoints    held-out points and samples per W2 and NLL (at most the held-out size)
     * @param reflowPairs   pairs the reflow teacher generates
     * @param cnf           the CNF's training solver and divergence
     * @param couplings     coupling layers of the normalizing flow
     * @param plotPoints    samples kept per (method, column) for plots
     */
    public record Settings(List<String> methods, Methods.Common common, double budgetSeconds, int evalPoints, int reflowPairs,
                           CnfSettings cnf, int couplings, int plotPoints) {
        /** Validates the values. */
        public Settings {
            for (String m : methods) {
                if (!METHODS.contains(m)) {
                    throw new IllegalArgumentException("compare: unknown method '" + m + "'; valid: " + String.join(", ", METHODS));
                }
            }
            if (methods.contains("reflow") && !methods.contains("fm")) {
                throw new IllegalArgumentException("compare: reflow needs fm (its teacher) in the comparison");
            }
            if (!(budgetSeconds >= 0) || Double.isInfinite(budgetSeconds)) {
                throw new IllegalArgumentException("compare: budget must be >= 0 seconds, got " + budgetSeconds);
            }
            if (evalPoints < 10 || reflowPairs < 1 || couplings < 1 || plotPoints < 1) {
                throw new IllegalArgumentException("compare: need evalPoints >= 10, reflowPairs, couplings and plotPoints >= 1");
            }
            methods = List.copyOf(methods);
        }
    }

    /**
     * One method's figures.
     *
     * @param w2           W2 per column label ({@code euler1} … {@code euler100}, {@code dopri5})
     * @param nfe          network evaluations per sample batch, per column label
     * @param samples      the first {@link Settings#plotPoints()} samples per column label (data units, [k, d])
     * @param nllCurve     (training seconds, test NLL) pairs recorded during training (fm and cnf), last = final
     * @param straightness chord deviation of the flow, NaN for a normalizing flow
     */
    public record Row(String method, GenerativeModel model, double trainSeconds, long steps, double testNll,
                      Map<String, Double> w2, Map<String, Long> nfe, Map<String, float[]> samples, List<double[]> nllCurve,
                      double straightness, double extraSeconds) {
    }

    /** The comparison's result: one row per method, and the held-out points used. */
    public record Result(List<Row> rows, Dataset heldOut, Dataset train) {
    }

    /** Observes progress (method started, training step, method finished). */
    public interface Progress {
        void method(String name);

        default void step(StepInfo info) {
        }
    }

    private final Settings settings;

    /** A comparison with these settings. */
    public MethodComparison(Settings settings) {
        this.settings = settings;
    }

    /** Runs the comparison: {@code train} for training, {@code heldOut} for scoring (never trained on). */
    public Result run(Dataset train, Dataset heldOut, Progress progress) {
        if (train.dim() != heldOut.dim()) {
            throw new IllegalArgumentException("compare: training data have " + train.dim() + " columns, held-out " + heldOut.dim());
        }
        Standardization norm = Standardization.fit(train);
        Methods.Common c = settings.common();
        int n = Math.min(settings.evalPoints(), heldOut.size());
        float[] test = java.util.Arrays.copyOf(heldOut.toArray(), n * heldOut.dim());
        List<Row> rows = new ArrayList<>();
        FlowMatchingModel fm = null;
        for (String m : settings.methods()) {
            progress.method(m);
            List<double[]> curve = new ArrayList<>();
            List<TrainingListener> ls = new ArrayList<>();
            TimeBudget budget = settings.budgetSeconds() > 0 ? new TimeBudget(settings.budgetSeconds()) : null;
            if (budget != null) {
                ls.add(budget);
            }
            LastStep last = new LastStep(progress);
            ls.add(last);
            GenerativeModel model;
            double extra = 0;
            switch (m) {
                case "fm", "fm-ot", "diffusion" -> {
                    Methods.FmOptions o = m.equals("diffusion") ? Methods.FmOptions.diffusion()
                            : Methods.FmOptions.condot(m.equals("fm-ot") ? "exact-ot" : "independent");
                    FlowMatchingModel f = Methods.velocityModel(m.equals("diffusion") ? "diffusion" : "fm", norm, train.columnNames(), c, o);
                    if (m.equals("fm")) {
                        ls.add(new NllMarks(f, f.network().module(), test, n, curve));
                    }
                    Methods.trainFlowMatching(f, train, c, ls);
                    if (m.equals("fm")) {
                        fm = f;
                    }
                    model = f;
                }
                case "cnf" -> {
                    FlowMatchingModel f = Methods.velocityModel("cnf", norm, train.columnNames(), c, Methods.FmOptions.condot("independent"));
                    ls.add(new NllMarks(f, f.network().module(), test, n, curve));
                    Methods.trainCnf(f, train, c, settings.cnf(), ls);
                    model = f;
                }
                case "nf" -> {
                    NormalizingFlowModel f = Methods.normalizingFlow(norm, train.columnNames(), c, settings.couplings());
                    Methods.trainNormalizingFlow(f, train, c, ls);
                    model = f;
                }
                default -> {
                    // reflow: generating the pairs costs the teacher ODE solves; that time counts against the same budget
                    long p0 = System.nanoTime();
                    List<TrainingListener> rl = new ArrayList<>(ls);
                    if (budget != null) {
                        rl.remove(budget);
                        rl.add(new OffsetBudget(settings.budgetSeconds(), () -> (System.nanoTime() - p0) / 1e9));
                    }
                    Methods.Reflowed r = Methods.reflow(fm, settings.reflowPairs(), c, rl);
                    // everything since the pairs began counts (pairs, the student's set-up, its training)
                    extra = (System.nanoTime() - p0) / 1e9 - last.seconds;
                    model = r.student();
                }
            }
            // training time as the trainer counts it (set-up and the NLL marks' scoring excluded), plus reflow's pairs
            double trainSeconds = last.seconds + extra;
            rows.add(score(m, model, trainSeconds, last.step, test, n, heldOut.dim(), curve, extra));
        }
        return new Result(rows, heldOut, train);
    }

    private Row score(String method, GenerativeModel model, double trainSeconds, long steps, float[] test, int n, int d,
                      List<double[]> curve, double extra) {
        long seed = settings.common().seed();
        double nll = -model.logProb(test, n, DormandPrince54.withTolerances(1e-5, 1e-5), DivergenceMethod.EXACT, 0, new Rng(seed + 1))
                .mean();
        if (!curve.isEmpty() || method.equals("fm") || method.equals("cnf")) {
            curve.add(new double[] {trainSeconds, nll});
        }
        Wasserstein w = new Wasserstein();
        Map<String, Double> w2 = new LinkedHashMap<>();
        Map<String, Long> nfe = new LinkedHashMap<>();
        Map<String, float[]> plots = new LinkedHashMap<>();
        int keep = Math.min(settings.plotPoints(), n);
        Samples onePass = model.usesSolver() ? null : model.sample(n, null, new Rng(seed + 2), Recording.none());
        List<String> labels = new ArrayList<>();
        List<OdeSolver> solvers = new ArrayList<>();
        for (int k : EULER_STEPS) {
            labels.add("euler" + k);
            solvers.add(new Euler(k));
        }
        labels.add("dopri5");
        solvers.add(DormandPrince54.withTolerances(1e-5, 1e-5));
        for (int i = 0; i < labels.size(); i++) {
            Samples s = onePass != null ? onePass : model.sample(n, solvers.get(i), new Rng(seed + 2), Recording.none());
            double v = w.w2(s.values(), s.rows(), test, n, d, new Rng(seed + 3)).value();
            w2.put(labels.get(i), v);
            nfe.put(labels.get(i), s.nfe());
            plots.put(labels.get(i), java.util.Arrays.copyOf(s.values(), keep * d));
        }
        double straight = Double.NaN;
        Optional<org.flowmatch4j.likelihood.VelocityField> field = model.velocityField(0);
        if (field.isPresent()) {
            int k = Math.min(256, n);
            double[] y0 = new double[k * d];
            Rng r = new Rng(seed + 4);
            for (int i = 0; i < y0.length; i++) {
                y0[i] = r.nextGaussian();
            }
            var sol = new RK4(100).solve(new org.flowmatch4j.likelihood.FlowOde(field.get(), k), 0.0, y0, 1.0, Recording.everyStep());
            straight = Straightness.of(sol.trajectory().orElseThrow(), k, d).chordDeviation();
        }
        return new Row(method, model, trainSeconds, steps, nll, w2, nfe, plots, List.copyOf(curve), straight, extra);
    }

    /** Remembers the last step and forwards steps to the progress observer. */
    private static final class LastStep implements TrainingListener {
        private final Progress progress;
        long step;
        double seconds;

        LastStep(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void onStep(StepInfo info) {
            step = info.step();
            seconds = info.seconds();
            progress.step(info);
        }
    }

    /** A time budget on training time plus time spent before training began (reflow's pair generation). */
    private static final class OffsetBudget implements TrainingListener {
        private final double seconds;
        private final java.util.function.DoubleSupplier sinceStart;
        private boolean spent;

        OffsetBudget(double seconds, java.util.function.DoubleSupplier sinceStart) {
            this.seconds = seconds;
            this.sinceStart = sinceStart;
        }

        @Override
        public void onStep(StepInfo info) {
            spent |= sinceStart.getAsDouble() >= seconds;
        }

        @Override
        public boolean stopRequested() {
            return spent;
        }
    }

    /**
     * Records the test NLL at fractions of the training time. The network's weights are copied at each mark (cheap)
     * and scored after training, so scoring does not eat into the budget.
     */
    private final class NllMarks implements TrainingListener {
        private final FlowMatchingModel model;
        private final Module net;
        private final float[] test;
        private final int n;
        private final List<double[]> curve;
        private final List<Map<String, Tensor>> snapshots = new ArrayList<>();
        private final List<Double> times = new ArrayList<>();
        private int next;
        private final double horizon;

        NllMarks(FlowMatchingModel model, Module net, float[] test, int n, List<double[]> curve) {
            this.model = model;
            this.net = net;
            this.test = test;
            this.n = n;
            this.curve = curve;
            this.horizon = settings.budgetSeconds();
        }

        @Override
        public void onStep(StepInfo info) {
            if (horizon <= 0 || next >= NLL_MARKS.length) {
                return;
            }
            if (info.seconds() >= NLL_MARKS[next] * horizon) {
                Map<String, Tensor> copy = new LinkedHashMap<>();
                net.stateDict().forEach((k, v) -> copy.put(k, v.copy()));
                snapshots.add(copy);
                times.add(info.seconds());
                next++;
            }
        }

        @Override
        public void onEnd(StepInfo last) {
            Map<String, Tensor> fin = new LinkedHashMap<>();
            net.stateDict().forEach((k, v) -> fin.put(k, v.copy()));
            for (int i = 0; i < snapshots.size(); i++) {
                net.loadStateDict(snapshots.get(i));
                double nll = -model.logProb(test, n, DormandPrince54.withTolerances(1e-5, 1e-5), DivergenceMethod.EXACT, 0,
                        new Rng(settings.common().seed() + 1)).mean();
                curve.add(new double[] {times.get(i), nll});
            }
            net.loadStateDict(fin);
        }
    }
}
