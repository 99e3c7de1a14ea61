package org.flowmatch4j.kernels;

import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the kernel backend. The system property {@code flowmatch.kernels} selects
 * {@code auto} (default), {@code vector} or {@code scalar}; {@code auto} picks the vector backend
 * when the {@code jdk.incubator.vector} module is in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}) and passes a self-check, else the scalar one.
 *
 * <p>The vector classes are loaded reflectively, only when the module is present, so the scalar
 * fallback works under a plain {@code java -cp}.
 */
public final class Kernels {
    private Kernels() {}

    /** The system property that selects the backend. */
    public static final String PROPERTY = "flowmatch.kernels";

    private static final KernelBackend SCALAR = new ScalarBackend();

    private static final class VectorHolder {
        static final KernelBackend VECTOR = loadVector();
    }

    private static final class Chosen {
        static final KernelBackend BACKEND = choose();
    }

    /** The backend chosen once per JVM from {@value #PROPERTY}. */
    public static KernelBackend get() {
        return Chosen.BACKEND;
    }

    /** The plain-Java backend. */
    public static KernelBackend scalar() {
        return SCALAR;
    }

    /** The Vector-API backend, or empty when the module is absent or does not work. */
    public static Optional<KernelBackend> vector() {
        return Optional.ofNullable(VectorHolder.VECTOR);
    }

    private static KernelBackend choose() {
        String p = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (p) {
            case "scalar":
                return SCALAR;
            case "vector":
                return vector().orElseThrow(() -> new IllegalStateException(
                        PROPERTY + "=vector but the jdk.incubator.vector module is not available "
                                + "(run with --add-modules jdk.incubator.vector)"));
            case "auto":
            case "":
                return vector().orElse(SCALAR);
            default:
                throw new IllegalArgumentException(PROPERTY + " must be auto, vector or scalar, got '" + p + "'");
        }
    }

    /**
     * The Vector-API implementation {@code className} of a kernel family, or null when the vector backend is
     * unavailable or the class cannot be loaded (it is loaded reflectively, so the scalar fallback never links it).
     */
    static <T> T vectorVariant(Class<T> family, String className) {
        if (vector().isEmpty()) {
            return null;
        }
        try {
            return family.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code vector} when {@link #get()} is the vector backend and it is non-null, else {@code scalar}. */
    static <T> T chooseVariant(T vector, T scalar) {
        return get().name().equals("vector") && vector != null ? vector : scalar;
    }

    private static KernelBackend loadVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
        try {
            Class<?> cls = Class.forName("org.flowmatch4j.kernels.VectorBackend");
            KernelBackend kb = (KernelBackend) cls.getDeclaredConstructor().newInstance();
            return selfCheck(kb) ? kb : null;
        } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean selfCheck(KernelBackend kb) {
        int m = 5, n = 37, k = 19;
        float[] a = new float[m * k], b = new float[k * n], c1 = new float[m * n], c2 = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (i % 7) - 3;
        for (int i = 0; i < b.length; i++) b[i] = (i % 5) - 2;
        kb.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, false, c1, 0, n);
        SCALAR.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, false, c2, 0, n);
        return java.util.Arrays.equals(c1, c2);   // small integers: exact in both
    }
}
