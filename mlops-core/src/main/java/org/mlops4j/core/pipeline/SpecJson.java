package org.mlops4j.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.SearchingTrainer;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainerSpec;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Transform;
import org.mlops4j.core.transform.TransformTypes;
import org.mlops4j.core.transform.spi.TransformType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code pipeline.json} codec. Each polymorphic part is an object whose {@code "type"} is an
 * allow-listed name followed by the record's components; a part no type names is written as
 * {@code "unrecorded"} with a description and read back as a placeholder that refuses to run.
 */
final class SpecJson {
    static final String FORMAT = "mlops4j-pipeline";
    /** 2 added {@code refit} and {@code anyClasses}; version 1 files read with both false. */
    static final int FORMAT_VERSION = 2;
    private static final String UNRECORDED = "unrecorded";
    private static final Logger LOG = LoggerFactory.getLogger(SpecJson.class);
    private static final ObjectMapper MAPPER = Json.mapper();

    private SpecJson() {
    }

    // ---- writing ----

    static byte[] write(PipelineSpec spec, Trainer chosen) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.set("source", source(spec.source()));
        root.put("label", spec.label());
        ArrayNode transforms = root.putArray("transforms");
        for (Transform t : spec.transforms()) {
            transforms.add(transform(t));
        }
        root.set("split", MAPPER.valueToTree(spec.split()));
        root.set("trainer", spec.trainer() == null ? null : trainer(spec.trainer(), chosen));
        root.set("evaluator", spec.evaluator() == null ? null : evaluator(spec.evaluator()));
        root.set("crossValidation", spec.crossValidation() == null ? null : MAPPER.valueToTree(spec.crossValidation()));
        ArrayNode steps = root.putArray("steps");
        for (Step s : spec.steps()) {
            steps.add(step(s));
        }
        root.put("refit", spec.refit());
        root.put("anyClasses", spec.anyClasses());
        return Json.write(root);
    }

    private static ObjectNode typed(String name, Object value) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", name);
        JsonNode fields = MAPPER.valueToTree(value);
        if (fields.has("type")) {
            throw new IllegalArgumentException(value.getClass().getName() + " has a component named 'type', which pipeline.json"
                    + " uses for the type name; rename the component");
        }
        if (fields instanceof ObjectNode o) {
            n.setAll(o);
        }
        return n;
    }

    private static ObjectNode unrecorded(String kind, String description) {
        LOG.warn("pipeline.json cannot record the {} '{}': no type names its class, so a run cannot be rebuilt from the file;"
                + " name it with a {}", kind, description, kind.equals("transform") ? "TransformTypeProvider" : "RecipeTypeProvider");
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", UNRECORDED);
        n.put("description", description);
        return n;
    }

    private static ObjectNode source(DataSource s) {
        if (s instanceof Csv csv) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("type", "csv");
            n.put("path", csv.path().toString());
            n.set("options", MAPPER.valueToTree(csv.options()));
            return n;
        }
        if (s instanceof DataSource.InMemory m && m.dataset().loadedFrom().isPresent()) {
            return source(m.dataset().loadedFrom().get());
        }
        if (s instanceof DataSource.Combined c) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("type", c.key() == null ? "beside" : "join");
            n.set("left", source(c.left()));
            n.set("right", source(c.right()));
            if (c.key() != null) {
                n.put("key", c.key());
                n.put("how", c.how().name());
            }
            return n;
        }
        if (s instanceof Unrecorded u) {
            return u.node().deepCopy();
        }
        return RecipeTypes.nameOf(RecipeTypes.Kind.SOURCE, s).map(name -> typed(name, s))
                .orElseGet(() -> unrecorded("data source", s.describe()));
    }

    private static ObjectNode transform(Transform t) {
        if (t instanceof Unrecorded u) {
            return u.node().deepCopy();
        }
        return TransformTypes.of(t).map(type -> typed(type.name(), t)).orElseGet(() -> unrecorded("transform", t.describe()));
    }

    private static ObjectNode trainer(Trainer t, Trainer chosen) {
        if (t instanceof SearchingTrainer search && !(t instanceof Unrecorded)) {
            // a search binds its candidates by code: recorded by what it is, where it started and what it chose
            TrainerSpec spec = t.spec();
            ObjectNode n = MAPPER.createObjectNode();
            n.put("type", UNRECORDED);
            n.put("kind", "search");
            n.put("description", spec.name() + " " + spec.hyperparameters());
            n.put("name", spec.name());
            n.put("task", spec.task().name());
            n.set("hyperparameters", MAPPER.valueToTree(spec.hyperparameters()));
            n.set("base", trainer(search.base(), null));
            if (chosen != null) {
                n.set("chosen", trainer(chosen, null));
            }
            return n;
        }
        return part(RecipeTypes.Kind.TRAINER, t, () -> {
            TrainerSpec spec = t.spec();
            ObjectNode n = unrecorded("trainer", spec.name() + " " + spec.hyperparameters());
            n.put("name", spec.name());
            n.put("task", spec.task().name());
            n.set("hyperparameters", MAPPER.valueToTree(spec.hyperparameters()));
            return n;
        });
    }

    private static ObjectNode evaluator(Evaluator e) {
        return part(RecipeTypes.Kind.EVALUATOR, e, () -> unrecorded("evaluator", e.name()).put("task", e.task().name()));
    }

    private static ObjectNode step(Step s) {
        return part(RecipeTypes.Kind.STEP, s,
                () -> unrecorded("step", s.toString()).put("phase", s.phase() == null ? null : s.phase().name()));
    }

    /** A part under its recipe type's name; a placeholder as it was read; otherwise what {@code unnamed} writes. */
    private static ObjectNode part(RecipeTypes.Kind kind, Object value, java.util.function.Supplier<ObjectNode> unnamed) {
        if (value instanceof Unrecorded u) {
            return u.node().deepCopy();
        }
        return RecipeTypes.nameOf(kind, value).map(name -> typed(name, value)).orElseGet(unnamed);
    }

    // ---- reading ----

    static PipelineSpec read(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("pipeline.json is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("pipeline.json must hold a JSON object");
        }
        String format = root.path("format").asText(null);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("pipeline.json: format is " + (format == null ? "missing" : "'" + format + "'")
                    + "; expected '" + FORMAT + "'");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("pipeline.json has format version " + version + "; this mlops4j reads versions 1 to "
                    + FORMAT_VERSION + " (a newer release wrote it?)");
        }
        PipelineSpec.Builder b = PipelineSpec.builder(readSource(required(root, "source")));
        JsonNode label = root.get("label");
        if (label != null && !label.isNull()) {
            b.label(label.asText());
        }
        int i = 0;
        for (JsonNode t : array(root, "transforms")) {
            i++;
            b.addTransform(readTransform(t, i));
        }
        b.split(bind(required(root, "split"), Split.TrainTest.class, "split"));
        JsonNode trainer = root.get("trainer");
        if (trainer != null && !trainer.isNull()) {
            b.trainer(readTrainer(trainer));
        }
        JsonNode evaluator = root.get("evaluator");
        if (evaluator != null && !evaluator.isNull()) {
            b.evaluator(readEvaluator(evaluator));
        }
        JsonNode cv = root.get("crossValidation");
        if (cv != null && !cv.isNull()) {
            b.crossValidation(bind(cv, Split.KFold.class, "crossValidation"));
        }
        i = 0;
        for (JsonNode s : array(root, "steps")) {
            i++;
            b.addStep(readStep(s, i));
        }
        b.refit(flag(root, "refit"));
        b.anyClasses(flag(root, "anyClasses"));
        return b.build();
    }

    /** An optional boolean: absent (a version 1 file) is false; anything but a boolean is refused. */
    private static boolean flag(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("pipeline.json: '" + field + "' must be true or false but was " + n);
        }
        return n.booleanValue();
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("pipeline.json has no '" + field + "'");
        }
        return n;
    }

    private static Iterable<JsonNode> array(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("pipeline.json: '" + field + "' must be an array");
        }
        return n;
    }

    private static String typeOf(JsonNode n, String where) {
        if (!n.isObject() || !n.path("type").isTextual()) {
            throw new IllegalArgumentException("pipeline.json: " + where + " must be an object with a \"type\"");
        }
        return n.get("type").asText();
    }

    private static <T> T bind(JsonNode n, Class<T> type, String where) {
        ObjectNode fields = n.deepCopy();
        fields.remove("type");
        try {
            return MAPPER.treeToValue(fields, type);
        } catch (IOException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("pipeline.json: " + where + " is not a valid " + type.getSimpleName() + ": "
                    + cause.getMessage(), e);
        }
    }

    private static IllegalArgumentException unknown(String kind, String name, List<String> known) {
        return new IllegalArgumentException("pipeline.json names " + kind + " type '" + name + "', which no module on the class path"
                + " defines; known " + kind + " types are " + known.stream().sorted().toList() + ". Add the artifact that provides it");
    }

    private static DataSource readSource(JsonNode n) {
        String type = typeOf(n, "source");
        if (type.equals("csv")) {
            String path = n.path("path").asText(null);
            if (path == null) {
                throw new IllegalArgumentException("pipeline.json: the csv source has no \"path\"");
            }
            Csv csv = Csv.file(Path.of(path));
            JsonNode options = n.get("options");
            return options == null || options.isNull() ? csv : csv.options(bind(options, Csv.Options.class, "source options"));
        }
        if (type.equals("beside")) {
            return DataSource.beside(readSource(required(n, "left")), readSource(required(n, "right")));
        }
        if (type.equals("join")) {
            String how = n.path("how").asText("");
            Dataset.Join join = how.equals("LEFT") ? Dataset.Join.LEFT : how.equals("INNER") ? Dataset.Join.INNER : null;
            if (join == null || !n.path("key").isTextual()) {
                throw new IllegalArgumentException("pipeline.json: a join source needs a \"key\" and \"how\" (INNER or LEFT)");
            }
            return DataSource.join(readSource(required(n, "left")), readSource(required(n, "right")), n.get("key").asText(), join);
        }
        if (type.equals(UNRECORDED)) {
            return new UnrecordedSource((ObjectNode) n);
        }
        Class<?> c = RecipeTypes.of(RecipeTypes.Kind.SOURCE).get(type);
        if (c == null) {
            List<String> known = new ArrayList<>(RecipeTypes.of(RecipeTypes.Kind.SOURCE).keySet());
            known.add("csv");
            known.add("join");
            known.add("beside");
            throw unknown("data source", type, known);
        }
        return (DataSource) bind(n, c, "source");
    }

    private static Transform readTransform(JsonNode n, int index) {
        String where = "transform " + index;
        String type = typeOf(n, where);
        if (type.equals(UNRECORDED)) {
            return new UnrecordedTransform((ObjectNode) n, index);
        }
        TransformType t = TransformTypes.byName(type).orElseThrow(() -> unknown("transform", type, TransformTypes.names()));
        return bind(n, t.spec(), where + " (" + type + ")");
    }

    static java.util.Optional<Trainer> chosen(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("pipeline.json is not JSON: " + e.getMessage(), e);
        }
        JsonNode t = root == null ? null : root.get("trainer");
        if (t == null || !"search".equals(t.path("kind").asText()) || !t.hasNonNull("chosen")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(readTrainer(t.get("chosen")));
    }

    private static Trainer readTrainer(JsonNode n) {

        return readPart(RecipeTypes.Kind.TRAINER, Trainer.class, n, "trainer", UnrecordedTrainer::new);
    }

    private static Evaluator readEvaluator(JsonNode n) {
        return readPart(RecipeTypes.Kind.EVALUATOR, Evaluator.class, n, "evaluator", UnrecordedEvaluator::new);
    }

    private static Step readStep(JsonNode n, int index) {
        return readPart(RecipeTypes.Kind.STEP, Step.class, n, "step " + index, node -> new UnrecordedStep(node, index));
    }

    private static <T> T readPart(RecipeTypes.Kind kind, Class<T> base, JsonNode n, String where,
                                  java.util.function.Function<ObjectNode, T> unrecorded) {
        String type = typeOf(n, where);
        if (type.equals(UNRECORDED)) {
            return unrecorded.apply((ObjectNode) n);
        }
        Class<?> c = RecipeTypes.of(kind).get(type);
        if (c == null) {
            throw unknown(kind.word, type, List.copyOf(RecipeTypes.of(kind).keySet()));
        }
        return base.cast(bind(n, c, where + " (" + type + ")"));
    }

    // ---- placeholders for parts the file could not record ----

    /** The task an unrecorded part says it has; a value that names no task reads as a regression. */
    private static Task task(JsonNode node) {
        String t = node.path("task").asText("").toUpperCase(Locale.ROOT);
        return t.equals(Task.CLASSIFICATION.name()) ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    /** A part of a recorded pipeline that the file names only by description: it cannot run. */
    interface Unrecorded {
        ObjectNode node();

        String what();

        default String problem() {
            return "the recorded pipeline's " + what() + " ('" + node().path("description").asText() + "') could not be recorded"
                    + " (no type names its class), so it cannot be rebuilt from pipeline.json; give it again";
        }

        default IllegalStateException refusal() {
            return new IllegalStateException(problem());
        }
    }

    record UnrecordedSource(ObjectNode node) implements DataSource, Unrecorded {
        @Override
        public Dataset load() {
            throw refusal();
        }

        @Override
        public String describe() {
            return node.path("description").asText();
        }

        @Override
        public String what() {
            return "data source";
        }

        @Override
        public String problem() {
            return "the recorded pipeline read its data from '" + describe() + "', which cannot be read again; give the data with"
                    + " Pipeline.of(spec).source(...)";
        }
    }

    record UnrecordedTransform(ObjectNode node, int index) implements Transform, Unrecorded {
        @Override
        public FittedTransform fit(Dataset train) {
            throw refusal();
        }

        @Override
        public String describe() {
            return node.path("description").asText();
        }

        @Override
        public String what() {
            return "transform " + index;
        }
    }

    record UnrecordedTrainer(ObjectNode node) implements Trainer, Unrecorded {
        @Override
        public TrainerSpec spec() {
            Map<String, String> hp = new LinkedHashMap<>();
            JsonNode h = node.path("hyperparameters");
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                hp.put(e.getKey(), e.getValue().asText());
            }
            return new TrainerSpec(node.path("name").asText("unrecorded"), SpecJson.task(node), hp);
        }

        @Override
        public Model fit(TrainingSet train, TrainContext context) {
            throw refusal();
        }

        @Override
        public String what() {
            return "trainer";
        }

        @Override
        public String problem() {
            if (!"search".equals(node.path("kind").asText())) {
                return Unrecorded.super.problem();
            }
            return "the recorded pipeline's trainer is a search ('" + node.path("description").asText() + "') whose candidates"
                    + " are bound by code, so it cannot be rebuilt from pipeline.json; give the search again"
                    + (node.has("chosen") ? ", or train the configuration it chose, recorded as trainer.chosen ("
                    + node.path("chosen").path("type").asText() + ")" : "");
        }
    }

    record UnrecordedEvaluator(ObjectNode node) implements Evaluator, Unrecorded {
        @Override
        public Task task() {
            return SpecJson.task(node);
        }

        @Override
        public Evaluation evaluate(Target truth, List<Prediction> predictions) {
            throw refusal();
        }

        @Override
        public String what() {
            return "evaluator";
        }
    }

    record UnrecordedStep(ObjectNode node, int index) implements Step, Unrecorded {
        @Override
        public Phase phase() {
            String p = node.path("phase").asText("");
            for (Phase phase : Phase.values()) {
                if (phase.name().equals(p)) {
                    return phase;
                }
            }
            return null;
        }

        @Override
        public void apply(StepContext context) {
            throw refusal();
        }

        @Override
        public String what() {
            return "step " + index;
        }
    }
}
