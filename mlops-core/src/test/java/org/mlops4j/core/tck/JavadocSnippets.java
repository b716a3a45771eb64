package org.mlops4j.core.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles every inline {@code {@snippet : ...}} of a module's sources against the module's classes, so no
 * javadoc example can drift from the API. Each snippet becomes a method of a class that extends a prelude
 * (fields for the free names examples use: {@code tracker}, {@code registry}, {@code result}…); a snippet
 * that declares classes or methods is compiled as class members instead. A module's test calls
 * {@link #compileAll} and asserts there are no failures.
 * {@snippet :
 * assertThat(JavadocSnippets.compileAll(Path.of("src/main/java"), PRELUDE, IMPORTS)).isEmpty();
 * }
 */
public final class JavadocSnippets {
    private JavadocSnippets() {
    }

    /**
     * One snippet and where it is.
     *
     * @param file the source file
     * @param line the line of {@code {@snippet}}
     * @param code the example's code
     */
    public record Snippet(Path file, int line, String code) {
    }

    /**
     * @param sourceRoot a module's {@code src/main/java}
     * @return every inline snippet in it
     */
    public static List<Snippet> find(Path sourceRoot) {
        List<Snippet> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                int from = 0;
                while (true) {
                    int at = text.indexOf("{@snippet :", from);
                    if (at < 0) {
                        break;
                    }
                    int depth = 1;
                    int i = at + "{@snippet :".length();
                    for (; i < text.length() && depth > 0; i++) {
                        char c = text.charAt(i);
                        if (c == '{') {
                            depth++;
                        } else if (c == '}') {
                            depth--;
                        }
                    }
                    String raw = text.substring(at + "{@snippet :".length(), i - 1);
                    StringBuilder code = new StringBuilder();
                    for (String l : raw.split("\n", -1)) {
                        code.append(l.replaceFirst("^\\s*\\*( |$)", "")).append('\n');
                    }
                    int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
                    out.add(new Snippet(f, line, code.toString()));
                    from = i;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Compiles every snippet under {@code sourceRoot}.
     *
     * @param sourceRoot a module's {@code src/main/java}
     * @param prelude    members of the class each snippet extends: the free names examples use
     * @param imports    import lines for every snippet
     * @return one message per snippet that does not compile (file, line, the compiler's error, the code); empty when all do
     */
    public static List<String> compileAll(Path sourceRoot, String prelude, String imports) {
        return compile(find(sourceRoot), prelude, imports);
    }

    /**
     * @param markdown a Markdown file (a README)
     * @param language the fence's language ({@code java})
     * @return the code of every fenced block of that language; {@code import} lines are left to the imports
     */
    public static List<Snippet> fromMarkdown(Path markdown, String language) {
        List<Snippet> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```" + language)) {
                    continue;
                }
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i).startsWith("import ") ? "" : lines.get(i)).append('\n');
                }
                out.add(new Snippet(markdown, start, code.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * @param snippets examples to compile
     * @param prelude  members of the class each snippet extends
     * @param imports  import lines for every snippet
     * @return one message per snippet that does not compile; empty when all do
     */
    public static List<String> compile(List<Snippet> snippets, String prelude, String imports) {
        Map<String, Snippet> byClass = new LinkedHashMap<>();
        List<JavaFileObject> units = new ArrayList<>();
        units.add(source("snippets.Prelude", imports + "\npublic abstract class Prelude {\n" + prelude + "\n}\n"));
        for (int i = 0; i < snippets.size(); i++) {
            String name = "Snippet" + i;
            byClass.put(name, snippets.get(i));
        }
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, String> asMethod = compile(byClass, units, imports, false);
        Map<String, Snippet> retry = new LinkedHashMap<>();
        asMethod.keySet().forEach(k -> retry.put(k, byClass.get(k)));
        Map<String, String> asMembers = retry.isEmpty() ? Map.of() : compile(retry, units, imports, true);
        for (String k : asMethod.keySet()) {
            if (asMembers.containsKey(k)) {
                Snippet s = byClass.get(k);
                failures.put(k, s.file().getFileName() + ":" + s.line() + ": " + asMethod.get(k).strip() + "\n--- snippet:\n" + s.code());
            }
        }
        return List.copyOf(failures.values());
    }

    private static Map<String, String> compile(Map<String, Snippet> snippets, List<JavaFileObject> common, String imports,
                                               boolean asMembers) {
        List<JavaFileObject> units = new ArrayList<>(common);
        snippets.forEach((name, s) -> units.add(source("snippets." + name, imports
                + "class " + name + " extends Prelude {\n"
                + (asMembers ? s.code() : "void example() throws Exception {\n" + s.code() + "\n}\n") + "}\n")));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Path out = Files.createTempDirectory("snippets");
            List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-Xlint:none", "--add-modules", "ALL-SYSTEM", "-XDshould-stop.ifError=FLOW");
            javac.getTask(null, files, diagnostics, options, null, units).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> failed = new LinkedHashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
                continue;
            }
            String cls = d.getSource().getName().replaceAll(".*/", "").replace(".java", "");
            if (cls.equals("Prelude")) {
                throw new IllegalStateException("the prelude does not compile: " + d.getMessage(Locale.ROOT));
            }
            long offset = 2 + imports.lines().count() + (asMembers ? 0 : 1);
            failed.merge(cls, "line " + (d.getLineNumber() - offset) + " of the snippet: " + d.getMessage(Locale.ROOT) + "\n",
                    String::concat);
        }
        return failed;
    }

    private static JavaFileObject source(String className, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return "package snippets;\n" + code;
            }
        };
    }
}
