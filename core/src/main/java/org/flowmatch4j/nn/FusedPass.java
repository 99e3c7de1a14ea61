package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/** A tape-free training pass of an {@link Mlp} ({@link FusedMlp} picks one by layer width). */
interface FusedPass {
    float[] input();

    float[] output();

    float[] outputGrad();

    int batch();

    float[] forward();

    double mseStep(float[] target);

    double mseLossAndGrad(float[] target);

    void backward();

    /** The parameter's float32 gradient buffer, created when missing; passes write their gradients into it. */
    static float[] gradBuffer(Var p) {
        if (p.grad() == null || p.grad().dtype() != DType.FLOAT32) {
            p.setGrad(Tensor.zeros(DType.FLOAT32, p.shape()));
        }
        return p.grad().floatData();
    }
}
