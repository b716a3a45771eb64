package org.mlops4j.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The bearer-token check of mlops4j's HTTP servers (the MLflow-compatible tracking server, serving): the
 * configured token is hashed once, and each request's {@code Authorization: Bearer <token>} header is
 * hashed and compared in constant time, so neither the comparison's duration nor a heap dump of the
 * server reveals the token. Immutable and thread-safe. Internal: not an API.
 * {@snippet :
 * var token = org.mlops4j.core.internal.BearerToken.of("s3cret-token");
 * token.accepts("Bearer s3cret-token");   // true
 * token.accepts("bearer  s3cret-token "); // true: the scheme ignores case, the token is stripped
 * token.accepts(null);                    // false: no header
 * }
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";
    private final byte[] hash;

    private BearerToken(byte[] hash) {
        this.hash = hash;
    }

    /**
     * @param token the token requests must carry (the caller validates its length)
     * @return the check for it; the token itself is not kept
     */
    public static BearerToken of(String token) {
        Objects.requireNonNull(token, "token");
        return new BearerToken(Sha256.of(token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param authorization the value of a request's {@code Authorization} header, or null when it has none
     * @return whether it is {@code Bearer <token>} with this token (scheme case-insensitive, token stripped)
     */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] offered = Sha256.of(authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(hash, offered);
    }

    /** @return a masked form: the token never appears in logs */
    @Override
    public String toString() {
        return "BearerToken[***]";
    }
}
