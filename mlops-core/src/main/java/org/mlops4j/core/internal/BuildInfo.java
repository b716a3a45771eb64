package org.mlops4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The facts Maven wrote into mlops-core's jar when it was built ({@code mlops4j.properties}: the library's version,
 * the Jetty release it was tested with), read once. Internal: not an API.
 * {@snippet :
 * String version = org.mlops4j.core.internal.BuildInfo.property("version");   // "0.1.0-SNAPSHOT", or null
 * }
 */
public final class BuildInfo {
    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    /**
     * @param key a key of {@code mlops4j.properties}
     * @return its value, or null when the jar has none (or the build left it unfiltered)
     */
    public static String property(String key) {
        String v = PROPERTIES.getProperty(key);
        return v == null || v.startsWith("${") ? null : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/mlops4j/core/mlops4j.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            p.clear();
        }
        return p;
    }
}
