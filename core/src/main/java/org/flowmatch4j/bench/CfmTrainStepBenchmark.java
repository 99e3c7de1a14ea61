package org.flowmatch4j.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.IntConsumer;

import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.nn.BatchWriter;
import org.flowmatch4j.nn.FusedMlp;
import org.flowmatch4j.nn.Mlp;
import org.flowmatch4j.optim.Adam;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;

/**
 * The engine's reference workload, one conditional flow matching training step:
 * {@code x0 ~ N(0, I₂)}, {@code x1} from 8 Gaussians (centres on the circle of radius 2 at angles kπ/4,
 * standard deviation 0.1), {@code t ~ U[0, 1]}, {@code x_t = (1 − t)·x0 + t·x1}; the network
 * {@code Linear(3,H) → SiLU → (Linear(H,H) → SiLU)×(L−1) → Linear(H,2)} on {@code [x_t, t]} regresses
 * {@code x1 − x0} by mean squared error; Adam with lr 1e-3; float32. Fresh data every step, inside the timing.
 *
 * <p>The batch is sampled in {@value #SAMPLE_STREAMS} fixed halves, each from its own random stream, as the parts of
 * a {@link BatchWriter} that the fused pass runs on its threads at its start: the data do not depend on the thread
 * count, sampling (about 12–18 µs per step for 256 rows on one core) does not run serially while the other core
 * waits, and the step is one parallel region.
 */
public final class CfmTrainStepBenchmark {
    private final int hidden;
    private final int batch;
    private final int layers;
    private final Rng rng;
    /** Number of fixed row ranges sampled from independent streams (independent of the thread count). */
    static final int SAMPLE_STREAMS = 2;
    private final Rng[] streams;
    private final IntConsumer sampleTask;
    private final BatchWriter sampler;
    private final Mlp mlp;
    private final FusedMlp pass;
    private final Adam adam;
    private final float[] x0;
    private final float[] noise;
    private final float[] target;
    private final float[] centres;
    private boolean overlappedUpdate = true;

    /** A freshly initialised workload (seeded). */
    public CfmTrainStepBenchmark(int hidden, int batch, int layers, long seed) {
        if (hidden <= 0 || batch <= 0 || layers <= 0) {
            throw new IllegalArgumentException("train-step: hidden, batch and layers must be positive, got hidden=" + hidden
                    + " batch=" + batch + " layers=" + layers);
        }
        this.hidden = hidden;
        this.batch = batch;
        this.layers = layers;
        this.rng = new Rng(seed);
        this.mlp = new Mlp(3, hidden, 2, layers, Activation.SILU, DType.FLOAT32, rng.split());
        this.pass = new FusedMlp(mlp, batch);
        this.adam = new Adam(mlp.parameters(), 1e-3);
        this.x0 = new float[batch * 2];
        this.noise = new float[batch * 2];
        this.target = new float[batch * 2];
        this.centres = new float[16];
        this.streams = new Rng[SAMPLE_STREAMS];
        for (int i = 0; i < SAMPLE_STREAMS; i++) {
            streams[i] = rng.split();
        }
        this.sampleTask = this::sample;
        this.sampler = new BatchWriter() {
            @Override
            public int parts() {
                return SAMPLE_STREAMS;
            }

            @Override
            public void write(int c) {
                sample(c);
            }
        };
        for (int c = 0; c < 8; c++) {
            centres[2 * c] = (float) (2 * Math.cos(c * Math.PI / 4));
            centres[2 * c + 1] = (float) (2 * Math.sin(c * Math.PI / 4));
        }
    }

    /**
     * Whether {@link #step()} runs Adam inside the fused pass, overlapped on the end of the backward pass
     * ({@link FusedMlp#mseStepAndUpdate}, the default), or after it ({@link FusedMlp#mseStep}, then
     * {@link Adam#step()}): the same numbers either way; for A/B timing ({@code bench/UpdateAB.java}).
     */
    public void setOverlappedUpdate(boolean overlapped) {
        this.overlappedUpdate = overlapped;
    }

