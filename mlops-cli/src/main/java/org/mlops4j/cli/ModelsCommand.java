package org.mlops4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.ModelRef;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.registry.RegistryPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code mlops models list|show|versions|alias|tag|delete|export|import}: the model registry of a store, on the same store
 * URIs as the other commands. Versions are named as everywhere in mlops4j: {@code name/3},
 * {@code name@champion}, {@code name} (the newest), or {@code models:/...}.
 */
@Command(name = "models", description = "Registered models of a store: versions, aliases, tags.", mixinStandardHelpOptions = true,
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.ShowCommand.class, ModelsCommand.VersionsCommand.class,
                ModelsCommand.AliasCommand.class, ModelsCommand.TagCommand.class, ModelsCommand.DeleteCommand.class,
                ModelsExportCommand.class, ModelsImportCommand.class, ModelCommands.PromoteCommand.class,
                ModelCommands.RollbackCommand.class, ModelCommands.HistoryCommand.class, ModelCommands.CardCommand.class})
final class ModelsCommand {
    private ModelsCommand() {
    }

    static ObjectNode modelJson(RegisteredModel m) {
        ObjectNode o = Output.JSON.createObjectNode().put("name", m.name()).put("description", m.description())
                .put("created_at", m.createdAt().toString()).put("updated_at", m.updatedAt().toString())
                .put("latest_version", m.latestVersion());
        ObjectNode tags = o.putObject("tags");
        m.tags().forEach(tags::put);
        ObjectNode aliases = o.putObject("aliases");
        m.aliases().forEach(aliases::put);
        return o;
    }

    static ObjectNode versionJson(ModelVersion v) {
        ObjectNode o = Output.JSON.createObjectNode().put("name", v.name()).put("version", v.version()).put("uri", v.uri())
                .put("created_at", v.createdAt().toString()).put("description", v.description()).put("source", v.source())
                .put("manifest_sha256", v.manifestSha256());
        ArrayNode aliases = o.putArray("aliases");
        v.aliases().forEach(aliases::add);
        Lineage l = v.lineage();
        o.putObject("lineage").put("run_id", l.runId()).put("experiment_id", l.experimentId()).put("dataset_version", l.datasetVersion())
                .put("dataset_source", l.datasetSource()).put("parent", l.parent()).put("code_commit", v.codeCommit())
                .put("mlops4j_version", v.libraryVersion());
        ObjectNode metrics = o.putObject("metrics");
        v.metrics().forEach((k, x) -> Output.putNumber(metrics, k, x));
        ObjectNode tags = o.putObject("tags");
        v.tags().forEach(tags::put);
        return o;
    }

    private static String aliases(Map<String, Integer> aliases) {
        return aliases.isEmpty() ? "-" : aliases.entrySet().stream().map(e -> e.getKey() + "→" + e.getValue()).collect(Collectors.joining(","));
    }

