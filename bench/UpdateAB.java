// A/B timing of the training step with Adam overlapped on the backward pass (FusedMlp.mseStepAndUpdate) against
// the pass followed by a separate Adam step (mseStep, then Adam.step), in one JVM on one workload, alternating
// chunks of steps (ABBA order) so that the machine's slow periods hit both alike. Both give the same numbers.
// Single-file program, run against the built jars (from the repository root):
//   java --add-modules jdk.incubator.vector -cp "cli/target/flowmatch4j-cli.jar:cli/target/lib/*" \
//       bench/UpdateAB.java HIDDEN BATCH [pairs=60] [steps per chunk=100] [threads=2]
// Prints each side's median, quartiles of ms/step over the chunks, and in how many chunk pairs the overlapped
// step was faster.
import java.util.Arrays;

import org.flowmatch4j.bench.CfmTrainStepBenchmark;
import org.flowmatch4j.kernels.Parallel;

public class UpdateAB {
    public static void main(String[] args) {
        int hidden = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int per = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Parallel.setThreads(args.length > 4 ? Integer.parseInt(args[4]) : 2);
        CfmTrainStepBenchmark b = new CfmTrainStepBenchmark(hidden, batch, 3, 1);
        for (int i = 0; i < 1500; i++) {
            b.setOverlappedUpdate(i % 2 == 0);
            b.step();
        }
        double[][] t = new double[2][pairs];
        for (int c = 0; c < pairs; c++) {
            for (int s = 0; s < 2; s++) {
                int side = (c & 1) == 0 ? s : 1 - s;
                b.setOverlappedUpdate(side == 1);
                long t0 = System.nanoTime();
                for (int i = 0; i < per; i++) {
                    b.step();
                }
                t[side][c] = (System.nanoTime() - t0) / 1e6 / per;
            }
        }
        int wins = 0;
        for (int c = 0; c < pairs; c++) {
            if (t[1][c] < t[0][c]) {
                wins++;
            }
        }
        for (int s = 0; s < 2; s++) {
            double[] x = t[s].clone();
            Arrays.sort(x);
            System.out.printf("%-10s median %.4f ms/step  quartiles %.4f %.4f%n", s == 0 ? "separate" : "overlapped",
                    x[pairs / 2], x[pairs / 4], x[3 * pairs / 4]);
        }
        System.out.printf("overlapped faster in %d of %d chunk pairs (H=%d, B=%d, %d threads)%n", wins, pairs, hidden, batch,
                Parallel.threads());
    }
}
