package org.flowmatch4j.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.eval.Mmd;
import org.flowmatch4j.eval.MmdResult;
import org.flowmatch4j.eval.Nll;
import org.flowmatch4j.eval.Straightness;
import org.flowmatch4j.eval.StraightnessResult;
import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.Samples;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.solver.Trajectory;
import org.flowmatch4j.tensor.Rng;

/**
 * The standard report of a trained {@link GenerativeModel}: one self-contained HTML page (written with
 * {@link HtmlReport}) and each figure as a PNG (and SVG for the small ones) next to it, named
 * {@code <stem>-<figure>.png}. Figures: data vs samples; trajectories from noise (t = 0) to data (t = 1) and the
 * learned vector field at several t (ODE models only); the density {@code exp log p(x)} on a grid from exact
 * log-likelihoods (2-D data only: for d > 2 a slice would not be a marginal); the loss curve. Then a metrics
 * table and the model's config. Data with d > 2 is plotted in its first two columns.
 *
 * <p>Metrics (through {@code org.flowmatch4j.eval}): W2 between samples and reference points, both standardised
 * with the reference's per-column mean and standard deviation ({@link StandardizedW2}, exact OT), next to the same
 * estimator between two disjoint halves of the reference (the finite-sample floor); RBF MMD²; the mean negative
 * log-likelihood of reference points in nats and bits per dimension ({@code NLL / (d ln 2)}); the NFE spent;
 * the straightness of the recorded paths; and the probability mass the density grid holds (≈ 1 when the grid
 * covers the distribution).
 */
public final class ModelReport {
    private static final Color DATA_COLOR = new Color(40, 40, 40, 70);
    private static final Color SAMPLE_COLOR = new Color(214, 96, 24, 80);
    private static final Color START_COLOR = new Color(120, 120, 120, 150);
    private static final Color END_COLOR = new Color(20, 20, 20, 200);
    private static final Color BACKDROP = new Color(150, 150, 150, 70);
    private static final Color LOSS_COLOR = new Color(0x1f5fa8);
    private static final int DENSITY_CELL_W = 580;
    private static final int DENSITY_CELL_H = 470;
    private static final int FIELD_CELL_W = 236;
    private static final int FIELD_CELL_H = 250;
    /** rtol = atol of the dopri5 solves behind the reported test NLL (the same as `eval` and `compare`). */
    private static final double NLL_TOLERANCE = 1e-5;

    /**
     * Points to compare the model with.
     *
     * @param data        the points (data units)
     * @param description where they come from (shown in the report)
     */
    public record Reference(Dataset data, String description) {
    }

    /**
     * What was written.
     *
     * @param html     the report
     * @param files    every file written, the report first
     * @param figures  figures in the report
     * @param w2       standardised W2 of samples vs reference (NaN without reference)
     * @param w2Floor  the same estimator between two disjoint halves of the reference (NaN when it has fewer than
     *                 twice the W2 points)
     * @param nll      mean NLL of reference points in nats (NaN without reference)
     * @param nfe      network evaluations of the sampling solve
     * @param seconds  wall time of the whole report
     */
    public record Result(Path html, List<Path> files, int figures, double w2, double w2Floor, double nll, long nfe, double seconds) {
    }

    private final GenerativeModel model;
    private final Reference reference;
    private final TrainLog log;
    private final String title;
    private final ReportOptions options;
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private final List<List<String>> metrics = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private HtmlReport page;
    private List<String> densityMass;
    private StraightnessResult straightness;
    private Path dir;
    private String stem;

    /**
     * A report of {@code model}; {@code reference} and {@code log} may be null (the parts that need them are
     * skipped with a note); {@code title} names the model (e.g. its directory).
     */
    public ModelReport(GenerativeModel model, Reference reference, TrainLog log, String title, ReportOptions options) {
        if (model.dim() < 2) {
            throw new IllegalArgumentException("the report plots two columns; this model has dimension " + model.dim());
        }
        if (reference != null && reference.data().dim() != model.dim()) {
            throw new IllegalArgumentException(reference.description() + " has " + reference.data().dim() + " columns, the model has dimension "
                    + model.dim());
        }
        this.model = model;
        this.reference = reference;
        this.log = log;
        this.title = title;
        this.options = options;
    }

