package org.flowmatch4j.autodiff;

/**
 * Whether operations on {@link Var}s record a graph, per thread. Disabled inside {@link #disabled()} scopes
 * (inference, optimiser updates) and while a first-order backward pass runs.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when new operations record their inputs for differentiation. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope (try-with-resources) in which no graph is recorded; restores the previous mode on close. */
    public static Scope disabled() {
        return set(false);
    }

    /** A scope in which graphs are recorded; restores the previous mode on close. */
    public static Scope enabled() {
        return set(true);
    }

    static Scope set(boolean on) {
        boolean[] cell = ENABLED.get();
        boolean prev = cell[0];
        cell[0] = on;
        return () -> cell[0] = prev;
    }

    /** A grad-mode scope; closing it restores the mode in force when it was opened. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
