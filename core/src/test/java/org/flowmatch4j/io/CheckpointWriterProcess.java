package org.flowmatch4j.io;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * The child process of {@link CheckpointKillTest}: saves checkpoints with consecutive steps into a store
 * until it is killed, printing {@code saved <step>} after each.
 */
public final class CheckpointWriterProcess {
    private CheckpointWriterProcess() {
    }

    /** A checkpoint whose every value is derived from its step, so a mix of two checkpoints is detectable. */
    static Checkpoint checkpointFor(long step) {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("w", Tensor.full(DType.FLOAT32, step, 128, 512));
        model.put("b", Tensor.full(DType.FLOAT64, -step, 512));
        Map<String, Tensor> optim = new LinkedHashMap<>();
        optim.put("exp_avg.0", Tensor.full(DType.FLOAT32, step + 0.5, 128, 512));
        return new Checkpoint(step, model, optim, step, Map.of("w", Tensor.full(DType.FLOAT32, 2 * step, 128, 512)), new Rng(step).state(),
                "{\"step\":" + step + "}");
    }

    /** Arguments: the store directory and the first step. */
    public static void main(String[] args) throws Exception {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]), 3);
        for (long step = Long.parseLong(args[1]);; step++) {
            store.save(checkpointFor(step));
            System.out.println("saved " + step);
            System.out.flush();
        }
    }
}
