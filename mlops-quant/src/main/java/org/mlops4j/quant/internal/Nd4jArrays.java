package org.mlops4j.quant.internal;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads ND4J arrays into plain arrays. Only this class names ND4J types, and it is loaded only when a user
 * passes ND4J arrays, so ND4J stays an optional dependency.
 *
 * <p>Internal: not part of the public API.
 */
public final class Nd4jArrays {

    private Nd4jArrays() {
    }

    /**
     * @param weights an {@code INDArray} of shape [inputs, outputs] (the DL4J dense-layer convention)
     * @param shape   receives {outputs, inputs}
     * @return the weights as a row-major [outputs][inputs] fp32 array
     */
    public static float[] denseWeights(Object weights, int[] shape) {
        INDArray w = cast("weights", weights);
        if (w.rank() != 2) {
            throw new IllegalArgumentException("weights must be a rank-2 INDArray [inputs, outputs] but had shape "
                    + java.util.Arrays.toString(w.shape()));
        }
        float[][] m = w.toFloatMatrix();
        int in = m.length;
        int out = in == 0 ? 0 : m[0].length;
        float[] rowMajor = new float[Math.multiplyExact(in, out)];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                rowMajor[o * in + i] = m[i][o];
            }
        }
        shape[0] = out;
        shape[1] = in;
        return rowMajor;
    }

    /**
     * @param bias an {@code INDArray} with one axis of length &gt; 1 at most ([outputs] or [1, outputs])
     * @return its values
     */
    public static float[] vector(Object bias) {
        INDArray b = cast("bias", bias);
        long[] shape = b.shape();
        long nonUnit = java.util.Arrays.stream(shape).filter(d -> d != 1).count();
        if (nonUnit > 1) {
            throw new IllegalArgumentException("bias must be a vector ([outputs] or [1, outputs]) but had shape "
                    + java.util.Arrays.toString(shape));
        }
        return b.reshape(b.length()).toFloatVector();
    }

    private static INDArray cast(String what, Object o) {
        if (o instanceof INDArray a) {
            return a;
        }
        throw new IllegalArgumentException(what + " must be an org.nd4j.linalg.api.ndarray.INDArray but was "
                + (o == null ? "null" : o.getClass().getName()));
    }
}
