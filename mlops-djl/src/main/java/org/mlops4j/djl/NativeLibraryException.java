package org.mlops4j.djl;

import org.mlops4j.core.MlopsException;

/**
 * A deep-learning engine's native library is not there or does not load: the message names the Maven
 * artifacts to add. mlops4j runs DJL offline and never downloads a native library at run time. Thrown as it
 * is by training; loading a {@code djl} or {@code onnx} bundle throws an
 * {@link org.mlops4j.core.model.UnsupportedBundleException} with the same text after the bundle's name, and
 * this exception as its cause.
 * {@snippet :
 * try {
 *     Mlp.classification().fit(trainingSet, TrainContext.defaults());
 * } catch (NativeLibraryException e) {
 *     // "the PyTorch engine could not start: ... put ai.djl.pytorch:pytorch-native-cpu:2.7.1 ... on the class path"
 * }
 * }
 */
public class NativeLibraryException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is missing and which artifact brings it
     * @param cause   the engine's error
     */
    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
