package org.mlops4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.internal.Names;
import org.mlops4j.core.internal.Sha256;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The optional {@code signature.json} of a bundle: which key signed the exact bytes of its
 * {@code manifest.json}, with which algorithm, and the signature. It is the one file a manifest does not
 * list (it signs the manifest). Loading with a {@link BundleKey} refuses a bundle without it, signed by
 * another key, or whose signature does not match, before the payload is parsed.
 * {@snippet :
 BundleKey key = BundleKey.hmacSha256("team-2026", Files.readAllBytes(Path.of("team-2026.key")));
 * ModelBundle b = ModelBundle.load(Path.of("export/house-prices-3"));
 * b.signature().map(BundleSignature::keyId);     // Optional[team-2026]
 * b.verifySignature(key);                         // throws BundleIntegrityException unless it matches
 * }
 *
 * @param algorithm      {@value BundleKey#HMAC_SHA256} or {@value BundleKey#ED25519}
 * @param keyId          the signing key's id
 * @param manifestSha256 SHA-256 of the signed {@code manifest.json}
 * @param signature      the signature, base64
 */
public record BundleSignature(String algorithm, String keyId, String manifestSha256, String signature) {
    /** The file name. */
    public static final String FILE = "signature.json";
    static final String FORMAT = "mlops4j-bundle-signature";
    private static final int MAX_BYTES = 16 << 10;

    static BundleSignature sign(BundleKey key, byte[] manifest) {
        return new BundleSignature(key.algorithm(), key.id(), Sha256.hex(manifest), Base64.getEncoder().encodeToString(key.sign(manifest)));
    }

    byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("formatVersion", 1);
        m.put("algorithm", algorithm);
        m.put("keyId", keyId);
        m.put("manifestSha256", manifestSha256);
        m.put("signature", signature);
        return Json.write(m);
    }

    static BundleSignature read(byte[] bytes, String where) {
        String at = "bundle " + where + ": " + FILE;
        if (bytes.length > MAX_BYTES) {
            throw new BundleIntegrityException(at + " has " + bytes.length + " bytes; a signature file has at most " + MAX_BYTES);
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(bytes);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException(at + " is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new BundleIntegrityException(at + " must be a JSON object");
        }
        Set<String> known = Set.of("format", "formatVersion", "algorithm", "keyId", "manifestSha256", "signature");
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new BundleIntegrityException(at + " has an unknown field " + Names.quote(f));
            }
        });
        if (!FORMAT.equals(n.path("format").asText(null)) || !n.path("formatVersion").isInt() || n.path("formatVersion").intValue() != 1) {
            throw new BundleIntegrityException(at + ": expected format '" + FORMAT + "' version 1");
        }
        String[] v = new String[4];
        String[] names = {"algorithm", "keyId", "manifestSha256", "signature"};
        for (int i = 0; i < 4; i++) {
            JsonNode f = n.get(names[i]);
            if (f == null || !f.isTextual()) {
                throw new BundleIntegrityException(at + ": " + names[i] + " must be a string but is " + ManifestCheck.kind(f));
            }
            v[i] = f.textValue();
        }
        if (!v[0].equals(BundleKey.HMAC_SHA256) && !v[0].equals(BundleKey.ED25519)) {
            throw new BundleIntegrityException(at + ": algorithm must be " + BundleKey.HMAC_SHA256 + " or " + BundleKey.ED25519 + " but is "
                    + Names.quote(v[0]));
        }
        try {
            Base64.getDecoder().decode(v[3]);
        } catch (IllegalArgumentException e) {
            throw new BundleIntegrityException(at + ": signature is not base64", e);
        }
        return new BundleSignature(v[0], v[1], v[2], v[3]);
    }

    void verify(BundleKey key, byte[] manifest, String where) {
        String at = "bundle " + where;
        if (!keyId.equals(key.id())) {
            throw new BundleIntegrityException(at + " is signed with key " + Names.quote(keyId) + ", not with " + Names.quote(key.id())
                    + "; refusing it");
        }
        if (!algorithm.equals(key.algorithm())) {
            throw new BundleIntegrityException(at + " is signed with " + algorithm + " but key '" + key.id() + "' is " + key.algorithm());
        }
        if (!manifestSha256.equals(Sha256.hex(manifest)) || !key.verify(manifest, Base64.getDecoder().decode(signature))) {
            throw new BundleIntegrityException(at + ": the signature of key '" + keyId + "' does not match its manifest.json;"
                    + " the bundle was changed after it was signed, refusing it");
        }
    }
}