    /** Computes everything and writes the report to {@code html} and the figures next to it. */
    public Result writeTo(Path html) throws IOException {
        long start = System.nanoTime();
        Path abs = html.toAbsolutePath();
        dir = abs.getParent();
        String name = abs.getFileName().toString();
        stem = name.toLowerCase(Locale.ROOT).endsWith(".html") ? name.substring(0, name.length() - 5) : name;
        Files.createDirectories(dir);
        int d = model.dim();
        List<String> cols = model.columns();
        page = new HtmlReport("flowmatch4j report: " + title, "method " + model.method() + ", " + d + "-dimensional data"
                + (reference == null ? ", no reference data (samples only)" : ", compared with " + reference.description())
                + (d > 2 ? "; figures show the first two columns (" + cols.get(0) + ", " + cols.get(1) + ")" : ""));
        Rng rng = new Rng(options.seed());
        Rng sampleRng = rng.split();
        Rng pathRng = rng.split();

        // samples
        long t = System.nanoTime();
        OdeSolver sampler = model.usesSolver() ? DormandPrince54.withTolerances(1e-5, 1e-5) : null;
        Samples samples = model.sample(options.samples(), sampler, sampleRng, Recording.none());
        timings.put("sampling", secondsSince(t));
        float[] sx = samples.values();
        int n = samples.rows();
        float[] rx = reference == null ? null : reference.data().toArray();
        int rn = reference == null ? 0 : Math.min(reference.data().size(), n);
        Bounds view = viewBounds(sx, n, rx, rn, d);

        page.section("Samples");
        samplesFigure(sx, n, rx, rn, d, cols, view, samples.nfe(), sampler);

        Optional<VelocityField> field = model.velocityField(0);
        if (field.isPresent()) {
            page.section("Trajectories and vector field");
            t = System.nanoTime();
            OdeSolver rk4 = new RK4(options.pathSteps());
            Samples moving = model.sample(options.fieldPoints(), rk4, pathRng, Recording.everyStep());
            timings.put("trajectories", secondsSince(t));
            Trajectory tr = moving.trajectory().orElseThrow(() -> new IllegalStateException("the solver recorded no trajectory"));
            trajectoryFigure(tr, model.normalization(), d, cols, view);
            straightness = Straightness.of(tr, options.fieldPoints(), d);
            t = System.nanoTime();
            fieldFigure(field.get(), tr, model.normalization(), d, cols, view);
            timings.put("vector field", secondsSince(t));
        } else {
            page.section("Trajectories and vector field");
            page.note("A '" + model.method() + "' model maps noise to data in one pass and has no velocity field: "
                    + "no trajectories or vector-field figures.");
        }

        page.section("Density");
        if (d == 2) {
            t = System.nanoTime();
            densityFigure(cols, view);
            timings.put("density grid", secondsSince(t));
        } else {
            page.note("The density heat map needs 2-D data: for d = " + d + " a grid over two columns would show a slice, not the "
                    + "marginal density.");
        }

        page.section("Training loss");
        if (log != null && log.size() > 0) {
            lossFigure();
        } else {
            page.note("No " + TrainLog.FILE + " in the model directory: no loss curve.");
        }

        double w2 = Double.NaN;
        double w2Floor = Double.NaN;
        double nll = Double.NaN;
        metricRow("method", model.method(), "");
        metricRow("dimension", Integer.toString(d), "");
        metricRow("samples", Integer.toString(n), sampler == null ? "one pass" : sampler.name() + " (rtol = atol = 1e-5)");
        metricRow("NFE (sampling)", Long.toString(samples.nfe()), "network evaluations of the sampling solve");
        if (reference != null) {
            int m = Math.min(options.w2Points(), Math.min(n, reference.data().size()));
            t = System.nanoTime();
            w2 = StandardizedW2.compute(sx, rx, m, d);
            // the same estimator between two disjoint halves of the reference: what a perfect model would score
            int rows = reference.data().size();
            w2Floor = rows >= 2 * m ? StandardizedW2.compute(java.util.Arrays.copyOfRange(rx, m * d, 2 * m * d), rx, m, d) : Double.NaN;
            timings.put("W2", secondsSince(t));
            metricRow("W2 (standardised)", fmt(w2), "exact OT between " + m + " samples and " + m + " reference points, both scaled by "
                    + "the reference's per-column mean and std");
            if (!Double.isNaN(w2Floor)) {
                metricRow("W2 of the data itself", fmt(w2Floor), "the same estimator between two disjoint sets of " + m
                        + " reference points: the finite-sample floor (its spread between draws is large on shapes with separated parts)");
            }
            int mm = Math.min(m, 2000);
            MmdResult mmd = Mmd.rbfMedian(java.util.Arrays.copyOf(sx, mm * d), mm, java.util.Arrays.copyOf(rx, mm * d), mm, d, rng.split());
            metricRow("MMD² (RBF)", fmt(mmd.mmd2()), "biased RBF MMD² of " + mm + " samples vs " + mm + " reference points, median-heuristic "
                    + "bandwidth " + fmt(mmd.bandwidth()));
            int k = Math.min(options.nllPoints(), reference.data().size());
            t = System.nanoTime();
            float[] pts = java.util.Arrays.copyOf(rx, k * d);
            LikelihoodResult lr = model.logProb(pts, k, model.usesSolver() ? DormandPrince54.withTolerances(NLL_TOLERANCE, NLL_TOLERANCE) : null,
                    DivergenceMethod.EXACT, 1,
                    rng.split());
            timings.put("test NLL", secondsSince(t));
            nll = Nll.mean(lr.logProb());
            metricRow("NLL (nats)", fmt(nll), "mean −log p(x) of " + k + " reference points" + (model.usesSolver()
                    ? ", dopri5 (rtol = atol = " + NLL_TOLERANCE + "), exact divergence" : ""));
            metricRow("bits/dim", fmt(Nll.bitsPerDim(nll, d)), "NLL / (d ln 2), continuous data");
            metricRow("NFE (likelihood)", Long.toString(lr.nfe()), "");
        }
        if (densityMass != null) {
            metrics.add(densityMass);
        }
        if (straightness != null) {
            metricRow("straightness: chord deviation", fmt(straightness.chordDeviation()), "mean ∫ ||x_t − ((1−t)x_0 + t x_1)|| dt over "
                    + straightness.samples() + " RK4 paths, standardised units (0 for straight paths)");
            metricRow("straightness: velocity deviation", fmt(straightness.velocityDeviation()), "mean ∫ ||v − (x_1 − x_0)||² dt (Liu et al.)");
        }
        if (log != null && log.size() > 0) {
            metricRow("training steps", Long.toString(log.steps()[log.size() - 1]), "");
            metricRow("final loss", fmt(meanOfLast(log.losses(), 100)), "mean of the last 100 steps");
            metricRow("training time (s)", String.format(Locale.ROOT, "%.1f", log.seconds()[log.size() - 1]), "");
        }
        for (Map.Entry<String, Double> e : timings.entrySet()) {
            metricRow("report: " + e.getKey() + " (s)", String.format(Locale.ROOT, "%.2f", e.getValue()), "");
        }
        page.section("Metrics");
        page.table(List.of("metric", "value", "how"), metrics);
        page.section("Configuration");
        page.code(model.configJson().strip());

        AtomicFiles.writeString(abs, page.toHtml());
        files.add(0, abs);
        return new Result(abs, List.copyOf(files), page.figureCount(), w2, w2Floor, nll, samples.nfe(), secondsSince(start));
    }

