package org.flowmatch4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flowmatch4j.model.Methods;
import picocli.CommandLine.ParameterException;

/**
 * Which {@code train} options each {@code --method} takes. An option that a method does not use is refused when
 * given (on the command line or in a config file), never silently ignored.
 */
final class MethodOptions {
    private static final Set<String> FM_ONLY = Set.of("path", "sigma", "target", "coupling");
    private static final Set<String> REFLOW_ONLY = Set.of("teacher", "reflow-pairs");
    private static final Set<String> NF_ONLY = Set.of("couplings");
    private static final Set<String> CNF_ONLY = Set.of("cnf-solver", "cnf-steps", "divergence", "probes");
    private static final Set<String> CHECKPOINTING = Set.of("resume", "checkpoint-every");

    /** Options each method refuses. */
    private static final Map<String, Set<String>> NOT_FOR = Map.of(
            "fm", union(REFLOW_ONLY, NF_ONLY, CNF_ONLY),
            "diffusion", union(FM_ONLY, REFLOW_ONLY, NF_ONLY, CNF_ONLY),
            "reflow", union(NF_ONLY, CNF_ONLY, CHECKPOINTING),
            "nf", union(FM_ONLY, REFLOW_ONLY, CNF_ONLY, CHECKPOINTING, Set.of("ema", "time-embedding")),
            "cnf", union(FM_ONLY, REFLOW_ONLY, NF_ONLY, CHECKPOINTING, Set.of("ema", "time-embedding")));

    private MethodOptions() {
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.HashSet<String> u = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            u.addAll(s);
        }
        return Set.copyOf(u);
    }

    /** Refuses an unknown method and options the method does not take. */
    static void check(TrainCommand c) {
        if (!Methods.NAMES.contains(c.method)) {
            throw new ParameterException(c.spec.commandLine(), "--method " + c.method + ": unknown; valid: " + String.join(", ", Methods.NAMES));
        }
        if (!"per-column".equals(c.standardize) && !"none".equals(c.standardize)) {
            throw new ParameterException(c.spec.commandLine(), "--standardize " + c.standardize + ": unknown; valid: per-column, none");
        }
        if (c.toyPoints <= 0) {
            throw new ParameterException(c.spec.commandLine(), "--toy-points must be positive, got " + c.toyPoints);
        }
        if (c.given("toy-points") && c.data != null && !DataSources.isToy(c.data)) {
            throw new ParameterException(c.spec.commandLine(), "--toy-points is for built-in data; " + c.data
                    + " is read as it is");
        }
        List<String> refused = new ArrayList<>();
        for (String k : NOT_FOR.get(c.method)) {
            if (c.given(k)) {
                refused.add("--" + k);
            }
        }
        if (!refused.isEmpty()) {
            java.util.Collections.sort(refused);
            String why = switch (c.method) {
                case "diffusion" -> "; diffusion fixes the VP path (β 0.1–20), the ε target and independent pairs";
                case "nf", "cnf" -> "; " + c.method + " is trained by maximum likelihood without a path, coupling, EMA or checkpoints";
                case "reflow" -> "; reflow runs are not checkpointed";
                default -> "";
            };
            throw new ParameterException(c.spec.commandLine(), String.join(", ", refused) + " do(es) not apply to --method " + c.method + why);
        }
    }

    /** Options not written to the effective configuration of a {@code method} run: actions, and those it refuses. */
    static Set<String> notSaved(String method) {
        return union(TrainCommand.ACTIONS, NOT_FOR.getOrDefault(method, Set.of()));
    }

    /** Whether the method runs outside the checkpointed Flow Matching loop ({@link MethodRun}). */
    static boolean isOwnRun(String method) {
        return "nf".equals(method) || "cnf".equals(method) || "reflow".equals(method);
    }

    /** Sets the values a method fixes (diffusion: VP path, ε target, independent coupling). */
    static void applyFixed(TrainCommand c) {
        if ("diffusion".equals(c.method)) {
            Methods.FmOptions o = Methods.FmOptions.diffusion();
            c.path = o.path();
            c.sigma = null;
            c.target = "eps";
            c.coupling = o.coupling();
        }
        if (c.timeEmbedding == null) {
            c.timeEmbedding = "concat";
        }
        if (!org.flowmatch4j.model.FlowMatchingModel.TIME_EMBEDDINGS.contains(c.timeEmbedding)) {
            throw new ParameterException(c.spec.commandLine(), "--time-embedding " + c.timeEmbedding + ": unknown; valid: "
                    + String.join(", ", org.flowmatch4j.model.FlowMatchingModel.TIME_EMBEDDINGS));
        }
    }
}
