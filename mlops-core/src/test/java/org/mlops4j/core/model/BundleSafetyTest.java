package org.mlops4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile bundles, directories and zips: each refused with a message naming what is wrong, nothing written
 * anywhere, nothing read that the manifest does not list, no exception but a {@link BundleIntegrityException}.
 */
class BundleSafetyTest {
    @TempDir
    Path dir;

    private static PipelineResult result;
    private static List<Prediction> expected;

    @BeforeAll
    static void train() {
        result = Pipeline.from(TestData.boston()).label("MEDV").drop("B").transform(Impute.median(), Standardize.all())
                .train(DecisionTree.regression().maxDepth(4).seed(3)).run();
        expected = result.testPredictions();
    }

    private static ModelBundle bundle() {
        return result.bundle();
    }

    private Set<String> everythingUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    // ------------------------------------------------------------ directories

    @Test
    void anUnlistedHugeFileIsNeverReadAndAListedOneIsRefusedBeforeReading() throws IOException {
        Path saved = dir.resolve("b");
        bundle().save(saved);
        try (RandomAccessFile f = new RandomAccessFile(saved.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(3L << 30);   // 3 GiB, sparse: reading it would end in OutOfMemoryError
        }
        assertThat(ModelBundle.load(saved).predictor().predict(result.testSet())).isEqualTo(expected);

        Files.delete(saved.resolve("profile.json"));
        try (RandomAccessFile f = new RandomAccessFile(saved.resolve("profile.json").toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        assertThatThrownBy(() -> ModelBundle.load(saved)).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("file profile.json has 3221225472 bytes but the manifest records");

        ObjectNode m = (ObjectNode) Json.mapper().readTree(saved.resolve("manifest.json").toFile());
        for (JsonNode f : m.get("files")) {
            if (f.get("path").asText().equals("profile.json")) {
                ((ObjectNode) f).put("size", 3L << 30);
            }
        }
        Files.write(saved.resolve("manifest.json"), Json.write(m));
        assertThatThrownBy(() -> ModelBundle.load(saved)).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("records 3221225472 bytes for profile.json; at most 536870912 are read per file");
    }

    @Test
    void aLinkInADirectoryIsRefused() throws IOException {
        Path saved = dir.resolve("b");
        bundle().save(saved);
        Path outside = dir.resolve("outside-profile.json");
        Files.move(saved.resolve("profile.json"), outside);
        Files.createSymbolicLink(saved.resolve("profile.json"), outside);

        assertThatThrownBy(() -> ModelBundle.load(saved)).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("profile.json is a symbolic link");

        Files.delete(saved.resolve("profile.json"));
        Files.createDirectory(saved.resolve("profile.json"));
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("profile.json is not a regular file");
    }

    // ------------------------------------------------------------ manifests

    private static ObjectNode manifest() throws IOException {
        return (ObjectNode) Json.mapper().readTree(bundle().file(ModelBundle.MANIFEST).orElseThrow());
    }

    private static Map<String, byte[]> withManifest(JsonNode m) {
        Map<String, byte[]> files = new LinkedHashMap<>(bundle().files());
        files.put(ModelBundle.MANIFEST, Json.write(m));
        return files;
    }

    private static void assertRefused(Consumer<ObjectNode> edit, String message) throws IOException {
        ObjectNode m = manifest();
        edit.accept(m);
        assertThatThrownBy(() -> ModelBundle.fromFiles(withManifest(m), "edited")).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aFeatureListCutToOneColumnIsRefused() throws IOException {
        assertRefused(m -> m.putArray("features").add("RM"), "the manifest's features [RM] are not what transforms.json makes");
        assertRefused(m -> {
            ArrayNode f = (ArrayNode) m.get("features");
            JsonNode first = f.remove(0);
            f.add(first);
        }, "are not what transforms.json makes of its inputSchema");
    }

    @Test
    void editedFieldsAreRefusedByName() throws IOException {
        assertRefused(m -> m.put("formatVersion", "1"), "formatVersion must be an integer but is string \"1\"");
        assertRefused(m -> m.put("task", "CLUSTERING"), "task must be one of [REGRESSION, CLASSIFICATION] but is 'CLUSTERING'");
        assertRefused(m -> m.put("features", "RM"), "features must be a JSON array but is string");
        assertRefused(m -> m.remove("label"), "has no field 'label'");
        assertRefused(m -> m.put("label", 3), "label must be a string but is number 3");
        assertRefused(m -> m.put("surprise", true), "has an unknown field 'surprise'");
        assertRefused(m -> m.putArray("classes").add("a"), "a regression model has no classes");
        assertRefused(m -> m.putObject("metrics").put("rmse", "low"), "metrics.rmse must be a finite number but is string");
        assertRefused(m -> m.put("createdAt", "yesterday"), "createdAt must be an ISO-8601 instant");
        assertRefused(m -> ((ObjectNode) m.get("lineage")).put("runId", 12), "lineage: runId must be a string but is number 12");
        assertRefused(m -> ((ObjectNode) m.get("files").get(0)).put("size", -1), "files[0].size must be a byte count but is number -1");
        assertRefused(m -> ((ObjectNode) m.get("files").get(0)).put("sha256", "ABC"), "files[0].sha256 must be 64 lowercase hex digits");
        assertRefused(m -> ((ObjectNode) m.get("files").get(0)).put("path", "/etc/passwd"), "'/etc/passwd' is an absolute path");
        assertRefused(m -> ((ObjectNode) m.get("files").get(0)).put("path", "signature.json"), "is not listed in the manifest");
        assertRefused(m -> ((ObjectNode) m.get("inputSchema").get("fields").get(0)).put("type", "TEXT"), "inputSchema.fields[0].type must be one of");
        assertRefused(m -> ((ObjectNode) m.get("inputSchema").get("fields").get(0)).put("type", "CATEGORICAL"),
                "is CATEGORICAL in the manifest but numeric in profile.json");
        assertRefused(m -> ((ObjectNode) m.get("inputSchema").get("fields").get(0)).put("name", "MEDV"), "is also an input column");
        assertRefused(m -> ((ObjectNode) m.get("output")).put("type", "CATEGORICAL"), "output.type is CATEGORICAL but the task is REGRESSION");
        assertRefused(m -> ((ObjectNode) m.get("inputRanges")).putObject("NOPE"), "inputRanges.NOPE: 'NOPE' is not an input column");
        assertRefused(m -> m.put("formatVersion", 7), "has format version 7");
        assertRefused(m -> m.put("flavor", "djl"), "add org.mlops4j:mlops-djl");
    }

    @Test
    void everyFieldReplacedByEveryJsonKindIsRefusedOrLoadsAndPredictsTheSame() throws IOException {
        List<JsonNode> kinds = List.of(JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.numberNode(1),
                JsonNodeFactory.instance.numberNode(-1.5), JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.booleanNode(true),
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode());
        List<List<Object>> paths = new ArrayList<>();
        collect(manifest(), new ArrayList<>(), paths);
        org.mlops4j.core.data.Dataset read = result.testSet().drop("B", "MEDV");
        int refused = 0;
        int loaded = 0;
        for (List<Object> path : paths) {
            for (JsonNode kind : kinds) {
                ObjectNode m = manifest();
                set(m, path, kind);
                try {
                    ModelBundle b = ModelBundle.fromFiles(withManifest(m), "edited");
                    // the columns the model reads (an edited ignoredInputs only changes which extra keys are accepted)
                    assertThat(b.predictor().predict(read)).as("%s = %s", path, kind).isEqualTo(expected);
                    loaded++;
                } catch (BundleIntegrityException e) {
                    assertThat(e.getMessage()).as("%s = %s", path, kind).startsWith("bundle edited");
                    refused++;
                }
            }
        }
        assertThat(refused).isGreaterThan(loaded);
        assertThat(paths).hasSizeGreaterThan(60);
    }

    private static void collect(JsonNode n, List<Object> at, List<List<Object>> out) {
        if (!at.isEmpty()) {
            out.add(List.copyOf(at));
        }
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                at.add(f);
                collect(n.get(f), at, out);
                at.remove(at.size() - 1);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < Math.min(n.size(), 2); i++) {
                at.add(i);
                collect(n.get(i), at, out);
                at.remove(at.size() - 1);
            }
        }
    }

    private static void set(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object p = path.get(i);
            parent = p instanceof String s ? parent.get(s) : parent.get((Integer) p);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof String s) {
            ((ObjectNode) parent).set(s, value);
        } else {
            ((ArrayNode) parent).set((Integer) last, value);
        }
    }

    @Test
    void aBrokenInputExampleIsRefused() {
        for (String bad : List.of("{}", "[]", "[1]", "[{\"NOPE\": 1}]", "not json")) {
            byte[] content = bad.getBytes(StandardCharsets.UTF_8);
            Map<String, byte[]> files = new LinkedHashMap<>(bundle().files());
            files.put(ModelBundle.INPUT_EXAMPLE, content);
            ObjectNode m;
            try {
                m = manifest();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            for (JsonNode f : m.get("files")) {
                if (f.get("path").asText().equals(ModelBundle.INPUT_EXAMPLE)) {
                    ((ObjectNode) f).put("size", content.length).put("sha256", org.mlops4j.core.internal.Sha256.hex(content));
                }
            }
            files.put(ModelBundle.MANIFEST, Json.write(m));
            assertThatThrownBy(() -> ModelBundle.fromFiles(files, "example")).as(bad).isInstanceOf(BundleIntegrityException.class)
                    .hasMessageContaining("input-example.json");
        }
    }

    // ------------------------------------------------------------ zips

    @Test
    void aZipRoundTripsAndTheSameBundleGivesTheSameBytes() throws IOException {
        Path zip = dir.resolve("b.zip");
        bundle().saveZip(zip);

        ModelBundle back = ModelBundle.load(zip);
        assertThat(back.manifestSha256()).isEqualTo(bundle().manifestSha256());
        assertThat(back.predictor().predict(result.testSet())).isEqualTo(expected);
        assertThat(Files.readAllBytes(zip)).isEqualTo(bundle().toZip());
        assertThatThrownBy(() -> bundle().saveZip(zip)).hasMessageContaining("already exists");
    }

    private void assertZipRefused(byte[] zip, String message) throws IOException {
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        Path file = work.resolve("attack.zip");
        Files.write(file, zip);
        Set<String> before = everythingUnder(dir);
        assertThatThrownBy(() -> ModelBundle.load(file)).isInstanceOf(BundleIntegrityException.class).hasMessageContaining(message);
        assertThat(everythingUnder(dir)).as("nothing written").isEqualTo(before);
        Files.delete(file);
    }

    private static RawZip validEntries() {
        RawZip z = new RawZip();
        bundle().files().forEach(z::add);
        return z;
    }

    @Test
    void traversalAbsoluteNestedLinkAndDirectoryEntriesAreRefusedBeforeAnythingIsInflated() throws IOException {
        byte[] x = "x".getBytes(StandardCharsets.UTF_8);
        assertZipRefused(validEntries().add("../evil.txt", x).bytes(), "'../evil.txt' escapes the bundle");
        assertZipRefused(validEntries().add("a/../../evil.txt", x).bytes(), "escapes the bundle");
        assertZipRefused(validEntries().add("/tmp/evil.txt", x).bytes(), "'/tmp/evil.txt' is an absolute path");
        assertZipRefused(validEntries().add("C:\\evil.txt", x).bytes(), "is an absolute path");
        assertZipRefused(validEntries().add("sub/evil.txt", x).bytes(), "'sub/evil.txt' is in a folder");
        assertZipRefused(validEntries().add(RawZip.Entry.of("link", "/etc/passwd".getBytes(StandardCharsets.UTF_8)).mode(0120777)).bytes(),
                "entry 'link' is a symbolic link");
        assertZipRefused(validEntries().add(RawZip.Entry.of("sub/", new byte[0]).mode(040755)).bytes(), "is a directory");
        assertZipRefused(validEntries().add(RawZip.Entry.of("fifo", new byte[0]).mode(010644)).bytes(), "is not a regular file");
        assertZipRefused(validEntries().add(".hidden", x).bytes(), "starts with '.'");
    }

    @Test
    void duplicateUnlistedAndMismatchedEntriesAreRefused() throws IOException {
        byte[] profile = bundle().file("profile.json").orElseThrow();
        assertZipRefused(validEntries().add("profile.json", profile).bytes(), "entry 'profile.json' appears twice");
        assertZipRefused(validEntries().add("PROFILE.json", profile).bytes(), "appears twice");
        assertZipRefused(validEntries().add("extra.txt", profile).bytes(), "entry 'extra.txt' is not listed in its manifest");
        RawZip z = new RawZip();
        bundle().files().forEach((n, c) -> z.add(n.equals("profile.json") ? RawZip.Entry.of(n, c).localName("profilX.json") : RawZip.Entry.of(n, c)));
        assertZipRefused(z.bytes(), "its local header names 'profilX.json'");
    }

    @Test
    void tooManyEntriesTooManyBytesAndCompressionBombsAreRefused() throws IOException {
        RawZip many = validEntries();
        for (int i = 0; i < 300; i++) {
            many.add("f" + i, new byte[0]);
        }
        assertZipRefused(many.bytes(), "has 306 entries; at most 256 are read");

        RawZip bomb = validEntries();
        bomb.add("zeros.bin", new byte[64 << 20]);
        assertZipRefused(bomb.bytes(), "expands more than 100 times");

        RawZip lying = new RawZip();
        bundle().files().forEach((n, c) -> lying.add(n.equals("profile.json") ? RawZip.Entry.of(n, c).declaring(10) : RawZip.Entry.of(n, c)));
        assertZipRefused(lying.bytes(), "entry profile.json has 10 bytes but the manifest records");

        RawZip huge = new RawZip();
        bundle().files().forEach((n, c) -> huge.add(n.equals("profile.json") ? RawZip.Entry.of(n, c).declaring(3L << 30) : RawZip.Entry.of(n, c)));
        assertZipRefused(huge.bytes(), "entry 'profile.json' expands to 3221225472 bytes; at most 536870912 are read per file");
    }

    @Test
    void truncatedTamperedAndForeignZipsAreRefused() throws IOException {
        byte[] good = bundle().toZip();
        assertZipRefused(java.util.Arrays.copyOf(good, good.length / 2), "no zip end record");
        assertZipRefused(java.util.Arrays.copyOf(good, 10), "is not a zip");
        byte[] flipped = good.clone();
        flipped[good.length / 3] ^= 0x55;
        Path work = dir.resolve("t.zip");
        Files.write(work, flipped);
        assertThatThrownBy(() -> ModelBundle.load(work)).isInstanceOf(BundleIntegrityException.class);
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("notes.txt"))).hasMessageContaining("is a file but not a zip");
    }

