package org.flowmatch4j.cnf;

import java.util.List;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.solver.AdaptiveOptions;
import org.flowmatch4j.solver.SolverMethod;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;

/**
 * Milliseconds per CNF training step (batch 256, H = 64, 3 hidden layers, d = 2) for both ways of forming the
 * divergence, one thread, timed over chunks of steps (wall and CPU time ÷ steps) after a warm-up round. Not a test; run with
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * org.flowmatch4j.cnf.CnfTrainStepBenchmark [steps]}.
 */
public final class CnfTrainStepBenchmark {
    private CnfTrainStepBenchmark() {
    }

    public static void main(String[] args) {
        int chunk = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        // one thread, timed by the thread's CPU time as well as wall time: on a loaded shared machine the CPU
        // time is the figure that compares configurations fairly
        org.flowmatch4j.kernels.Parallel.setThreads(1);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Dataset data = ToyDatasets.generate("8gaussians", 20000, new Rng(1));
        Object[][] configs = {
            {SolverMethod.RK4, 8, DivergenceMethod.EXACT, CnfDynamics.Mode.FORWARD},
            {SolverMethod.RK4, 8, DivergenceMethod.EXACT, CnfDynamics.Mode.VJP},
            {SolverMethod.RK4, 8, DivergenceMethod.HUTCHINSON_RADEMACHER, CnfDynamics.Mode.FORWARD},
            {SolverMethod.EULER, 10, DivergenceMethod.EXACT, CnfDynamics.Mode.FORWARD},
            {SolverMethod.DOPRI5, 0, DivergenceMethod.EXACT, CnfDynamics.Mode.FORWARD},
        };
        for (int round = 0; round < 2; round++) {
        for (Object[] c : configs) {
            TimeMlp net = new TimeMlp(2, 64, 3, Activation.SILU, new ConcatTime(), DType.FLOAT32, new Rng(3));
            CnfSettings s = new CnfSettings(chunk, 256, 1e-3, 1.0, 7, (SolverMethod) c[0], (Integer) c[1],
                    AdaptiveOptions.tolerances(1e-5, 1e-5), (DivergenceMethod) c[2], 1);
            CnfTrainer warm = new CnfTrainer(net, s, (CnfDynamics.Mode) c[3]);
            warm.train(data::sampleBatch, List.of());
            CnfTrainer t = new CnfTrainer(net, s, (CnfDynamics.Mode) c[3]);
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            t.train(data::sampleBatch, List.of());
            double ms = (System.nanoTime() - t0) / 1e6 / chunk;
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / chunk;
            if (round == 1) { // round 0 warms up the JIT on every configuration
                System.out.printf("%s steps=%s %s %s: %.1f ms/step wall, %.1f ms/step CPU, NFE/step %.1f%n", c[0], c[1], c[2], c[3], ms, cpu,
                        t.meanNfe());
            }
        }
        }
    }
}
