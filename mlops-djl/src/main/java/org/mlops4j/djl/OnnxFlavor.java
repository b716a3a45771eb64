package org.mlops4j.djl;

import ai.onnx.proto.OnnxMl.ModelProto;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.mlops4j.djl.internal.Json;
import org.mlops4j.djl.internal.OnnxChecks;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code onnx} model flavor: {@code model.onnx} (self-contained) and {@code onnx.json} (how columns
 * feed the graph and how its output reads). A graph whose tensors keep their data in external files is
 * refused on load unless every such file is a file of the same bundle (checksummed with it); a path that
 * leads anywhere else never loads. Found by {@link java.util.ServiceLoader}.
 * {@snippet :
 * Map<String, byte[]> files = ModelFlavors.find("onnx").write(onnxModel);   // model.onnx, onnx.json
 * }
 */
public final class OnnxFlavor implements ModelFlavor {
    /** The graph. */
    public static final String GRAPH = "model.onnx";
    /** How to feed and read it. */
    public static final String SPEC = "onnx.json";

    /** For {@link java.util.ServiceLoader}. */
    public OnnxFlavor() {
    }

    @Override
    public String name() {
        return OnnxModel.FLAVOR;
    }

    @Override
    public Map<String, byte[]> write(Model model) {
        if (!(model instanceof OnnxModel m)) {
            throw new IllegalArgumentException("the onnx flavor writes OnnxModel, not " + model.getClass().getName()
                    + "; turn it into one with Onnx.export(model)");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(GRAPH, m.bytes());
        files.put(SPEC, Json.write(m.spec()));
        return files;
    }

    @Override
    public Model read(Map<String, byte[]> files, ModelSignature signature, String where) {
        byte[] graph = files.get(GRAPH);
        byte[] json = files.get(SPEC);
        if (graph == null || json == null) {
            throw new BundleIntegrityException(where + ": an onnx bundle needs " + GRAPH + " and " + SPEC + " but lists "
                    + files.keySet().stream().sorted().toList());
        }
        OnnxModel.Spec spec;
        try {
            spec = Json.read(json, OnnxModel.Spec.class);
        } catch (IOException e) {
            throw new BundleIntegrityException(where + ": " + SPEC + " is not what mlops4j writes: " + e.getMessage(), e);
        }
        if (!"mlops4j-onnx".equals(spec.format()) || spec.version() != 1 || !spec.features().equals(signature.features())) {
            throw new BundleIntegrityException(where + ": " + SPEC + " (format " + spec.format() + " " + spec.version() + ", features "
                    + spec.features() + ") does not match the manifest's features " + signature.features());
        }
        ModelProto m;
        try {
            m = OnnxChecks.parse(graph, where + " " + GRAPH);
        } catch (IllegalArgumentException e) {
            throw new BundleIntegrityException(e.getMessage(), e);
        }
        List<String> external = OnnxChecks.externalLocations(m);
        for (String loc : external) {
            if (!files.containsKey(loc) || loc.equals(GRAPH) || loc.equals(SPEC)) {
                throw new BundleIntegrityException(where + ": " + GRAPH + " keeps tensor data in '" + loc + "', which is not a file of"
                        + " this bundle; external data must be bundled (ONNX files referring outside the bundle are refused)");
            }
        }
        if (!external.isEmpty()) {
            graph = OnnxInline.fromBundle(m, files, where).toByteArray();
        }
        try {
            return OnnxModel.start(graph, spec);
        } catch (NativeLibraryException e) {
            throw org.mlops4j.djl.internal.DjlRuntime.cannotLoad(where, OnnxModel.FLAVOR, e);
        } catch (IllegalArgumentException e) {
            throw new BundleIntegrityException(where + ": " + e.getMessage(), e);
        }
    }

    /** Inlines bundled external data. */
    private static final class OnnxInline {
        private OnnxInline() {
        }

        static ModelProto fromBundle(ModelProto m, Map<String, byte[]> files, String where) {
            try {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mlops4j-onnx");
                try {
                    for (String loc : OnnxChecks.externalLocations(m)) {
                        java.nio.file.Files.write(dir.resolve(loc), files.get(loc));
                    }
                    return OnnxChecks.inline(m, dir, where);
                } finally {
                    try (var s = java.nio.file.Files.list(dir)) {
                        for (java.nio.file.Path p : s.toList()) {
                            java.nio.file.Files.deleteIfExists(p);
                        }
                    }
                    java.nio.file.Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                throw new BundleIntegrityException(where + ": cannot inline the bundled external data: " + e.getMessage(), e);
            }
        }
    }
}