    @Test
    void aZipThatWouldWriteOutsideTheTargetWritesNothingAnywhere() throws IOException {
        Path target = dir.resolve("models/house");
        byte[] zip = validEntries().add("../../escaped.txt", "x".getBytes(StandardCharsets.UTF_8)).bytes();
        Path file = dir.resolve("in.zip");
        Files.write(file, zip);
        Set<String> before = everythingUnder(dir);

        assertThatThrownBy(() -> ModelBundle.load(file).save(target)).hasMessageContaining("escapes the bundle");

        assertThat(everythingUnder(dir)).isEqualTo(before);
        assertThat(dir.getParent().resolve("escaped.txt")).doesNotExist();
    }

    // ------------------------------------------------------------ signatures

    @Test
    void aSignedBundleIsCheckedAgainstItsKeyWhereverItMoved() throws IOException {
        BundleKey key = BundleKey.hmacSha256("team", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        BundleKey other = BundleKey.hmacSha256("team", "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));
        Path zip = dir.resolve("signed.zip");
        bundle().signedWith(key).saveZip(zip);
        Path moved = Files.move(zip, dir.resolve("moved.zip"));

        ModelBundle b = ModelBundle.load(moved, BundleLimits.defaults(), key);
        assertThat(b.signature()).map(BundleSignature::keyId).contains("team");
        b.verifySignature(key);
        assertThatThrownBy(() -> ModelBundle.load(moved, BundleLimits.defaults(), other)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> ModelBundle.load(moved, BundleLimits.defaults(), BundleKey.hmacSha256("ops", new byte[32])))
                .hasMessageContaining("is signed with key 'team', not with 'ops'");
        assertThatThrownBy(() -> ModelBundle.fromFiles(bundle().files(), "unsigned", BundleLimits.defaults(), key))
                .hasMessageContaining("is not signed");

        Path d = dir.resolve("signed-dir");
        bundle().signedWith(key).save(d);
        ObjectNode m = (ObjectNode) Json.mapper().readTree(d.resolve("manifest.json").toFile());
        m.putObject("metrics").put("holdout_rmse", 0.01);
        Files.write(d.resolve("manifest.json"), Json.write(m));
        assertThat(ModelBundle.load(d).manifest().metrics()).containsEntry("holdout_rmse", 0.01);
        assertThatThrownBy(() -> ModelBundle.load(d, BundleLimits.defaults(), key)).hasMessageContaining("was changed after it was signed");
    }

    @Test
    void anEd25519PublicKeyChecksWhatOnlyThePrivateKeyCouldSign() {
        KeyPair pair = BundleKey.newEd25519KeyPair();
        BundleKey signer = BundleKey.ed25519("release", pair.getPrivate(), pair.getPublic());
        BundleKey checker = BundleKey.ed25519("release", null, pair.getPublic());
        ModelBundle signed = bundle().signedWith(signer);

        ModelBundle.fromFiles(signed.files(), "signed", BundleLimits.defaults(), checker).verifySignature(checker);
        assertThat(checker.canSign()).isFalse();
        assertThatThrownBy(() -> bundle().signedWith(checker)).hasMessageContaining("cannot sign");
        BundleKey stranger = BundleKey.ed25519("release", null, BundleKey.newEd25519KeyPair().getPublic());
        assertThatThrownBy(() -> ModelBundle.fromFiles(signed.files(), "signed", BundleLimits.defaults(), stranger))
                .hasMessageContaining("does not match");
        assertThat(checker.toString()).doesNotContain("Ed25519 private");
    }

    // ------------------------------------------------------------ Java deserialization

    @Test
    void javaDeserializationGoesThroughTheAllowList() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.ArrayList<>(List.of("a", "b")));
        }
        byte[] list = bytes.toByteArray();
        SafeDeserialization.Limits limits = SafeDeserialization.Limits.defaults();

