package org.flowmatch4j.nn;

/** A tape-free training pass of an {@link Mlp} ({@link FusedMlp} picks one by layer width). */
interface FusedPass {
    float[] input();

    float[] output();

    float[] outputGrad();

    int batch();

    float[] forward();

    double mseStep(float[] target);

    double mseStepAndUpdate(BatchWriter writer, float[] target, org.flowmatch4j.autodiff.ElementwiseUpdate update);

    double mseLossAndGrad(float[] target);

    void backward();

}
