package org.flowmatch4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flowmatch4j.data.CsvReader;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.report.HeldOut;
import org.flowmatch4j.report.ModelReport;
import org.flowmatch4j.report.ReportOptions;
import org.flowmatch4j.report.TrainLog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code flowmatch report}: the HTML report (figures, metrics, config) of a trained model. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes a self-contained HTML report of a trained model (samples vs data, trajectories, vector field, density, "
                + "loss curve, metrics, config), plus each figure as PNG (and SVG for the small ones) next to it.")
public final class ReportCommand implements Runnable {
    /** Reference points drawn from a built-in data set (room for the W2 floor's two disjoint halves). */
    static final int REFERENCE_POINTS = 8000;

    @Spec
    CommandSpec spec;
    @Option(names = "--model", required = true, description = "Model directory.")
    Path modelDir;
    @Option(names = "--data", description = "Reference data: a built-in set (held-out draw) or a CSV file. Default: the model's training "
            + "set when it is built-in, else none (samples only).")
    String data;
    @Option(names = "--out", description = "The HTML file to write (default DIR/report.html).")
    Path out;
    @Option(names = "--force", description = "Overwrite an existing report.")
    boolean force;
    @Option(names = "--samples", defaultValue = "5000", description = "Samples drawn for the scatter plot and W2 (default ${DEFAULT-VALUE}).")
    int samples;
    @Option(names = "--w2-points", defaultValue = "1500", description = "Points per set in the exact-OT W2 (time grows as n³; "
            + "default ${DEFAULT-VALUE}; the demo uses 4000).")
    int w2Points;
    @Option(names = "--grid", defaultValue = "64", description = "Points per side of the density grid (default ${DEFAULT-VALUE}).")
    int grid;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the report's samples (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;
    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public void run() {
        Path html = out == null ? modelDir.resolve("report.html") : out;
        if (Files.exists(html) && !force) {
            throw new ParameterException(spec.commandLine(), "--out " + html + " exists; use --force to overwrite");
        }
        if (Files.isDirectory(html)) {
            throw new ParameterException(spec.commandLine(), "--out " + html + " is a directory; give the HTML file to write");
        }
        if (samples < 1 || grid < 2 || w2Points < 1) {
            throw new ParameterException(spec.commandLine(), "--samples and --w2-points must be >= 1 and --grid >= 2, got " + samples + ", "
                    + w2Points + " and " + grid);
        }
        Parallel.setThreads(ThreadCount.resolve(spec, threads));
        long t0 = System.nanoTime();
        GenerativeModel model = SampleCommand.load(modelDir);
        ModelReport.Reference ref = reference(model);
        TrainLog log = readLog(modelDir.resolve(TrainLog.FILE));
        ModelReport.Result r;
        try {
            r = new ModelReport(model, ref, log, modelDir.toString(), ReportOptions.defaults().withW2Points(w2Points).withSamples(samples).withDensityGrid(grid).withSeed(seed)).writeTo(html);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the report " + html + ": " + e.getMessage(), e);
        }
        System.err.println("report: " + r.html().toUri());
        new Json1().put("command", "report").put("out", html.toString()).put("figures", r.figures()).put("files", r.files().size())
                .put("w2", r.w2()).put("w2_data_floor", r.w2Floor()).put("nll", r.nll()).put("seconds", (System.nanoTime() - t0) / 1e9).print();
    }

    /** --data, else the model's built-in training set, else none. */
    private ModelReport.Reference reference(GenerativeModel model) {
        if (data != null) {
            if (DataSources.isToy(data)) {
                return HeldOut.builtIn(data, REFERENCE_POINTS, trainingSeed(model));
            }
            Path p = Path.of(data);
            if (!Files.exists(p) && !data.contains(".") && !data.contains("/")) {
                throw new ParameterException(spec.commandLine(), "--data " + data + ": not a built-in data set and no such file");
            }
            Dataset ds = CsvReader.read(p);
            if (ds.dim() != model.dim()) {
                throw new IllegalArgumentException(p + " has " + ds.dim() + " columns, the model in " + modelDir + " has dimension " + model.dim());
            }
            return new ModelReport.Reference(ds, p.getFileName() + " (" + ds.size() + " rows)");
        }
        String trainedOn = config(model).string("data", null);
        if (trainedOn != null && DataSources.isToy(trainedOn)) {
            return HeldOut.builtIn(trainedOn, REFERENCE_POINTS, trainingSeed(model));
        }
        return null;
    }

    private static JsonObject config(GenerativeModel model) {
        return Json.parseObject(model.configJson(), "config.json");
    }

    private static long trainingSeed(GenerativeModel model) {
        JsonObject c = config(model);
        return c.has("seed") ? c.integer("seed") : 0;
    }

    static TrainLog readLog(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return TrainLog.read(file);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
