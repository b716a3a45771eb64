package org.mlops4j.cli;

import org.mlops4j.core.model.BundleKey;
import org.mlops4j.core.registry.ModelRegistry;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.function.Function;

/**
 * What {@code mlops models export|import} share: opening the registry behind {@code --store}, reading keys,
 * and model URIs ({@code models:/name/3}, {@code models:/name@champion}, {@code models:/name/latest}).
 */
final class ModelsTransfer {
    /** One in-memory registry per process, for {@code --store memory:}. */
    private static final ModelRegistry MEMORY = ModelRegistry.inMemory();
    /**
     * Opens the registry of a store URI: {@code memory:} is one registry per process; the durable stores
     * (SQLite, PostgreSQL, MLflow) open as for every {@code models} command.
     */
    static volatile Function<String, ModelRegistry> opener = ModelsTransfer::openKnown;

    private ModelsTransfer() {
    }

    static ModelRegistry memory() {
        return MEMORY;
    }

    private static ModelRegistry openKnown(String uri) {
        if (uri.equals("memory:") || uri.equals("memory")) {
            return MEMORY;
        }
        // The durable registries (SQLite, PostgreSQL, MLflow) of the same URIs as every other command; the
        // process ends after the command, which releases the store.
        return new StoreOptionsOpener(uri).open();
    }

    /** Opens a durable registry the way {@code mlops models list} does (a missing SQLite file is an error). */
    private record StoreOptionsOpener(String uri) {
        ModelRegistry open() {
            StoreOptions o = new StoreOptions();
            o.store = uri;
            return o.openRegistry();
        }
    }

    static ModelRegistry open(String uri) {
        return opener.apply(uri);
    }

    /** @return a registry reference from a model URI or a plain reference */
    static String ref(String uri) {
        String r = uri.startsWith("models:/") ? uri.substring("models:/".length()) : uri;
        if (r.endsWith("/latest")) {
            r = r.substring(0, r.length() - "/latest".length());
        }
        if (r.isEmpty()) {
            throw new IllegalArgumentException("expected a model as models:/NAME/VERSION, models:/NAME@ALIAS or NAME/VERSION but got " + uri);
        }
        return r;
    }

    /** Key options: an HMAC secret file, or an Ed25519 key in PEM or DER. */
    static final class KeyOptions {
        @Option(names = "--key-id", paramLabel = "ID", description = "The signing key's id, as signature.json records it (default ${DEFAULT-VALUE}).",
                defaultValue = "default")
        String keyId;
        @Option(names = "--hmac-key-file", paramLabel = "FILE", description = "A file of at least 32 secret bytes: HMAC-SHA256.")
        Path hmac;
        @Option(names = "--ed25519-private-key", paramLabel = "FILE", description = "An Ed25519 private key (PKCS#8, PEM or DER): signs.")
        Path privateKey;
        @Option(names = "--ed25519-public-key", paramLabel = "FILE", description = "An Ed25519 public key (X.509, PEM or DER): checks.")
        Path publicKey;

        /** @return the key the options name, or null */
        BundleKey key() {
            int given = (hmac != null ? 1 : 0) + (privateKey != null || publicKey != null ? 1 : 0);
            if (given == 0) {
                return null;
            }
            if (given > 1) {
                throw new IllegalArgumentException("give either --hmac-key-file or an Ed25519 key, not both");
            }
            try {
                if (hmac != null) {
                    return BundleKey.hmacSha256(keyId, Files.readAllBytes(hmac));
                }
                KeyFactory f = KeyFactory.getInstance("Ed25519");
                PrivateKey priv = privateKey == null ? null : f.generatePrivate(new PKCS8EncodedKeySpec(der(privateKey)));
                PublicKey pub = publicKey == null ? null : f.generatePublic(new X509EncodedKeySpec(der(publicKey)));
                if (pub == null) {
                    throw new IllegalArgumentException("an Ed25519 key needs --ed25519-public-key too (signing records a checkable signature)");
                }
                return BundleKey.ed25519(keyId, priv, pub);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read key file: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 key: " + e.getMessage(), e);
            }
        }

        private static byte[] der(Path file) throws IOException {
            byte[] raw = Files.readAllBytes(file);
            String text = new String(raw, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN")) {
                String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                try {
                    return Base64.getDecoder().decode(body);
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " is PEM but its body is not base64", e);
                }
            }
            return raw;
        }
    }
}
