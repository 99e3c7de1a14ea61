package org.flowmatch4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;

/** Loads any model directory, dispatching on the {@code "method"} key of its {@code config.json}. */
public final class Models {
    private Models() {
    }

    /** Loads the model in {@code dir}; the method decides which class reads it. */
    public static GenerativeModel load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("model directory " + dir + " does not exist");
        }
        Path cfg = dir.resolve(FlowMatchingModel.CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new IOException("model directory " + dir + " has no " + FlowMatchingModel.CONFIG);
        }
        JsonObject o;
        try {
            o = Json.parseObject(Files.readString(cfg), cfg.toString());
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        String method = o.has("method") ? o.string("method") : "";
        switch (method) {
            case "fm", "reflow", "cnf", "diffusion":
                return FlowMatchingModel.load(dir);
            case NormalizingFlowConfig.METHOD:
                return NormalizingFlowModel.load(dir);
            default:
                throw new IOException(cfg + ": unknown method '" + method + "'; this build reads fm, reflow, cnf, diffusion, nf");
        }
    }
}