    /** The network being trained. */
    public Mlp model() {
        return mlp;
    }

    /** One training step; returns its loss. */
    public double step() {
        if (!overlappedUpdate) {
            Parallel.forEachChunk(SAMPLE_STREAMS, sampleTask);
            double loss = pass.mseStep(target);
            adam.step();
            return loss;
        }
        return pass.mseStepAndUpdate(sampler, target, adam);
    }

    /** Samples rows {@code [batch·c/S, batch·(c+1)/S)} of the input and target from stream c. */
    private void sample(int c) {
        Rng r = streams[c];
        int r0 = (int) ((long) batch * c / SAMPLE_STREAMS);
        int r1 = (int) ((long) batch * (c + 1) / SAMPLE_STREAMS);
        int rows = r1 - r0;
        r.fillNormal(x0, 2 * r0, 2 * rows);
        r.fillNormal(noise, 2 * r0, 2 * rows);
        float[] in = pass.input();
        for (int i = r0; i < r1; i++) {
            int k = r.nextInt(8);
            float x1a = centres[2 * k] + 0.1f * noise[2 * i];
            float x1b = centres[2 * k + 1] + 0.1f * noise[2 * i + 1];
            float t = (float) r.nextDouble();
            float a = x0[2 * i];
            float b = x0[2 * i + 1];
            in[3 * i] = (1 - t) * a + t * x1a;
            in[3 * i + 1] = (1 - t) * b + t * x1b;
            in[3 * i + 2] = t;
            target[2 * i] = x1a - a;
            target[2 * i + 1] = x1b - b;
        }
    }

    /**
     * Runs {@code warmup} untimed steps, then {@code steps} timed steps in chunks of {@code chunk}.
     */
    public TrainStepResult run(int steps, int chunk, int warmup) {
        if (steps <= 0 || chunk <= 0) {
            throw new IllegalArgumentException("train-step: steps and chunk must be positive");
        }
        for (int i = 0; i < warmup; i++) {
            step();
        }
        int chunks = Math.max(1, steps / chunk);
        double[] ms = new double[chunks];
        double lastChunkLoss = 0;
        com.sun.management.ThreadMXBean mx = threadBean();
        long tid = Thread.currentThread().getId();
        // allocation is counted over the second half of the chunks: the JIT is still compiling kernels a second or
        // more into a run (its interpreted and C1-compiled Vector API code allocates), and a short warm-up at a
        // small width ends long before that
        long alloc0 = 0;
        int allocSteps = 0;
        int done = 0;
        for (int c = 0; c < chunks; c++) {
            int n = c == chunks - 1 ? steps - done : chunk;
            if (c == chunks / 2 && mx != null) {
                alloc0 = mx.getThreadAllocatedBytes(tid);
            }
            if (c >= chunks / 2) {
                allocSteps += n;
            }
            double lossSum = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lossSum += step();
            }
            long t1 = System.nanoTime();
            ms[c] = (t1 - t0) / 1e6 / n;
            lastChunkLoss = lossSum / n;
            done += n;
        }
        long alloc1 = mx == null ? 0 : mx.getThreadAllocatedBytes(tid);
        Arrays.sort(ms);
        double median = chunks % 2 == 1 ? ms[chunks / 2] : 0.5 * (ms[chunks / 2 - 1] + ms[chunks / 2]);
        return new TrainStepResult(hidden, batch, layers, Parallel.threads(), steps, chunk, median, lastChunkLoss,
                mx == null ? Double.NaN : (alloc1 - alloc0) / (double) allocSteps, Kernels.get().name());
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        if (b instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean s = (com.sun.management.ThreadMXBean) b;
            if (s.isThreadAllocatedMemorySupported()) {
                s.setThreadAllocatedMemoryEnabled(true);
                return s;
            }
        }
        return null;
    }
}
