package org.flowmatch4j.bench;

/**
 * Figures of one {@link CfmTrainStepBenchmark} run.
 *
 * @param msPerStep         median over chunks of (chunk wall time ÷ steps in the chunk)
 * @param finalLoss         mean loss over the last chunk
 * @param allocBytesPerStep bytes allocated by the training thread per step over the second half of
 *                          the timed chunks, once the JIT has compiled the kernels (0 means allocation-free)
 */
public record TrainStepResult(int hidden, int batch, int layers, int threads, int steps, int chunk, double msPerStep,
                              double finalLoss, double allocBytesPerStep, String backend) {
    /** One-line JSON with the keys the benchmark scripts read. */
    public String toJson() {
        return String.format(java.util.Locale.ROOT,
                "{\"hidden\":%d,\"batch\":%d,\"layers\":%d,\"threads\":%d,\"steps\":%d,\"chunk\":%d,\"ms_per_step\":%.5f,"
                        + "\"final_loss\":%.6f,\"alloc_bytes_per_step\":%.1f,\"backend\":\"%s\"}",
                hidden, batch, layers, threads, steps, chunk, msPerStep, finalLoss, allocBytesPerStep, backend);
    }
}
