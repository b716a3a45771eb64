package org.mlops4j.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.internal.Names;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleKey;
import org.mlops4j.core.model.BundleLimits;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.model.ModelBundle;

import org.mlops4j.core.MlopsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Moves one registered version between stores and machines as a single zip: the verified bundle (manifest,
 * payload, transforms, profile, recipe, input example, optional signature) and {@code registry.json}, the
 * registry's record of the version (name, number, registration time, lineage, metrics, tags, aliases and
 * the manifest's SHA-256). Importing verifies the whole bundle within limits before anything is registered,
 * and registers a new version in the target registry with the lineage its manifest records.
 * {@snippet :
 ModelVersion out = registry.exportVersion("house-prices@champion", Path.of("house-prices-3.zip"));
 * ModelRegistry elsewhere = ModelRegistry.inMemory();
 * ModelVersion in = elsewhere.importVersion(Path.of("house-prices-3.zip"), VersionTransfer.ImportOptions.defaults());
 * in.tags().get(VersionTransfer.IMPORTED_FROM);   // "house-prices/3"
 * }
 */
public final class VersionTransfer {
    /** The tag an imported version gets: the name and version it had where it was exported. */
    public static final String IMPORTED_FROM = "mlops.imported_from";
    static final String FORMAT = "mlops4j-registry-export";

    private VersionTransfer() {
    }

    /**
     * How to import a zip.
     * {@snippet :
     * VersionTransfer.ImportOptions o = VersionTransfer.ImportOptions.defaults().name("prices").aliases(List.of("staging"))
     *         .requireKey(BundleKey.hmacSha256("team-2026", Files.readAllBytes(Path.of("team-2026.key"))));
     * }
     *
     * @param name    register under this name instead of the exported one (null: the exported name)
     * @param aliases aliases to point at the new version (the exported aliases are kept in the tags only)
     * @param key     when not null, the bundle must be signed by this key
     * @param limits  how much the zip may hold
     */
    public record ImportOptions(String name, List<String> aliases, BundleKey key, BundleLimits limits) {
        /** Copies; checks the name. */
        public ImportOptions {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            limits = limits == null ? BundleLimits.defaults() : limits;
            if (name != null) {
                Names.model("model name", name);
            }
            aliases.forEach(Names::alias);
        }

        /** @return the exported name, no alias, no key, default limits */
        public static ImportOptions defaults() {
            return new ImportOptions(null, List.of(), null, null);
        }

        /**
         * @param as a model name
         * @return these options registering under it
         */
        public ImportOptions name(String as) {
            return new ImportOptions(as, aliases, key, limits);
        }

        /**
         * @param names aliases for the new version
         * @return these options with them
         */
        public ImportOptions aliases(List<String> names) {
            return new ImportOptions(name, names, key, limits);
        }

        /**
         * @param signer the key the bundle must be signed with
         * @return these options requiring it
         */
        public ImportOptions requireKey(BundleKey signer) {
            return new ImportOptions(name, aliases, signer, limits);
        }

        /**
         * @param max how much the zip may hold
         * @return these options with those limits
         */
        public ImportOptions limits(BundleLimits max) {
            return new ImportOptions(name, aliases, key, max);
        }
    }