    private static String shortId(String id) {
        return id == null ? "-" : id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static void versionTable(PrintWriter out, List<ModelVersion> versions) {
        List<List<String>> rows = new ArrayList<>();
        for (ModelVersion v : versions) {
            String metrics = v.metrics().entrySet().stream().filter(e -> e.getKey().startsWith("holdout_") || e.getKey().startsWith("cv_"))
                    .limit(3).map(e -> e.getKey() + "=" + Output.number(e.getValue())).collect(Collectors.joining(" "));
            rows.add(List.of(Integer.toString(v.version()), Output.time(v.createdAt()), v.aliases().isEmpty() ? "-" : String.join(",", v.aliases()),
                    shortId(v.lineage().runId()), v.lineage().parent() == null ? "-" : v.lineage().parent(), metrics.isEmpty() ? "-" : metrics));
        }
        Output.table(out, List.of("VERSION", "CREATED", "ALIASES", "RUN", "PARENT", "METRICS"), rows);
    }

    @Command(name = "list", description = "List the registered models.", mixinStandardHelpOptions = true)
    static final class ListCommand extends StoreCommand {
        @Option(names = "--filter", paramLabel = "FILTER", description = "MLflow filter, e.g. \"name LIKE 'house%'\" or \"tags.team = 'pricing'\".")
        String filter = "";

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (ModelRegistry registry = store.openRegistry()) {
                List<RegisteredModel> models = new ArrayList<>();
                String token = null;
                do {
                    RegistryPage<RegisteredModel> page = registry.searchModels(filter, List.of("name ASC"), 1000, token);
                    models.addAll(page.items());
                    token = page.nextPageToken().orElse(null);
                } while (token != null);
                if (store.json) {
                    ArrayNode a = Output.JSON.createArrayNode();
                    models.forEach(m -> a.add(modelJson(m)));
                    Output.json(out, a);
                } else {
                    List<List<String>> rows = new ArrayList<>();
                    for (RegisteredModel m : models) {
                        rows.add(List.of(m.name(), Integer.toString(m.latestVersion()), aliases(m.aliases()), Output.time(m.updatedAt()),
                                Output.clip(m.description().isEmpty() ? "-" : m.description(), 50)));
                    }
                    Output.table(out, List.of("NAME", "LATEST", "ALIASES", "UPDATED", "DESCRIPTION"), rows);
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show a model (NAME) or one version (NAME/N, NAME@ALIAS, models:/...): lineage, metrics, tags.",
            mixinStandardHelpOptions = true)
    static final class ShowCommand extends StoreCommand {
        @Parameters(paramLabel = "REF", description = "house-prices, house-prices/3, house-prices@champion, models:/house-prices/latest,"
                + " or runs:/RUN_ID/model for the bundle a run logged")
        String ref;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (ModelRegistry registry = store.openRegistry()) {
                if (ref.startsWith("runs:/")) {
                    ModelBundle bundle = registry.load(ref);
                    if (store.json) {
                        BundleManifest m = bundle.manifest();
                        ObjectNode o = Output.JSON.createObjectNode().put("uri", ref).put("flavor", m.flavor())
                                .put("algorithm", m.algorithm()).put("label", m.label()).put("manifest_sha256", bundle.manifestSha256())
                                .put("run_id", m.lineage().runId()).put("dataset_version", m.lineage().datasetVersion());
                        ArrayNode files = o.putArray("files");
                        m.files().forEach(f -> files.addObject().put("path", f.path()).put("size", f.size()).put("sha256", f.sha256()));
                        Output.json(out, o);
                    } else {
                        showRunBundle(out, bundle);
                    }
                    return 0;
                }
                boolean bare = !ref.contains("/") && !ref.contains("@");
                if (bare) {
                    RegisteredModel m = registry.model(ref, true);
                    List<ModelVersion> versions = registry.versions(ref);
                    if (store.json) {
                        ObjectNode o = modelJson(m);
                        ArrayNode a = o.putArray("versions");
                        versions.forEach(v -> a.add(versionJson(v)));
                        Output.json(out, o);
                    } else {
                        out.println("model       " + m.name());
                        out.println("description " + (m.description().isEmpty() ? "-" : m.description()));
                        out.println("created     " + Output.time(m.createdAt()) + ", updated " + Output.time(m.updatedAt()));
                        out.println("aliases     " + aliases(m.aliases()));
                        out.println("tags        " + (m.tags().isEmpty() ? "-" : m.tags()));
                        out.println();
                        versionTable(out, versions);
                    }
                    return 0;
                }
                ModelVersion v = registry.version(ref);
                if (store.json) {
                    Output.json(out, versionJson(v));
                    return 0;
                }
                Lineage l = v.lineage();
                out.println("version     " + v.uri() + (v.aliases().isEmpty() ? "" : "  [" + String.join(", ", v.aliases()) + "]"));
                out.println("created     " + Output.time(v.createdAt()));
                if (!v.description().isEmpty()) {
                    out.println("description " + v.description());
                }
                out.println("run         " + (l.runId() == null ? "-" : l.runId() + (l.experimentId() == null ? "" : " (experiment " + l.experimentId() + ")")));
                out.println("data        " + (l.datasetVersion() == null ? "-" : "sha256:" + l.datasetVersion())
                        + (l.datasetSource() == null ? "" : " from " + l.datasetSource()));
                out.println("parent      " + (l.parent() == null ? "-" : l.parent()));
                out.println("code        " + (v.codeCommit() == null ? "-" : v.codeCommit()) + ", mlops4j "
                        + (v.libraryVersion() == null ? "-" : v.libraryVersion()));
                out.println("manifest    sha256:" + v.manifestSha256());
                if (v.source() != null) {
                    out.println("source      " + v.source());
                }
                List<List<String>> rows = new ArrayList<>();
                v.metrics().forEach((k, x) -> rows.add(List.of(k, Output.number(x))));
                if (!rows.isEmpty()) {
                    out.println();
                    Output.table(out, List.of("METRIC", "VALUE"), rows);
                }
                if (!v.tags().isEmpty()) {
                    out.println();
                    List<List<String>> tags = new ArrayList<>();
                    v.tags().forEach((k, x) -> tags.add(List.of(k, Output.clip(x, 80))));
                    Output.table(out, List.of("TAG", "VALUE"), tags);
                }
            }
            return 0;
        }
    }

    private static void showRunBundle(PrintWriter out, ModelBundle bundle) {
        BundleManifest m = bundle.manifest();
        out.println("bundle      " + m.format() + " v" + m.formatVersion() + ", flavor " + m.flavor() + ", " + m.algorithm() + " -> " + m.label());
        out.println("manifest    sha256:" + bundle.manifestSha256());
        out.println("run         " + (m.lineage().runId() == null ? "-" : m.lineage().runId()));
        out.println("data        " + (m.lineage().datasetVersion() == null ? "-" : "sha256:" + m.lineage().datasetVersion()));
        List<List<String>> rows = new ArrayList<>();
        m.files().forEach(f -> rows.add(List.of(f.path(), Long.toString(f.size()), f.sha256().substring(0, 12))));
        out.println();
        Output.table(out, List.of("FILE", "BYTES", "SHA256"), rows);
    }

    @Command(name = "versions", description = "List the versions of a model, oldest first.", mixinStandardHelpOptions = true)
    static final class VersionsCommand extends StoreCommand {
        @Parameters(paramLabel = "NAME", description = "The model.")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (ModelRegistry registry = store.openRegistry()) {
                registry.model(name, true);
                List<ModelVersion> versions = registry.versions(name);
                if (store.json) {
                    ArrayNode a = Output.JSON.createArrayNode();
                    versions.forEach(v -> a.add(versionJson(v)));
                    Output.json(out, a);
                } else {
                    versionTable(out, versions);
                }
            }
            return 0;
        }
    }

    @Command(name = "alias", description = "Point an alias at a version (NAME ALIAS VERSION), or delete it (--delete NAME ALIAS).",
            mixinStandardHelpOptions = true)
    static final class AliasCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
        String name;
        @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias, e.g. champion.")
        String alias;
        @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION", description = "The version it points at from now on.")
        Integer version;
        @Option(names = "--delete", description = "Delete the alias instead.")
        boolean delete;

        @Override
        public Integer call() {
            PrintWriter out = out();
            if (delete == (version != null)) {
                throw new ParameterException(spec.commandLine(), delete ? "--delete takes NAME ALIAS, no VERSION"
                        : "give the VERSION the alias should point at, or --delete");
            }
            try (ModelRegistry registry = store.openRegistry()) {
                Integer before = registry.model(name, true).aliases().get(alias);
                if (delete) {
                    if (!registry.deleteAlias(name, alias)) {
                        throw new ModelNotFoundException("model '" + name + "' has no alias '" + alias + "'");
                    }
                } else {
                    registry.setAlias(name, alias, version);
                }
                if (store.json) {
                    ObjectNode o = Output.JSON.createObjectNode().put("name", name).put("alias", alias);
                    o.put("version", delete ? null : version);
                    o.put("previous_version", before);
                    Output.json(out, o);
                } else {
                    out.println(delete ? name + "@" + alias + " deleted (it pointed at version " + before + ")"
                            : name + "@" + alias + " -> version " + version + (before == null ? " (new alias)" : " (was version " + before + ")"));
                }
            }
            return 0;
        }
    }

