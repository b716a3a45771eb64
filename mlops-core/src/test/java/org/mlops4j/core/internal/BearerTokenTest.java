package org.mlops4j.core.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BearerTokenTest {
    private final BearerToken token = BearerToken.of("s3cret-token");

    @Test
    void acceptsTheTokenUnderTheBearerSchemeInAnyCaseWithSurroundingSpaces() {
        assertThat(token.accepts("Bearer s3cret-token")).isTrue();
        assertThat(token.accepts("bearer s3cret-token")).isTrue();
        assertThat(token.accepts("BEARER   s3cret-token  ")).isTrue();
    }

    @Test
    void refusesAnythingElse() {
        assertThat(token.accepts(null)).isFalse();
        assertThat(token.accepts("")).isFalse();
        assertThat(token.accepts("Bearer")).isFalse();
        assertThat(token.accepts("Bearer ")).isFalse();
        assertThat(token.accepts("Bearer s3cret-tokeN")).isFalse();
        assertThat(token.accepts("Bearer s3cret-token2")).isFalse();
        assertThat(token.accepts("Basic s3cret-token")).isFalse();
        assertThat(token.accepts("s3cret-token")).isFalse();
        assertThat(token.accepts("Bearers3cret-token")).isFalse();
    }

    @Test
    void neverShowsTheToken() {
        assertThat(token.toString()).doesNotContain("s3cret").contains("***");
        assertThatThrownBy(() -> BearerToken.of(null)).isInstanceOf(NullPointerException.class);
    }
}
