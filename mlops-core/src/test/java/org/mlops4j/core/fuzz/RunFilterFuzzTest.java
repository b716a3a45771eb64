package org.mlops4j.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.mlops4j.core.tracking.spi.RunFilter;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the run-filter parser and the LIKE matcher (Jazzer; a few seconds in the normal build, longer
 * with {@code -Pfuzz}): any text either parses or is an {@link IllegalArgumentException}, never another
 * exception or a hang; the linear LIKE matcher agrees with a regular-expression reference on short inputs
 * with few wildcards (on many, the reference is what takes exponential time).
 */
class RunFilterFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void filtersParseOrFailCleanly(FuzzedDataProvider data) {
        String pattern = data.consumeString(16);
        String value = data.consumeString(24);
        boolean ignoreCase = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        try {
            RunFilter f = RunFilter.parse(text);
            assertThat(f.conditions()).hasSizeLessThanOrEqualTo(RunFilter.MAX_CONDITIONS);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            RunFilter.parseOrderBy(List.of(text));
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        if (pattern.chars().filter(ch -> ch == '%').count() > 3) {
            return; // the backtracking reference itself would take too long; the matcher is checked by the other inputs
        }
        assertThat(RunFilter.like(value, pattern, ignoreCase)).as("'%s' LIKE '%s' (ignore case %s)", value, pattern, ignoreCase)
                .isEqualTo(reference(value, pattern, ignoreCase));
    }

    /** The backtracking translation the server used before: correct, but exponential on hostile patterns. */
    private static boolean reference(String value, String like, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        like.codePoints().forEach(cp -> {
            if (cp == '%') {
                re.append(".*");
            } else if (cp == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(new String(Character.toChars(cp))));
            }
        });
        return Pattern.compile(re.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0))
                .matcher(value).matches();
    }
}
