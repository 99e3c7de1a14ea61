package org.flowmatch4j.fm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.autodiff.Autograd;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.SinusoidalTimeEmbedding;
import org.flowmatch4j.nn.TimeEmbedding;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MlpVelocityFieldTest {
    @Test
    void matchesTheNetworkAndItsJacobianInX() {
        for (TimeEmbedding emb : new TimeEmbedding[] {new ConcatTime(), new SinusoidalTimeEmbedding(8)}) {
            Rng rng = new Rng(21);
            TimeMlp net = new TimeMlp(2, 32, 3, Activation.SELU, emb, DType.FLOAT32, rng);
            MlpVelocityField field = new MlpVelocityField(net, 16, 2);
            int rows = 40;
            float[] x = new float[rows * 2];
            rng.fillNormal(x, 0, x.length);
            float[] tan = new float[rows * 2];
            rng.fillNormal(tan, 0, tan.length);
            float[] out = new float[rows * 2];
            float[][] tout = {new float[rows * 2]};
            double t = 0.37;
            field.velocityJvp(t, x, rows, out, new float[][] {tan}, tout, 1);

            Var xv = Var.param(Tensor.of(x.clone(), rows, 2));
            Tensor tt = Tensor.full(DType.FLOAT32, t, rows);
            Var v = net.forward(xv, Var.constant(tt));
            Var jv = Autograd.jvp(v, xv, Var.constant(Tensor.of(tan.clone(), rows, 2)), false);
            for (int i = 0; i < rows * 2; i++) {
                assertThat((double) out[i]).isCloseTo(v.value().getDouble(i), within(1e-5));
                assertThat((double) tout[0][i]).isCloseTo(jv.value().getDouble(i), within(1e-4));
            }
            // a second time reuses buffers and the cached embedding correctly
            float[] out2 = new float[rows * 2];
            field.velocity(0.9, x, rows, out2);
            Var v2 = net.forward(Var.constant(Tensor.of(x.clone(), rows, 2)), Var.constant(Tensor.full(DType.FLOAT32, 0.9, rows)));
            for (int i = 0; i < rows * 2; i++) {
                assertThat((double) out2[i]).isCloseTo(v2.value().getDouble(i), within(1e-5));
            }
        }
    }
}
