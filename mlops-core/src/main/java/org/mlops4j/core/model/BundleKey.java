package org.mlops4j.core.model;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that signs bundles and checks their signatures, so a bundle that moved (exported, copied, mailed)
 * can be checked against its origin: HMAC-SHA256 with a secret the registry or its users share, or
 * Ed25519, where only the origin holds the private key and anyone can check with the public one. The
 * signature covers the exact bytes of {@code manifest.json}, which lists the SHA-256 of every other file.
 * {@snippet :
 byte[] secret = Files.readAllBytes(Path.of("team-2026.key"));      // 32+ random bytes
 * BundleKey key = BundleKey.hmacSha256("team-2026", secret);
 * bundle.signedWith(key).save(Path.of("export/house-prices-3"));
 * ModelBundle.load(Path.of("export/house-prices-3"), BundleLimits.defaults(), key);  // refused unless signed by it
 *
 java.security.KeyPair pair = BundleKey.newEd25519KeyPair();
 * BundleKey signer = BundleKey.ed25519("release", pair.getPrivate(), pair.getPublic());
 * BundleKey checker = BundleKey.ed25519("release", null, pair.getPublic());        // verify only
 * }
 */
public final class BundleKey {
    /** The HMAC algorithm name in {@code signature.json}. */
    public static final String HMAC_SHA256 = "HmacSHA256";
    /** The Ed25519 algorithm name in {@code signature.json}. */
    public static final String ED25519 = "Ed25519";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private final String id;
    private final String algorithm;
    private final byte[] secret;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private BundleKey(String id, String algorithm, byte[] secret, PrivateKey privateKey, PublicKey publicKey) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a key id is 1 to 100 letters, digits or '_ . : -' but was " + id);
        }
        this.id = id;
        this.algorithm = algorithm;
        this.secret = secret;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * @param id     names the key in {@code signature.json} (not secret)
     * @param secret at least 32 bytes
     * @return a key that signs and checks
     */
    public static BundleKey hmacSha256(String id, byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("an HMAC-SHA256 bundle key needs at least 32 bytes of secret but got " + secret.length);
        }
        return new BundleKey(id, HMAC_SHA256, secret.clone(), null, null);
    }

    /**
     * @param id         names the key in {@code signature.json}
     * @param privateKey signs; null for a key that only checks
     * @param publicKey  checks
     * @return the key
     */
    public static BundleKey ed25519(String id, PrivateKey privateKey, PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        for (java.security.Key k : new java.security.Key[] {privateKey, publicKey}) {
            if (k != null && !(k.getAlgorithm().equals("Ed25519") || k.getAlgorithm().equals("EdDSA"))) {
                throw new IllegalArgumentException("an Ed25519 bundle key takes Ed25519 keys, not " + k.getAlgorithm());
            }
        }
        return new BundleKey(id, ED25519, null, privateKey, publicKey);
    }

    /** @return a new Ed25519 key pair */
    public static KeyPair newEd25519KeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by the Java platform since Java 15", e);
        }
    }

    /** @return the key's id */
    public String id() {
        return id;
    }

    /** @return {@value #HMAC_SHA256} or {@value #ED25519} */
    public String algorithm() {
        return algorithm;
    }

    /** @return whether this key can sign (an Ed25519 key without its private half only checks) */
    public boolean canSign() {
        return secret != null || privateKey != null;
    }

    byte[] sign(byte[] content) {
        try {
            if (secret != null) {
                Mac mac = Mac.getInstance(HMAC_SHA256);
                mac.init(new SecretKeySpec(secret, HMAC_SHA256));
                return mac.doFinal(content);
            }
            if (privateKey == null) {
                throw new IllegalStateException("key '" + id + "' has only the public half of its Ed25519 pair; it checks signatures but cannot sign");
            }
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(content);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with key '" + id + "': " + e.getMessage(), e);
        }
    }

    boolean verify(byte[] content, byte[] signature) {
        try {
            if (secret != null) {
                return MessageDigest.isEqual(sign(content), signature);
            }
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKey);
            s.update(content);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** @return the id and algorithm, never the secret */
    @Override
    public String toString() {
        return "BundleKey[" + id + ", " + algorithm + (canSign() ? "" : ", verify only") + "]";
    }
}