    @Command(name = "tag", description = "Set tags (KEY=VALUE) of a version (NAME/N, NAME@ALIAS) or of a model (NAME), or delete them (--delete KEY).",
            mixinStandardHelpOptions = true)
    static final class TagCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "REF", description = "house-prices/3, house-prices@champion, or house-prices for the model's own tags.")
        String ref;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "KEY=VALUE", description = "Tags to set.")
        List<String> tags = new ArrayList<>();
        @Option(names = "--delete", paramLabel = "KEY", description = "Tag keys to delete.")
        List<String> deletes = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = out();
            if (tags.isEmpty() && deletes.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "give tags to set (KEY=VALUE) or --delete KEY");
            }
            try (ModelRegistry registry = store.openRegistry()) {
                boolean model = !ref.contains("/") && !ref.contains("@");
                ModelVersion v = model ? null : registry.version(ref);
                if (model) {
                    registry.model(ref, true);
                }
                for (String t : tags) {
                    int eq = t.indexOf('=');
                    if (eq <= 0) {
                        throw new ParameterException(spec.commandLine(), "a tag is KEY=VALUE but was '" + t + "'");
                    }
                    if (model) {
                        registry.setModelTag(ref, t.substring(0, eq), t.substring(eq + 1));
                    } else {
                        registry.setTag(v.name(), v.version(), t.substring(0, eq), t.substring(eq + 1));
                    }
                }
                for (String key : deletes) {
                    boolean existed = model ? registry.deleteModelTag(ref, key) : registry.deleteTag(v.name(), v.version(), key);
                    if (!existed) {
                        throw new ModelNotFoundException((model ? "model '" + ref + "'" : v.ref().toString()) + " has no tag '" + key + "'");
                    }
                }
                Map<String, String> now = model ? registry.model(ref).orElseThrow().tags() : registry.version(v.ref()).tags();
                if (store.json) {
                    ObjectNode o = Output.JSON.createObjectNode().put("ref", model ? ref : v.ref().toString());
                    ObjectNode t = o.putObject("tags");
                    now.forEach(t::put);
                    Output.json(out, o);
                } else {
                    out.println((model ? ref : v.ref().toString()) + " tags " + now);
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a version (NAME/N) or a whole model (NAME). A version or model an alias points at needs --force.",
            mixinStandardHelpOptions = true)
    static final class DeleteCommand extends StoreCommand {
        @Parameters(paramLabel = "REF", description = "house-prices/2, or house-prices for the model with every version.")
        String ref;
        @Option(names = "--force", description = "Delete even when an alias points at it (the alias goes too).")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (ModelRegistry registry = store.openRegistry()) {
                ModelRef parsed = ModelRef.parse(ref);
                boolean model = !ref.contains("/") && !ref.contains("@") || ref.startsWith("models:/") && parsed.isLatest() && !ref.endsWith("/latest");
                if (model) {
                    int versions = registry.versions(parsed.name()).size();
                    registry.deleteModel(parsed.name(), force);
                    report(out, parsed.name(), null, versions);
                } else {
                    if (parsed.alias() != null || parsed.isLatest()) {
                        throw new ParameterException(spec.commandLine(), "delete names a version by number (" + parsed.name()
                                + "/N), not by alias or latest, so the wrong one is never deleted");
                    }
                    registry.deleteVersion(parsed.name(), parsed.version(), force);
                    report(out, parsed.name(), parsed.version(), 1);
                }
            }
            return 0;
        }

        private void report(PrintWriter out, String name, Integer version, int versions) {
            if (store.json) {
                ObjectNode o = Output.JSON.createObjectNode().put("name", name).put("deleted_versions", versions);
                o.put("version", version);
                Output.json(out, o);
            } else {
                out.println(version == null ? "deleted model " + name + " (" + versions + " version" + (versions == 1 ? "" : "s") + ")"
                        : "deleted " + name + "/" + version);
            }
        }
    }
}
