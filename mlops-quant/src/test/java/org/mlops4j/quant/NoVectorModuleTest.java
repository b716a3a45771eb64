package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The fallback path, in a JVM started without {@code --add-modules jdk.incubator.vector} (a separate
 * Surefire execution runs only this class): the scalar kernels are chosen, exactly one WARN names the
 * flag, and everything still computes.
 */
class NoVectorModuleTest {

    @Test
    void withoutTheModuleTheScalarKernelsRunAfterExactlyOneWarning() {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).as("this JVM must lack the module").isEmpty();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Kernels first;
        Kernels second;
        try {
            first = Kernels.best();
            second = Kernels.best();
            // other entry points that use the kernels must not warn again
            Fp16.encode(new float[] {1f});
            Int8Spec.perChannel().quantize(new float[] {1f, -2f}, 1, 2).dequantize();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(first).isSameAs(second);
        assertThat(first.isVectorized()).isFalse();
        assertThat(first.name()).isEqualTo("scalar");
        long warnings = Arrays.stream(log.split("\\R")).filter(l -> l.contains("WARN")).count();
        assertThat(warnings).as("log was:%n%s", log).isEqualTo(1);
        assertThat(log).contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void theDenseEngineRunsOnTheScalarKernels() {
        float[] w = {1, 2, 3, 4};
        DenseNetwork net = DenseNetwork.builder().layer(w, 2, 2, new float[] {0.5f, -0.5f}, DenseNetwork.Activation.NONE)
                .weights(DenseNetwork.WeightFormat.INT8).activations(DenseNetwork.ActivationFormat.INT8_DYNAMIC).build();
        float[] y = net.predict(new float[] {1, 1});
        assertThat(y[0]).isCloseTo(3.5f, org.assertj.core.data.Offset.offset(0.05f));
        assertThat(y[1]).isCloseTo(6.5f, org.assertj.core.data.Offset.offset(0.1f));
    }
}
