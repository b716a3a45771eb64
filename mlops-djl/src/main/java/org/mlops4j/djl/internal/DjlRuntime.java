package org.mlops4j.djl.internal;

import ai.djl.engine.Engine;
import org.mlops4j.core.model.UnsupportedBundleException;
import org.mlops4j.djl.NativeLibraryException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Starts DJL's engines offline: {@code ai.djl.offline=true} and usage telemetry off unless the user set
 * them, so DJL never downloads natives or reports usage; the natives come from the Maven Central jars on
 * the class path. A missing native library is a {@link NativeLibraryException} naming the artifact to add.
 * Internal: not an API.
 *
 * <pre>{@code
 * DjlRuntime.offline();                         // before any other DJL call
 * Engine torch = DjlRuntime.pytorch();          // NativeLibraryException naming the jar when the natives are absent
 * }</pre>
 */
public final class DjlRuntime {
    /** The PyTorch engine's name in DJL. */
    public static final String PYTORCH = "PyTorch";
    /** The ONNX Runtime engine's name in DJL. */
    public static final String ONNX_RUNTIME = "OnnxRuntime";
    private static final Map<String, Engine> STARTED = new ConcurrentHashMap<>();

    private DjlRuntime() {
    }

    /** Sets DJL's offline mode and telemetry opt-out when the user has not chosen. Idempotent. */
    public static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** @return DJL's PyTorch engine, started offline */
    public static Engine pytorch() {
        return engine(PYTORCH, "ai.djl.pytorch:pytorch-engine:0.36.0, ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and "
                + "ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier linux-x86_64)");
    }

    /** @return DJL's ONNX Runtime engine, started offline (before any direct use of ONNX Runtime's Java API) */
    public static Engine onnxRuntime() {
        return engine(ONNX_RUNTIME, "ai.djl.onnxruntime:onnxruntime-engine:0.36.0 (it brings com.microsoft.onnxruntime:onnxruntime)");
    }

    private static Engine engine(String name, String artifacts) {
        Engine e = STARTED.get(name);
        if (e != null) {
            return e;
        }
        offline();
        try {
            e = Engine.getEngine(name);
        } catch (RuntimeException | LinkageError ex) {
            String cause = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != ex && root.getMessage() != null) {
                cause += " (" + root.getMessage() + ")";
            }
            throw new NativeLibraryException("the " + name + " engine could not start: " + cause + ". mlops4j runs DJL offline"
                    + " (ai.djl.offline=true) and never downloads natives: put " + artifacts + " on the class path"
                    + (System.getenv("DJL_CACHE_DIR") != null ? "; natives are extracted to DJL_CACHE_DIR=" + System.getenv("DJL_CACHE_DIR")
                    : "; natives are extracted to ~/.djl.ai (set DJL_CACHE_DIR to move it)"), ex);
        }
        STARTED.putIfAbsent(name, e);
        return e;
    }

    /**
     * A bundle of a flavor whose engine cannot start here: nothing in the bundle is wrong, the class path lacks a
     * native library. The message names the bundle, the flavor and the artifacts to add; the cause is the
     * {@link NativeLibraryException}.
     *
     * @param where  the bundle
     * @param flavor the flavor's name
     * @param e      the engine's refusal
     * @return the exception to throw
     */
    public static UnsupportedBundleException cannotLoad(String where, String flavor, NativeLibraryException e) {
        return new UnsupportedBundleException(where + ": flavor '" + flavor + "' cannot load here because " + e.getMessage(), e);
    }
}
