package org.flowmatch4j.tensor;

/** Element type of a {@link Tensor}: float32 for networks, float64 for gradient checks and accumulators. */
public enum DType {
    FLOAT32,
    FLOAT64;

    /** Short name used in messages and file formats ("float32", "float64"). */
    public String label() {
        return this == FLOAT32 ? "float32" : "float64";
    }
}
