package org.mlops4j.core.registry;

import java.util.List;
import java.util.Optional;

/**
 * One page of a registry search: the models or versions on it, and the token of the next page.
 * {@snippet :
 * RegistryPage<ModelVersion> page = registry.searchVersions("name = 'house-prices'", List.of(), 10, null);
 * page.nextPageToken().ifPresent(t -> registry.searchVersions("name = 'house-prices'", List.of(), 10, t));
 * }
 *
 * @param items     what matched, in order
 * @param nextToken the next page's token, or null on the last page
 * @param <T>       {@link RegisteredModel} or {@link ModelVersion}
 */
public record RegistryPage<T>(List<T> items, String nextToken) {
    /** Copies. */
    public RegistryPage {
        items = List.copyOf(items);
    }

    /** @return the next page's token, empty on the last page */
    public Optional<String> nextPageToken() {
        return Optional.ofNullable(nextToken);
    }
}
