package org.mlops4j.core.model.spi;

import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleLimits;
import org.mlops4j.core.model.SafeDeserialization;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;

import java.util.Map;

/**
 * Writes a kind of {@link Model} into a bundle's payload files and reads it back. Found lazily, by
 * {@link #name()}, with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.mlops4j.core.model.spi.ModelFlavor}) the first time a bundle of that
 * flavor is made or loaded; a bundle whose flavor no module provides is refused with the artifact to add.
 * mlops-core provides {@code tribuo} (gzip-compressed Tribuo protobuf, never Java serialization).
 *
 * <p>A flavor reads only files the bundle has already verified against its manifest's checksums; it must
 * still treat them as untrusted (no Java deserialization, no class names from the file), and refuse a
 * payload it did not write with a {@link BundleIntegrityException} that names the bundle.
 * {@snippet :
 * public record Constant(ModelSignature signature, double value) implements Model {
 *     public String flavor() { return "constant"; }
 *     public List<Prediction> predict(Dataset ready) {
 *         return Collections.nCopies(ready.rowCount(), Prediction.ofValue(value));
 *     }
 * }
 *
 * public static final class ConstantFlavor implements ModelFlavor {
 *     public String name() { return "constant"; }
 *     public Map<String, byte[]> write(Model model) {
 *         return Map.of("constant.txt", Double.toString(((Constant) model).value()).getBytes(StandardCharsets.UTF_8));
 *     }
 *     public Model read(Map<String, byte[]> files, ModelSignature signature, String where) {
 *         byte[] text = files.get("constant.txt");
 *         if (text == null) {
 *             throw new BundleIntegrityException(where + ": no constant.txt");
 *         }
 *         return new Constant(signature, Double.parseDouble(new String(text, StandardCharsets.UTF_8)));
 *     }
 * }
 * }
 */
public interface ModelFlavor {

    /** @return the flavor's name, as recorded in the manifest ({@code tribuo}) */
    String name();

    /**
     * @param model a model whose {@link Model#flavor()} is this flavor's name
     * @return the payload: plain file names (no {@code /}) to content; none may be named like the bundle's own files
     */
    Map<String, byte[]> write(Model model);

    /**
     * @param files     every file of the bundle by name, verified against the manifest
     * @param signature the model's signature as the manifest records it
     * @param where     the bundle, for messages
     * @return the model
     * @throws BundleIntegrityException when the payload is missing or not what this flavor writes
     */
    Model read(Map<String, byte[]> files, ModelSignature signature, String where);

    /**
     * Reads within limits: a flavor that decompresses or allocates by sizes read from its payload overrides
     * this to stay within {@link BundleLimits#maxExpandedBytes()} and {@link BundleLimits#maxExpansionRatio()}
     * ({@link BundleLimits#checkExpansion}). Any Java deserialization goes through
     * {@link SafeDeserialization}. The default ignores the limits and calls {@link #read(Map, ModelSignature, String)}.
     *
     * @param files     every file of the bundle by name, verified against the manifest
     * @param signature the model's signature as the manifest records it
     * @param where     the bundle, for messages
     * @param limits    how far the payload may expand
     * @return the model, whose {@link Model#signature()} must equal {@code signature}
     * @throws BundleIntegrityException when the payload is missing, not what this flavor writes, or past a limit
     */
    default Model read(Map<String, byte[]> files, ModelSignature signature, String where, BundleLimits limits) {
        return read(files, signature, where);
    }
}