    private void samplesFigure(float[] sx, int n, float[] rx, int rn, int d, List<String> cols, Bounds view, long nfe, OdeSolver sampler)
            throws IOException {
        Figure fig = new Figure(null, reference == null ? 1 : 2, 470, 450);
        if (reference != null) {
            fig.add(new Panel("reference data (" + rn + " points)").add(ScatterPlot.of(rx, rn, d, 0, 1, DATA_COLOR))
                    .labels(cols.get(0), cols.get(1)).limits(view).equalAspect());
        }
        fig.add(new Panel("model samples (" + n + ")").add(ScatterPlot.of(sx, n, d, 0, 1, SAMPLE_COLOR)).labels(cols.get(0), cols.get(1))
                .limits(view).equalAspect());
        emit(fig, "samples", false, "scatter plots of data and samples",
                (reference == null ? "Samples of the model" : "Reference data (left) and samples of the model (right)") + ", drawn with "
                        + (sampler == null ? "one pass of the model" : sampler.name() + " (" + nfe + " network evaluations)") + ".");
    }

    private void trajectoryFigure(Trajectory tr, Standardization norm, int d, List<String> cols, Bounds view) throws IOException {
        int steps = tr.size();
        int p = options.paths();
        double[][] xs = new double[p][steps];
        double[][] ys = new double[p][steps];
        float[] buf = new float[d];
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < d; j++) {
                    buf[j] = (float) tr.component(k, i * d + j);
                }
                norm.invertInPlace(buf, 0, 1);
                xs[i][k] = buf[0];
                ys[i][k] = buf[1];
            }
        }
        double[] x0 = new double[p];
        double[] y0 = new double[p];
        double[] x1 = new double[p];
        double[] y1 = new double[p];
        for (int i = 0; i < p; i++) {
            x0[i] = xs[i][0];
            y0[i] = ys[i][0];
            x1[i] = xs[i][steps - 1];
            y1[i] = ys[i][steps - 1];
        }
        Panel panel = new Panel("trajectories (" + p + " paths, t = 0 → 1)")
                .add(new TrajectoryPlot(xs, ys, tr.times(), ColorMap.TIME, 130, 1.1))
                .add(new ScatterPlot(x0, y0, START_COLOR, 1.8, "noise, t = 0"))
                .add(new ScatterPlot(x1, y1, END_COLOR, 1.8, "sample, t = 1"))
                .labels(cols.get(0), cols.get(1)).limits(trajectoryView(view, x0, y0)).equalAspect()
                .colorBar(new ColorBar(ColorMap.TIME, 0, 1, "time t"));
        emit(Figure.single(panel, 640, 580), "trajectories", false, "trajectories from noise to data",
                "Paths of " + p + " points from the Gaussian source (t = 0, grey) to the model's samples (t = 1, black), integrated with RK4 in "
                        + options.pathSteps() + " steps; colour shows time." + (d > 2 ? " First two of " + d + " coordinates." : ""));
    }

    /** The view widened to hold most of the noise too (the source N(0, I) can be wider than the data). */
    private static Bounds trajectoryView(Bounds view, double[] x0, double[] y0) {
        Bounds noise = Bounds.quantiles(x0, y0, x0.length, 0.01);
        return Bounds.union(view, noise == null ? null : noise.pad(0.05));
    }

    private void fieldFigure(VelocityField f, Trajectory tr, Standardization norm, int d, List<String> cols, Bounds view) throws IOException {
        double[] times = options.fieldTimes();
        Bounds b = new Panel("t").labels(cols.get(0), cols.get(1)).limits(view).equalAspect().visibleLimits(FIELD_CELL_W, FIELD_CELL_H);
        // square cells: quiverGrid arrows along the longer side
        double spacing = Math.max(b.width(), b.height()) / options.quiverGrid();
        int nx = Math.max(2, (int) Math.round(b.width() / spacing));
        int ny = Math.max(2, (int) Math.round(b.height() / spacing));
        int rows = nx * ny;
        float[] z = new float[rows * d];
        float[] out = new float[rows * d];
        double[] gx = new double[rows];
        double[] gy = new double[rows];
        double mx = norm.mean()[0];
        double my = norm.mean()[1];
        double sxs = norm.std()[0];
        double sys = norm.std()[1];
        double x0 = (b.xMin() + b.xMax()) / 2 - (nx - 1) * spacing / 2;
        double y0 = (b.yMin() + b.yMax()) / 2 - (ny - 1) * spacing / 2;
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int r = j * nx + i;
                gx[r] = x0 + i * spacing;
                gy[r] = y0 + j * spacing;
                // the other coordinates stay at the data mean (z = 0)
                z[r * d] = (float) ((gx[r] - mx) / sxs);
                z[r * d + 1] = (float) ((gy[r] - my) / sys);
            }
        }
        double[][] uv = new double[2 * times.length][];
        for (int k = 0; k < times.length; k++) {
            f.velocity(times[k], z, rows, out);
            double[] u = new double[rows];
            double[] v = new double[rows];
            for (int r = 0; r < rows; r++) {
                u[r] = out[r * d] * sxs;
                v[r] = out[r * d + 1] * sys;
            }
            uv[2 * k] = u;
            uv[2 * k + 1] = v;
        }
        double scale = QuiverPlot.fitScale(0.95 * spacing, 0.9, uv);
        double colorMax = 0.95 * spacing / scale;
        Figure fig = new Figure(null, times.length, FIELD_CELL_W, FIELD_CELL_H);
        int np = tr.state(0).length / d;
        for (int k = 0; k < times.length; k++) {
            int idx = nearest(tr, times[k]);
            double[] px = new double[np];
            double[] py = new double[np];
            float[] buf = new float[d];
            for (int i = 0; i < np; i++) {
                for (int j = 0; j < d; j++) {
                    buf[j] = (float) tr.component(idx, i * d + j);
                }
                norm.invertInPlace(buf, 0, 1);
                px[i] = buf[0];
                py[i] = buf[1];
            }
            fig.add(new Panel("t = " + Ticks.format(times[k], 0.01)).add(new ScatterPlot(px, py, BACKDROP, 1.1, null))
                    .add(new QuiverPlot(gx, gy, uv[2 * k], uv[2 * k + 1], scale, ColorMap.VIRIDIS, colorMax))
                    .labels(cols.get(0), cols.get(1)).limits(b).equalAspect());
        }
        emit(fig, "field", true, "the learned vector field at several times",
                "The learned velocity v(t, x) in data units on a " + nx + "×" + ny + " grid, one arrow length per panel scale (same in all panels); "
                        + "colour shows speed (dark slow, yellow fast). Grey: " + np + " points carried by the flow to that t."
                        + (d > 2 ? " Other coordinates held at their mean." : ""));
    }

    private static int nearest(Trajectory tr, double t) {
        int best = 0;
        for (int k = 1; k < tr.size(); k++) {
            if (Math.abs(tr.time(k) - t) < Math.abs(tr.time(best) - t)) {
                best = k;
            }
        }
        return best;
    }

    private void densityFigure(List<String> cols, Bounds view) throws IOException {
        int g = options.densityGrid();
        Panel densPanel = new Panel("density p(x)").labels(cols.get(0), cols.get(1)).limits(view).equalAspect().grid(false);
        Panel logPanel = new Panel("log-density (clipped 10 below the max)").labels(cols.get(0), cols.get(1)).limits(view).equalAspect()
                .grid(false);
        // the grid covers exactly what the panels show (equal aspect widens the view)
        Bounds b = densPanel.colorBar(new ColorBar(ColorMap.MAGMA, 0, 1, "p(x)")).visibleLimits(DENSITY_CELL_W, DENSITY_CELL_H);
        float[] pts = new float[g * g * 2];
        for (int j = 0; j < g; j++) {
            for (int i = 0; i < g; i++) {
                int r = j * g + i;
                pts[2 * r] = (float) (b.xMin() + i * b.width() / (g - 1));
                pts[2 * r + 1] = (float) (b.yMin() + j * b.height() / (g - 1));
            }
        }
        OdeSolver solver = model.usesSolver() ? DormandPrince54.withTolerances(options.densityTolerance(), options.densityTolerance()) : null;
        LikelihoodResult lr = model.logProb(pts, g * g, solver, DivergenceMethod.EXACT, 1, new Rng(options.seed() ^ 0xD5L));
        double[] lp = lr.logProb();
        double[] p = new double[lp.length];
        double maxLp = Double.NEGATIVE_INFINITY;
        double mass = 0;
        double cell = b.width() / (g - 1) * b.height() / (g - 1);
        for (int r = 0; r < lp.length; r++) {
            p[r] = Math.exp(lp[r]);
            if (Double.isFinite(lp[r])) {
                maxLp = Math.max(maxLp, lp[r]);
                int i = r % g;
                int j = r / g;
                // trapezoid weights: half on the edges, a quarter in the corners
                double w = (i == 0 || i == g - 1 ? 0.5 : 1) * (j == 0 || j == g - 1 ? 0.5 : 1);
                mass += w * p[r] * cell;
            }
        }
        double floor = maxLp - 10;
        double[] clipped = new double[lp.length];
        for (int r = 0; r < lp.length; r++) {
            clipped[r] = Double.isFinite(lp[r]) ? Math.max(floor, lp[r]) : floor;
        }
        HeatMap dens = HeatMap.autoscaled(p, g, g, b, ColorMap.MAGMA);
        HeatMap logDens = new HeatMap(clipped, g, g, b, ColorMap.VIRIDIS, floor, maxLp);
        Figure fig = new Figure(null, 2, DENSITY_CELL_W, DENSITY_CELL_H)
                .add(densPanel.add(dens).colorBar(new ColorBar(ColorMap.MAGMA, dens.vMin(), dens.vMax(), "p(x)")))
                .add(logPanel.add(logDens).colorBar(new ColorBar(ColorMap.VIRIDIS, floor, maxLp, "log p(x)")));
        emit(fig, "density", false, "the model's density on a grid",
                "Exact log-likelihoods on a " + g + "×" + g + " grid" + (solver == null ? "" : " (dopri5, rtol = atol = " + options.densityTolerance()
                        + ", exact divergence, " + lr.nfe() + " evaluations)") + "; the grid holds probability mass "
                        + fmt(mass) + " (1 when it covers the whole distribution and the density is exact).");
        densityMass = List.of("density mass on the grid", fmt(mass), "trapezoid sum of p(x) over the plotted " + g + "×" + g + " grid");
    }

    private void lossFigure() throws IOException {
        double[][] binned = log.binnedMeans(400);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : binned[1]) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        boolean logY = lo > 0 && hi / lo > 5;
        int per = (int) Math.max(1, Math.round((double) log.size() / binned[0].length));
        Panel panel = new Panel("training loss").add(LinePlot.of(binned[0], binned[1], LOSS_COLOR).label(per == 1 ? "loss" : "mean loss per " + per
                + " steps")).labels("step", logY ? "loss (log scale)" : "loss").log(false, logY);
        emit(Figure.single(panel, 820, 320), "loss", true, "the training loss curve",
                "Training loss from " + TrainLog.FILE + " (" + log.size() + " steps" + (per > 1 ? ", averaged over bins of " + per + " steps" : "")
                        + ").");
    }

    private void emit(Figure fig, String name, boolean svg, String alt, String caption) throws IOException {
        byte[] png = fig.toPng();
        Path pngFile = dir.resolve(stem + "-" + name + ".png");
        AtomicFiles.writeBytes(pngFile, png);
        files.add(pngFile);
        if (svg) {
            Path svgFile = dir.resolve(stem + "-" + name + ".svg");
            AtomicFiles.writeString(svgFile, fig.toSvg());
            files.add(svgFile);
        }
        page.figure(png, fig.width(), fig.height(), alt, caption);
    }

    /** The plotting window: the central 99.6 % of reference and samples per axis, padded by 8 %, never degenerate. */
    private static Bounds viewBounds(float[] sx, int n, float[] rx, int rn, int d) {
        Bounds b = quantileBounds(sx, n, d);
        if (rx != null) {
            b = Bounds.union(quantileBounds(rx, rn, d), b);
        }
        if (b == null) {
            return new Bounds(-3, 3, -3, 3);
        }
        return b.pad(0.08);
    }

    private static Bounds quantileBounds(float[] x, int n, int d) {
        double[] a = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = x[i * d];
            c[i] = x[i * d + 1];
        }
        return Bounds.quantiles(a, c, n, 0.002);
    }

    private void metricRow(String name, String value, String how) {
        metrics.add(List.of(name, value, how));
    }

    private static double meanOfLast(double[] v, int k) {
        double s = 0;
        int m = 0;
        for (int i = Math.max(0, v.length - k); i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                s += v[i];
                m++;
            }
        }
        return m == 0 ? Double.NaN : s / m;
    }

    private static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 1e4 || (v != 0 && Math.abs(v) < 1e-3) ? "%.3e" : "%.4f", v);
    }

    private static double secondsSince(long t) {
        return (System.nanoTime() - t) / 1e9;
    }
}
