package org.mlops4j.djl;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import org.mlops4j.core.Task;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.mlops4j.djl.internal.DjlBlocks;
import org.mlops4j.djl.internal.DjlRuntime;
import org.mlops4j.djl.internal.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code djl} model flavor: an {@link MlpModel} as its block definition ({@code mlp.json}) and DJL's
 * parameter file ({@code mlp.params}, written by {@code Block.saveParameters}). Reading rebuilds the block
 * from the definition and loads the parameters into it; nothing is deserialized with Java serialization and
 * no class name is read from the files. Without PyTorch's native library on the class path, reading is an
 * {@link org.mlops4j.core.model.UnsupportedBundleException} naming the artifacts to add (its cause the
 * {@link NativeLibraryException}): the bundle is fine, the class path is not. Found by {@link java.util.ServiceLoader}.
 * {@snippet :
 * ModelFlavor djl = ModelFlavors.find("djl");
 * Map<String, byte[]> files = djl.write(model);            // mlp.json, mlp.params
 * }
 */
public final class DjlFlavor implements ModelFlavor {
    /** The block definition. */
    public static final String DEFINITION = "mlp.json";
    /** DJL's parameter file. */
    public static final String PARAMETERS = "mlp.params";

    /** For {@link java.util.ServiceLoader}. */
    public DjlFlavor() {
    }

    /**
     * What {@code mlp.json} holds.
     *
     * @param format      always {@code mlops4j-mlp}
     * @param version     1
     * @param task        regression or classification
     * @param features    input columns in order
     * @param classes     classes in output order
     * @param activation  hidden activation
     * @param widths      output width of every layer, the last being the output layer
     * @param inputMean   standardization means
     * @param inputScale  standardization scales
     * @param targetMean  regression output offset
     * @param targetScale regression output scale
     */
    public record Definition(String format, int version, Task task, List<String> features, List<String> classes,
                             Mlp.Activation activation, List<Integer> widths, float[] inputMean, float[] inputScale,
                             double targetMean, double targetScale) {
    }

    @Override
    public String name() {
        return MlpModel.FLAVOR;
    }

    @Override
    public Map<String, byte[]> write(Model model) {
        if (!(model instanceof MlpModel m)) {
            throw new IllegalArgumentException("the djl flavor writes MlpModel, not " + model.getClass().getName());
        }
        MlpNetwork n = m.network();
        Definition def = new Definition("mlops4j-mlp", 1, n.task(), n.features(), n.classes(), n.activation(),
                n.layers().stream().map(MlpNetwork.Layer::outputs).toList(), n.inputMean(), n.inputScale(), n.targetMean(),
                n.targetScale());
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(params)) {
            m.block().saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(DEFINITION, Json.write(def));
        files.put(PARAMETERS, params.toByteArray());
        return files;
    }

    @Override
    public Model read(Map<String, byte[]> files, ModelSignature signature, String where) {
        byte[] json = files.get(DEFINITION);
        byte[] params = files.get(PARAMETERS);
        if (json == null || params == null) {
            throw new BundleIntegrityException(where + ": a djl bundle needs " + DEFINITION + " and " + PARAMETERS + " but lists "
                    + files.keySet().stream().sorted().toList());
        }
        Definition def;
        try {
            def = Json.read(json, Definition.class);
        } catch (IOException e) {
            throw new BundleIntegrityException(where + ": " + DEFINITION + " is not an MLP definition: " + e.getMessage(), e);
        }
        if (!"mlops4j-mlp".equals(def.format()) || def.version() != 1) {
            throw new BundleIntegrityException(where + ": " + DEFINITION + " has format " + def.format() + " version " + def.version()
                    + "; this release reads mlops4j-mlp version 1");
        }
        if (def.widths() == null || def.widths().isEmpty() || def.features() == null || !def.features().equals(signature.features())) {
            throw new BundleIntegrityException(where + ": " + DEFINITION + " does not match the manifest (features "
                    + def.features() + " vs " + signature.features() + ")");
        }
        NDManager manager;
        try {
            manager = DjlRuntime.pytorch().newBaseManager();
        } catch (NativeLibraryException e) {
            throw DjlRuntime.cannotLoad(where, MlpModel.FLAVOR, e);
        }
        try {
            SequentialBlock block = DjlBlocks.block(def.widths(), def.activation());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, def.features().size()));
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(params))) {
                block.loadParameters(manager, in);
            }
            MlpNetwork network = new MlpNetwork(def.task(), def.features(), def.classes(), def.activation(), def.inputMean(),
                    def.inputScale(), DjlBlocks.layers(block), def.targetMean(), def.targetScale());
            return MlpModel.wrap(network, manager, block);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new BundleIntegrityException(where + ": " + PARAMETERS + " does not hold the parameters " + DEFINITION
                    + " describes: " + e.getMessage(), e);
        }
    }
}
