// Cold vs warm (JIT-compiled) timing of flowmatch4j's logprob and sample, in one JVM, to separate
// JVM start/JIT warm-up from steady-state compute in the issue #3 likelihood-speed comparison.
// Single-file program, run against the built jars (from the repository root):
//   java --add-modules jdk.incubator.vector -cp "cli/target/flowmatch4j-cli.jar:cli/target/lib/*" \
//       bench/WarmTiming.java MODEL_DIR TEST.csv [reps=5] [threads=2]
// Prints one JSON object: seconds of each logprob(dopri5 1e-5, exact) and sample(5000, euler-100 /
// dopri5 1e-5) repetition, the first being cold.
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.data.CsvReader;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.Euler;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;

public class WarmTiming {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Parallel.setThreads(args.length > 3 ? Integer.parseInt(args[3]) : 2);
        FlowMatchingModel model = FlowMatchingModel.load(Path.of(args[0]));
        Dataset x = CsvReader.read(Path.of(args[1]), 1);
        float[] xs = x.toArray();
        List<String> lp = new ArrayList<>();
        List<String> se = new ArrayList<>();
        List<String> sd = new ArrayList<>();
        double mean = 0;
        long nfe = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            var res = model.logProb(xs, x.size(), DormandPrince54.withTolerances(1e-5, 1e-5), DivergenceMethod.EXACT, 0,
                    new Rng(0));
            lp.add(String.format("%.4f", (System.nanoTime() - t0) / 1e9));
            mean = res.mean();
            nfe = res.nfe();
            t0 = System.nanoTime();
            model.sample(5000, new Euler(100), new Rng(1), Recording.none());
            se.add(String.format("%.4f", (System.nanoTime() - t0) / 1e9));
            t0 = System.nanoTime();
            model.sample(5000, DormandPrince54.withTolerances(1e-5, 1e-5), new Rng(1), Recording.none());
            sd.add(String.format("%.4f", (System.nanoTime() - t0) / 1e9));
        }
        System.out.println("{\"side\":\"java-in-process\",\"n\":" + x.size() + ",\"threads\":" + Parallel.threads()
                + ",\"logprob_nfe\":" + nfe + ",\"mean_logprob\":" + mean + ",\"logprob_seconds\":" + lp
                + ",\"sample_euler100_seconds\":" + se + ",\"sample_dopri5_seconds\":" + sd + "}");
    }
}
