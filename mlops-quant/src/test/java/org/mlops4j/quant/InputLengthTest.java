package org.mlops4j.quant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An input of the wrong length is refused once, in the facade, instead of being cut or read past. */
class InputLengthTest {
    private final DenseNetwork net = DenseNetwork.builder()
            .layer(new float[] {1, 0, 0, 1, 1, 1}, 3, 2, new float[3], DenseNetwork.Activation.RELU).build();

    @Test
    void aDenseNetworkTakesExactlyItsInputSize() {
        assertThat(net.predict(new float[] {1, 2})).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> net.predict(new float[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input must have 2 values (the first layer's inputs) but had 3");
        assertThatThrownBy(() -> net.predict(new float[] {1})).hasMessageContaining("but had 1");
        assertThatThrownBy(() -> net.predict(new float[][] {{1, 2}, {1, 2, 3}})).hasMessageContaining("rows[1] must have 2 values");
    }

    @Test
    void wholeVectorKernelsTakeExactlyTheMatrixShape() {
        Kernels k = Kernels.best();
        float[] w = {1, 2, 3, 4, 5, 6};
        float[] y = new float[2];
        k.matvec(w, 2, 3, new float[] {1, 1, 1}, y);
        assertThat(y).containsExactly(6, 15);
        assertThatThrownBy(() -> k.matvec(w, 2, 3, new float[] {1, 1, 1, 1}, new float[2])).hasMessage("x.length must be 3 but was 4");
        assertThatThrownBy(() -> k.matvec(w, 2, 3, new float[] {1, 1, 1}, new float[3])).hasMessage("y.length must be 2 but was 3");
        assertThatThrownBy(() -> k.dotFp32(new float[3], new float[4])).hasMessageContaining("same length");
        float[] longer = new float[8];
        k.matvec(w, 2, 3, new float[] {1, 1, 1, 9}, longer, 0, 2);
        assertThat(longer).as("the row-range form keeps taking buffers").startsWith(6, 15);
    }
}
