package org.flowmatch4j.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowmatch4j.cnf.CnfSettings;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.DatasetSplit;
import org.flowmatch4j.eval.MethodComparison;
import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.model.Methods;
import org.flowmatch4j.report.Bounds;
import org.flowmatch4j.report.Figure;
import org.flowmatch4j.report.HtmlReport;
import org.flowmatch4j.report.LinePlot;
import org.flowmatch4j.report.Panel;
import org.flowmatch4j.report.ScatterPlot;
import org.flowmatch4j.train.StepInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flowmatch compare}: Flow Matching beside its lineage on one data set and one budget
 * ({@link MethodComparison}); writes {@code DIR/compare.html} (samples per method and NFE, W2-vs-NFE curves, NLL vs
 * training time, the table), {@code DIR/compare.json}, each method's model directory under {@code DIR/models/},
 * and prints the table as JSON.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Trains fm (independent and exact-OT coupling), nf, cnf, diffusion and reflow on the same data and budget, scores each "
                + "on held-out data and writes DIR/compare.html.")
public final class CompareCommand implements Runnable {
    static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x17becf));

    @Spec
    CommandSpec spec;
    @Option(names = "--data", required = true, description = "Built-in data or a CSV file; 20% of it is held out for scoring.")
    String data;
    @Option(names = "--budget-seconds", description = "Training time per method in seconds (default 20 unless --steps is given).")
    Double budgetSeconds;
    @Option(names = "--steps", description = "Train every method for this many steps instead of a time budget.")
    Long steps;
    @Option(names = "--out", defaultValue = "runs/compare", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--force", description = "Overwrite a non-empty --out directory.")
    boolean force;
    @Option(names = "--methods", split = ",", description = "Subset of fm,fm-ot,nf,cnf,diffusion,reflow (default all; reflow needs fm).")
    List<String> methods;
    @Option(names = "--hidden", defaultValue = "64", description = "Hidden width of every network (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--layers", defaultValue = "3", description = "Hidden layers (default ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--activation", defaultValue = "silu", description = "Activation (default ${DEFAULT-VALUE}).")
    String activation;
    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--n", defaultValue = "2000", description = "Held-out points and samples per W2/NLL (default ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;
    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public void run() {
        if (budgetSeconds != null && steps != null) {
            throw usage("give either --budget-seconds or --steps, not both");
        }
        double budget = steps != null ? 0 : budgetSeconds == null ? 20 : budgetSeconds;
        if (steps != null && steps < 1 || budgetSeconds != null && !(budgetSeconds > 0)) {
            throw usage("--steps and --budget-seconds must be positive");
        }
        int t = ThreadCount.resolve(spec, threads);
        MethodComparison.Settings settings;
        try {
            Activation.parse(activation);
            Methods.Common c = new Methods.Common(hidden, layers, activation, steps == null ? Long.MAX_VALUE / 4 : steps, batch, lr, 0, seed, t, data);
            settings = new MethodComparison.Settings(methods == null ? MethodComparison.METHODS : methods, c, budget, n, 20000,
                    CnfSettings.defaults(1, seed), 8, 1000);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (Files.isDirectory(out) && !force && TrainCommand.isNonEmpty(out)) {
            throw usage("--out " + out + " exists and is not empty; use --force to overwrite");
        }
        Parallel.setThreads(t);
        long t0 = System.nanoTime();
        Dataset all = DataSources.load(data, seed);
        DatasetSplit split = all.split(0.2, seed + 17);
        MethodComparison.Result result = new MethodComparison(settings).run(split.train(), split.test(), new MethodComparison.Progress() {
            private long lastPrint;
            private String current;

            @Override
            public void method(String name) {
                current = name;
                System.err.println("compare: training " + name + (budget > 0 ? " for " + budget + " s" : " for " + steps + " steps"));
            }

            @Override
            public void step(StepInfo info) {
                long now = System.nanoTime();
                if (now - lastPrint > 5_000_000_000L) {
                    lastPrint = now;
                    System.err.printf(Locale.ROOT, "compare: %s step %d loss %.4f (%.1f s)%n", current, info.step(), info.loss(), info.seconds());
                }
            }
        });
        List<Object> rows = new ArrayList<>();
        try {
            Files.createDirectories(out.resolve("models"));
            for (MethodComparison.Row r : result.rows()) {
                r.model().save(out.resolve("models").resolve(r.method()));
                rows.add(jsonRow(r));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("rows", rows);
            AtomicFiles.writeString(out.resolve("compare.json"), org.flowmatch4j.io.Json.writePretty(jsonDoc(doc, budget, all)));
            AtomicFiles.writeString(out.resolve("compare.html"), html(result, budget, all.dim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        System.err.println("compare: wrote " + out.resolve("compare.html") + " in " + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9));
        StringBuilder sb = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(org.flowmatch4j.io.Json.write(rows.get(i)));
        }
        System.out.println(sb.append("]}"));
    }

    private Map<String, Object> jsonDoc(Map<String, Object> doc, double budget, Dataset all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("rows_total", (long) all.size());
        m.put("budget_seconds", budget > 0 ? budget : null);
        m.put("steps", steps);
        m.put("hidden", (long) hidden);
        m.put("layers", (long) layers);
        m.put("seed", seed);
        m.putAll(doc);
        return m;
    }

    static Map<String, Object> jsonRow(MethodComparison.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("train_seconds", r.trainSeconds());
        m.put("steps", r.steps());
        m.put("test_nll", r.testNll());
        m.put("w2_euler10", r.w2().get("euler10"));
        m.put("w2_euler100", r.w2().get("euler100"));
        m.put("w2_dopri5", r.w2().get("dopri5"));
        m.put("nfe_dopri5", r.nfe().get("dopri5"));
        m.put("straightness", Double.isNaN(r.straightness()) ? null : r.straightness());
        m.put("w2_euler1", r.w2().get("euler1"));
        m.put("w2_euler2", r.w2().get("euler2"));
        m.put("w2_euler4", r.w2().get("euler4"));
        m.put("one_pass", !r.model().usesSolver());
        if (r.nllCurve().size() > 1) {
            List<Object> curve = new ArrayList<>();
            for (double[] p : r.nllCurve()) {
                curve.add(List.of(p[0], p[1]));
            }
            m.put("nll_curve", curve);
        }
        return m;
    }

    private String html(MethodComparison.Result res, double budget, int d) {
        HtmlReport h = new HtmlReport("flowmatch4j compare: " + data,
                (budget > 0 ? String.format(Locale.ROOT, "%.0f s of training per method", budget) : steps + " steps per method")
                        + String.format(Locale.ROOT, ", %d training / %d held-out points, hidden %d × %d, seed %d", res.train().size(),
                        res.heldOut().size(), hidden, layers, seed));
        h.section("Results").table(List.of("method", "train s", "steps", "test NLL", "W2 euler1", "W2 euler2", "W2 euler10", "W2 euler100",
                "W2 dopri5", "NFE dopri5", "straightness"), tableRows(res));
        h.paragraph("Test NLL in nats per point (exact divergence, dopri5 1e-5) on held-out data. W2 is the exact optimal-transport distance "
                + "between samples and held-out points. Straightness is the mean distance of trajectories from their chords (0 = straight) "
                + "in standardised units. The normalizing flow (nf) samples in one pass: its W2 is the same in every column.");
        if (d > 2) {
            h.note("The data have " + d + " columns; the plots show the first two.");
        }
        // sample grid: rows = methods, columns = NFE
        List<String> cols = new ArrayList<>();
        for (int k : MethodComparison.EULER_STEPS) {
            cols.add("euler" + k);
        }
        cols.add("dopri5");
        float[] ref = res.heldOut().toArray();
        int refN = Math.min(1000, res.heldOut().size());
        Bounds b = Bounds.quantiles(column(ref, refN, d, 0), column(ref, refN, d, 1), refN, 0.005).pad(0.15);
        Figure grid = new Figure("Samples (rows: methods; columns: solver and NFE)", cols.size(), 200, 200);
        for (MethodComparison.Row r : res.rows()) {
            for (String c : cols) {
                float[] s = r.samples().get(c);
                int k = s.length / d;
                String label = c.equals("dopri5") ? "dopri5, " + r.nfe().get(c) + " NFE" : r.nfe().get(c) + " Euler NFE";
                grid.add(new Panel(r.method() + ": " + (r.model().usesSolver() ? label : "one pass")).limits(b).equalAspect()
                        .add(ScatterPlot.of(ref, refN, d, 0, 1, new Color(0xcfcfcf)).radius(1.0))
                        .add(ScatterPlot.of(s, k, d, 0, 1, new Color(0x1f77b4)).radius(1.0)));
            }
        }
        h.section("Samples").figure(grid.toPng(), grid.width(), grid.height(), "samples per method and NFE", "Each panel: "
                + Math.min(1000, res.heldOut().size()) + " samples (blue) over " + refN + " held-out points (grey).");
        // W2 vs NFE
        Panel w2 = new Panel("W2 to held-out data vs NFE").labels("NFE (log)", "W2").log(true, false).legend(true).grid(true);
        int ci = 0;
        for (MethodComparison.Row r : res.rows()) {
            double[] xs = new double[cols.size()];
            double[] ys = new double[cols.size()];
            for (int i = 0; i < cols.size(); i++) {
                xs[i] = Math.max(1, r.nfe().get(cols.get(i)));
                ys[i] = r.w2().get(cols.get(i));
            }
            w2.add(LinePlot.of(xs, ys, PALETTE.get(ci++ % PALETTE.size())).withMarkers().label(r.method()));
        }
        Figure wf = Figure.single(w2, 640, 420);
        h.section("W2 against the number of function evaluations").figure(wf.toPng(), wf.width(), wf.height(), "W2 vs NFE",
                "Euler with 1, 2, 4, 10, 100 steps and dopri5 (its NFE as counted).");
        // NLL vs training time
        Panel nll = new Panel("test NLL during training").labels("training seconds", "test NLL (nats)").legend(true).grid(true);
        ci = 0;
        boolean any = false;
        for (MethodComparison.Row r : res.rows()) {
            Color col = PALETTE.get(ci++ % PALETTE.size());
            if (r.nllCurve().size() > 1) {
                double[] xs = r.nllCurve().stream().mapToDouble(p -> p[0]).toArray();
                double[] ys = r.nllCurve().stream().mapToDouble(p -> p[1]).toArray();
                nll.add(LinePlot.of(xs, ys, col).withMarkers().label(r.method()));
                any = true;
            }
        }
        if (any) {
            Figure nf = Figure.single(nll, 640, 420);
            h.section("Likelihood against training time").figure(nf.toPng(), nf.width(), nf.height(), "NLL vs time",
                    "Flow Matching (simulation-free) and the CNF trained by maximum likelihood through the ODE solver.");
        }
        return h.toHtml();
    }

    private static List<List<String>> tableRows(MethodComparison.Result res) {
        List<List<String>> rows = new ArrayList<>();
        for (MethodComparison.Row r : res.rows()) {
            rows.add(List.of(r.method(), f(r.trainSeconds(), 1), Long.toString(r.steps()), f(r.testNll(), 3), f(r.w2().get("euler1"), 3),
                    f(r.w2().get("euler2"), 3), f(r.w2().get("euler10"), 3), f(r.w2().get("euler100"), 3), f(r.w2().get("dopri5"), 3),
                    Long.toString(r.nfe().get("dopri5")), Double.isNaN(r.straightness()) ? "—" : f(r.straightness(), 3)));
        }
        return rows;
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static double[] column(float[] rows, int n, int d, int c) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rows[i * d + Math.min(c, d - 1)];
        }
        return x;
    }

    private ParameterException usage(String m) {
        return new ParameterException(spec.commandLine(), m);
    }
}