        assertThat(SafeDeserialization.read(list, java.util.ArrayList.class,
                Set.of("java.util.ArrayList", "java.lang.String", "java.lang.Object"), limits, "x"))
                .containsExactly("a", "b");
        assertThatThrownBy(() -> SafeDeserialization.read(list, java.util.ArrayList.class, Set.of("java.lang.String", "java.lang.Object"), limits, "x"))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("naming class java.util.ArrayList, which is not allowed");

        bytes.reset();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new float[1000]);
        }
        byte[] floats = bytes.toByteArray();
        assertThat(SafeDeserialization.read(floats, float[].class, Set.of(), limits, "x")).hasSize(1000);
        assertThatThrownBy(() -> SafeDeserialization.read(floats, float[].class, Set.of(), new SafeDeserialization.Limits(20, 10, 100, 1 << 20), "x"))
                .hasMessageContaining("past its limits");

        bytes.reset();
        java.util.LinkedList<Object> deep = new java.util.LinkedList<>();
        Object nest = "leaf";
        for (int i = 0; i < 50; i++) {
            nest = new Object[] {nest};
        }
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(nest);
        }
        byte[] nested = bytes.toByteArray();
        assertThatThrownBy(() -> SafeDeserialization.read(nested, Object[].class, Set.of("java.lang.Object", "java.lang.String"), limits, "x"))
                .hasMessageContaining("past its limits");
        assertThat(deep).isEmpty();
    }
}
