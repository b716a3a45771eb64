package org.mlops4j.samples;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** samples/jshell/mlops.jsh imports exactly the public API packages of the mlops4j jars a JShell user has. */
class JShellStartupTest {

    @Test
    void theStartupFileImportsEveryPublicApiPackageAndNothingElse() throws Exception {
        Set<String> imported = new TreeSet<>();
        for (String line : Files.readAllLines(SampleProcess.dir().resolve("jshell/mlops.jsh"))) {
            if (line.startsWith("import ")) {
                assertThat(line).as("a package import").endsWith(".*;");
                imported.add(line.substring("import ".length(), line.length() - ".*;".length()));
            }
        }

        Set<String> api = new TreeSet<>();
        for (String entry : SampleProcess.classpath().split(File.pathSeparator)) {
            for (String className : classNames(Path.of(entry))) {
                String pkg = className.substring(0, className.lastIndexOf('.'));
                if (!pkg.startsWith("org.mlops4j.") || pkg.startsWith("org.mlops4j.samples") || pkg.contains(".internal")) {
                    continue;
                }
                Class<?> c = Class.forName(className, false, getClass().getClassLoader());
                if (Modifier.isPublic(c.getModifiers())) {
                    api.add(pkg);
                }
            }
        }

        assertThat(api).as("public API packages on the samples class path").contains("org.mlops4j.core", "org.mlops4j.tracking");
        assertThat(imported).isEqualTo(api);
    }

    /** Top-level class names in a class-path directory or jar. */
    private static List<String> classNames(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                return files.map(p -> entry.relativize(p).toString().replace(File.separatorChar, '/'))
                        .filter(JShellStartupTest::topLevelClass).map(JShellStartupTest::toName).toList();
            }
        }
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return List.of();
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            List<String> names = new java.util.ArrayList<>();
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (n.startsWith("org/mlops4j/") && topLevelClass(n)) {
                    names.add(toName(n));
                }
            }
            return names;
        }
    }

    private static boolean topLevelClass(String path) {
        return path.endsWith(".class") && !path.contains("$") && !path.endsWith("package-info.class")
                && !path.endsWith("module-info.class");
    }

    private static String toName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
