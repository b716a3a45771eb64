package org.mlops4j.core.model.compiled;

import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.spi.ModelFlavor;

import java.util.Map;

/**
 * The {@code compiled} model flavor: a {@link TreeEnsemble} or {@link LinearModel} as mlops4j's own flat,
 * little-endian payload {@code model.compiled.bin} (layout in docs/bundle-format.md). Writing is a copy of
 * the arrays; reading checks the CRC-32C, every count against the file's length and every index against its
 * array, so a damaged or hostile file is refused with a {@link BundleIntegrityException} and never read
 * outside its bounds. Found by {@link java.util.ServiceLoader}.
 * {@snippet :
 * ModelFlavor compiled = ModelFlavors.find("compiled");
 * Map<String, byte[]> payload = compiled.write(model);          // {model.compiled.bin=...}
 * Model back = compiled.read(payload, model.signature(), "my bundle");
 * }
 */
public final class CompiledFlavor implements ModelFlavor {
    /** The flavor's name in manifests. */
    public static final String NAME = "compiled";
    /** The payload file. */
    public static final String FILE = "model.compiled.bin";

    /** For {@link java.util.ServiceLoader}. */
    public CompiledFlavor() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, byte[]> write(Model model) {
        if (model instanceof TreeEnsemble t) {
            return Map.of(FILE, CompiledPayload.write(t));
        }
        if (model instanceof LinearModel l) {
            return Map.of(FILE, CompiledPayload.write(l));
        }
        throw new IllegalArgumentException("the compiled flavor writes TreeEnsemble and LinearModel, not " + model.getClass().getName());
    }

    @Override
    public Model read(Map<String, byte[]> files, ModelSignature signature, String where) {
        byte[] bytes = files.get(FILE);
        if (bytes == null) {
            throw new BundleIntegrityException(where + ": the manifest does not list " + FILE);
        }
        try {
            return CompiledPayload.read(bytes, signature);
        } catch (IllegalArgumentException e) {
            throw new BundleIntegrityException(where + ": " + FILE + ": " + e.getMessage(), e);
        }
    }
}
