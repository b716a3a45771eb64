package org.mlops4j.cli;

import java.io.File;
import java.lang.reflect.InvocationTargetException;

/**
 * The entry point of {@code mlops.jar}, compiled for Java 8 so that any JVM can run it: on Java 21 or newer it
 * hands over to {@code org.mlops4j.cli.Main}; on an older JVM it says which Java is running and how to run a newer
 * one, instead of an {@code UnsupportedClassVersionError} stack trace. Nothing else of mlops4j is loaded before
 * the check.
 * <pre>{@code
 * // java -jar mlops-cli/target/mlops.jar runs list     (the jar's Main-Class is this class)
 * Launcher.main(new String[] {"runs", "list"});
 * }</pre>
 * (The source lies in {@code src/main/java8}: it is compiled with {@code --release 8} and may use nothing newer.)
 */
public final class Launcher {
    /** The oldest Java release mlops4j runs on. */
    static final int REQUIRED = 21;

    private Launcher() {
    }

    /**
     * @param args the command line, passed on unchanged
     * @throws Throwable whatever the command throws
     */
    public static void main(String[] args) throws Throwable {
        String spec = System.getProperty("java.specification.version", "");
        int feature = feature(spec);
        if (feature < REQUIRED) {
            System.err.println(message(spec, System.getProperty("java.home", "?"), jar()));
            System.exit(1);
            return;
        }
        try {
            Class.forName("org.mlops4j.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** @return the feature release of a {@code java.specification.version} ("1.8" is 8, "17" is 17), or 0 */
    static int feature(String spec) {
        String s = spec.startsWith("1.") ? spec.substring(2) : spec;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String message(String spec, String javaHome, String jar) {
        return "mlops4j needs Java " + REQUIRED + " or newer; this is Java " + spec + " at " + javaHome + ".\n"
                + "Set JAVA_HOME to a JDK " + REQUIRED + " or newer (JDKs are often under /usr/lib/jvm) and run it with that JDK's java:\n"
                + "  \"$JAVA_HOME/bin/java\" -jar " + jar + " ...";
    }

    private static String jar() {
        try {
            File f = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String here = new File(".").getCanonicalPath();
            String path = f.getCanonicalPath();
            return path.startsWith(here + File.separator) ? path.substring(here.length() + 1) : path;
        } catch (Exception | LinkageError e) {
            return "mlops.jar";
        }
    }
}
