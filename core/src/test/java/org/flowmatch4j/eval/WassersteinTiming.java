package org.flowmatch4j.eval;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.tensor.Rng;

/**
 * Prints timings of the exact and entropic Wasserstein estimators (not a unit test) on two independent samples of
 * the 2-D moons set (the situation of a good model against held-out data).
 *
 * <p>Run after {@code ./mvnw -q -B -o -pl core test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * org.flowmatch4j.eval.WassersteinTiming exact|sinkhorn REL_EPS n ...}
 */
public final class WassersteinTiming {
    private WassersteinTiming() {
    }

    public static void main(String[] args) {
        boolean sink = args[0].equals("sinkhorn");
        double rel = Double.parseDouble(args[1]);
        Wasserstein w = new Wasserstein(Integer.MAX_VALUE, Integer.MAX_VALUE, rel);
        for (int a = 2; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            Dataset x = ToyDatasets.generate("moons", n, new Rng(1));
            Dataset y = ToyDatasets.generate("moons", n, new Rng(2));
            for (int p = 1; p <= 2; p++) {
                long t = System.nanoTime();
                WassersteinResult r = sink ? w.sinkhorn(p, x.toArray(), y.toArray(), n, 2, Double.NaN)
                        : w.exact(p, x.toArray(), y.toArray(), n, 2);
                System.out.printf("n=%d p=%d %s %.5f in %.2f s (eps %.2e, %d iterations, converged %b)%n", n, p, r.estimator(),
                        r.value(), (System.nanoTime() - t) / 1e9, r.epsilon(), r.iterations(), r.converged());
            }
        }
    }
}