    static ModelVersion export(ModelRegistry registry, String ref, Path zip, BundleKey signWith) {
        Objects.requireNonNull(zip, "zip");
        ModelVersion v = registry.version(ref);
        ModelBundle bundle = registry.load(v.ref());
        if (signWith != null) {
            bundle = bundle.signedWith(signWith);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("formatVersion", 1);
        meta.put("name", v.name());
        meta.put("version", v.version());
        meta.put("createdAt", v.createdAt().toString());
        meta.put("lineage", v.lineage());
        meta.put("metrics", v.metrics());
        meta.put("tags", v.tags());
        meta.put("aliases", v.aliases());
        meta.put("manifestSha256", v.manifestSha256());
        meta.put("exportedAt", Instant.now().toString());
        String writer = ModelRegistry.class.getPackage().getImplementationVersion();
        meta.put("mlopsVersion", writer == null ? "development" : writer);
        byte[] content = bundle.toZip(Json.write(meta));
        write(zip, content);
        return v;
    }

    static ModelVersion importZip(ModelRegistry registry, Path zip, ImportOptions options) {
        Map<String, byte[]> beside = new LinkedHashMap<>();
        ModelBundle bundle = ModelBundle.load(zip, options.limits(), options.key(), beside);
        byte[] metaBytes = beside.get(ModelBundle.REGISTRY_METADATA);
        if (metaBytes == null) {
            throw new BundleIntegrityException("bundle " + zip + " has no " + ModelBundle.REGISTRY_METADATA
                    + "; it is a bundle, not an export: register it with registry.register(name, ModelBundle.load(path))");
        }
        String at = "bundle " + zip + ": " + ModelBundle.REGISTRY_METADATA;
        JsonNode meta;
        try {
            meta = Json.mapper().readTree(metaBytes);
        } catch (IOException e) {
            throw new BundleIntegrityException(at + " is not valid JSON: " + e.getMessage(), e);
        }
        if (meta == null || !meta.isObject() || !FORMAT.equals(meta.path("format").asText(null))) {
            throw new BundleIntegrityException(at + ": expected a JSON object of format '" + FORMAT + "'");
        }
        if (!meta.path("formatVersion").isInt() || meta.path("formatVersion").intValue() != 1) {
            throw new BundleIntegrityException(at + " has format version " + meta.path("formatVersion") + "; this mlops4j reads version 1");
        }
        String sha = text(meta, "manifestSha256", at);
        if (!sha.equals(bundle.manifestSha256())) {
            throw new BundleIntegrityException(at + " describes a bundle whose manifest has SHA-256 " + sha + " but the zip's has "
                    + bundle.manifestSha256() + "; refusing it");
        }
        String exportedName = text(meta, "name", at);
        JsonNode version = meta.get("version");
        if (version == null || !version.isInt() || version.intValue() < 1) {
            throw new BundleIntegrityException(at + ": version must be a version number but is " + version);
        }
        Lineage recorded;
        try {
            recorded = Json.mapper().treeToValue(meta.get("lineage"), Lineage.class);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException(at + ": lineage cannot be read: " + e.getMessage(), e);
        }
        if (recorded == null || !recorded.equals(bundle.manifest().lineage())) {
            throw new BundleIntegrityException(at + ": its lineage " + recorded + " differs from the manifest's " + bundle.manifest().lineage()
                    + "; refusing it");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode t = meta.path("tags");
        if (!t.isObject()) {
            throw new BundleIntegrityException(at + ": tags must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new BundleIntegrityException(at + ": tag " + Names.quote(e.getKey()) + " must be a string");
            }
            tags.put(e.getKey(), e.getValue().textValue());
        }
        List<String> exportedAliases = new ArrayList<>();
        meta.path("aliases").forEach(a -> exportedAliases.add(a.asText()));
        String from = exportedName + "/" + version.intValue();
        tags.put(IMPORTED_FROM, from);
        if (!exportedAliases.isEmpty()) {
            tags.put("mlops.exported_aliases", String.join(",", exportedAliases));
        }
        String name = options.name() != null ? options.name() : exportedName;
        try {
            Names.model("model name", name);
        } catch (IllegalArgumentException e) {
            throw new BundleIntegrityException(at + ": " + e.getMessage(), e);
        }
        return registry.register(name, bundle, options.aliases(), tags);
    }

    private static void write(Path file, byte[] content) {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new MlopsException("cannot export to " + file + ": it already exists; choose a new file");
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a hidden .tmp file is left
                }
            }
        }
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode f = n.get(field);
        if (f == null || !f.isTextual()) {
            throw new BundleIntegrityException(at + ": " + field + " must be a string but is " + f);
        }
        return f.textValue();
    }
}
