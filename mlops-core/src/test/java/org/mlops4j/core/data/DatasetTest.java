package org.mlops4j.core.data;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Schema.Field;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetTest {

    private final Dataset toy = Dataset.builder("toy")
            .numeric("rooms", 6.5, 5.9, 7.1)
            .categorical("river", "yes", "no", null)
            .numeric("price", 24.0, 21.6, 34.7)
            .build();

    @Test
    void derivedDataSetsLeaveTheOriginalUnchanged() {
        Dataset dropped = toy.drop("price");
        Dataset picked = toy.rows(new int[] {2, 0});

        assertThat(toy.schema().names()).containsExactly("rooms", "river", "price");
        assertThat(dropped.schema().names()).containsExactly("rooms", "river");
        assertThat(picked.numeric("rooms").toArray()).containsExactly(7.1, 6.5);
        assertThat(picked.origin(0)).isEqualTo("toy row 1");
        assertThat(toy.select("price", "rooms").schema().names()).containsExactly("price", "rooms");
    }

    @Test
    void schemaNullabilityFollowsTheData() {
        assertThat(toy.schema().field("river").nullable()).isTrue();
        assertThat(toy.schema().field("rooms").nullable()).isFalse();
    }

    @Test
    void unknownColumnsAreNamedWithTheColumnsThatExist() {
        assertThatThrownBy(() -> toy.column("Price"))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessage("unknown column 'Price' in toy; columns are [rooms, river, price]; did you mean 'price'?");
        assertThatThrownBy(() -> toy.drop("B", "rooms"))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("'B'");
        assertThatThrownBy(() -> toy.numeric("river")).hasMessageContaining("is categorical");
    }

    @Test
    void nanAndInfinityAreRejectedFromMemoryToo() {
        assertThatThrownBy(() -> NumericColumn.of("x", 1, Double.NaN))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("column 'x', row 2: NaN is not a finite number");
        assertThatThrownBy(() -> NumericColumn.ofNullable("x", Arrays.asList(1.0, Double.POSITIVE_INFINITY)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("row 2: Infinity is not a finite number");
    }

    @Test
    void rowsFromMapsAreCheckedAgainstTheSchema() {
        Schema schema = Schema.of(Field.numeric("rooms").required(), Field.categorical("river"));

        Dataset ok = Dataset.fromRows("request", schema, List.of(Map.of("rooms", "6.5", "river", "yes", "extra", 1),
                Map.of("rooms", 7)));
        assertThat(ok.numeric("rooms").toArray()).containsExactly(6.5, 7.0);
        assertThat(ok.categorical("river").get(1)).isNull();

        assertThatThrownBy(() -> Dataset.fromRows("request", schema, List.of(Map.of("rooms", "six"))))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("request row 1, column 'rooms': 'six' is not a number; expected a finite decimal number");
        assertThatThrownBy(() -> Dataset.fromRows("request", schema, List.of(Map.of("rooms", 1), Map.of("river", "no"))))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("request row 2: no value for column 'rooms'; expected a numeric value");
        assertThatThrownBy(() -> Dataset.fromRows("request", schema, List.of(Map.of("rooms", Double.NaN))))
                .hasMessageContaining("is not a finite number");
        assertThatThrownBy(() -> Dataset.fromRows("request", schema, List.of(Map.of("rooms", true))))
                .hasMessageContaining("value true of type Boolean is not a number");
    }

    @Test
    void theBuilderChecksEachColumnAsItIsAdded() {
        Dataset.Builder b = Dataset.builder("b").numeric("x", 1, 2);

        assertThatThrownBy(() -> b.numeric("x", 3, 4)).hasMessage("column 'x' was already added");
        assertThatThrownBy(() -> b.numeric("y", 3)).hasMessageContaining("has 1 values but column 'x' has 2");
        assertThatThrownBy(() -> Dataset.builder("empty").build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void headPrintsAnAlignedTable() {
        String head = toy.head(2);

        assertThat(head).contains("rooms  river  price");
        assertThat(head).contains("... 1 more rows");
    }
}
