package org.mlops4j.core.internal;

/**
 * Whether an optional dependency (a {@code <optional>} one in mlops-core's POM) is on the class path. Ask here,
 * never in the class that uses the library: loading that class links it against the library's types, which
 * fails with {@code NoClassDefFoundError} when they are absent.
 *
 * <pre>{@code
 * String charts = OptionalLibraries.jfreeChart() ? CardCharts.residuals(r) : "<p>Charts need JFreeChart …</p>";
 * }</pre>
 */
public final class OptionalLibraries {
    private OptionalLibraries() {
    }

    /** @return whether JFreeChart and JFreeSVG (the charts of model cards and study reports) can be loaded */
    public static boolean jfreeChart() {
        return present("org.jfree.chart.JFreeChart", "org.jfree.svg.SVGGraphics2D");
    }

    /** @return whether {@code me.tongfei:progressbar} (a study's terminal progress bar) can be loaded */
    public static boolean progressBar() {
        return present("me.tongfei.progressbar.ProgressBar");
    }

    /**
     * @return {@code org.eclipse.jetty:jetty-server:<version>}, the Jetty release this build of mlops4j was tested
     *     with, for the message of a server started without Jetty on the class path
     */
    public static String jettyArtifact() {
        String v = BuildInfo.property("jetty.version");
        return "org.eclipse.jetty:jetty-server:" + (v == null ? "12.1.x" : v);
    }

    /**
     * @param classNames binary class names
     * @return whether every one is visible to mlops-core's class loader (without initializing it)
     */
    public static boolean present(String... classNames) {
        try {
            for (String name : classNames) {
                Class.forName(name, false, OptionalLibraries.class.getClassLoader());
            }
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
