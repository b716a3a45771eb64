package org.mlops4j.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import org.mlops4j.core.Task;
import org.mlops4j.core.internal.BearerToken;
import org.mlops4j.core.internal.RequestPaths;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.RunEnvironment;
import org.mlops4j.serving.drift.DriftConfig;
import org.mlops4j.serving.drift.DriftJson;
import org.mlops4j.serving.drift.DriftListener;
import org.mlops4j.serving.drift.DriftMonitor;
import org.mlops4j.serving.drift.DriftReport;
import org.mlops4j.serving.drift.DriftState;
import org.mlops4j.serving.drift.FeatureDrift;
import org.mlops4j.serving.metrics.PredictionLog;
import org.mlops4j.serving.metrics.ServingMetrics;
import org.mlops4j.serving.protocol.Batch;
import org.mlops4j.serving.protocol.InputLayout;
import org.mlops4j.serving.protocol.Limits;
import org.mlops4j.serving.protocol.MlflowCodec;
import org.mlops4j.serving.protocol.OipCodec;
import org.mlops4j.serving.protocol.RequestException;
import org.mlops4j.serving.protocol.RequestJson;
import org.mlops4j.serving.protocol.RowsCodec;
import org.mlops4j.serving.routing.AliasFollower;
import org.mlops4j.serving.routing.Deployment;
import org.mlops4j.serving.routing.ModelRouter;
import org.mlops4j.serving.routing.Scorer;
import org.mlops4j.serving.routing.ServedModel;
import org.mlops4j.serving.routing.ServedVersion;
import org.mlops4j.serving.routing.VersionLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving core, independent of any HTTP server: it answers {@link ServingRequest}s for the Open Inference
 * Protocol V2 ({@code /v2/...}), MLflow's scoring protocol ({@code /invocations}, {@code /ping},
 * {@code /health}, {@code /version}), {@code POST /predict/{name}}, drift ({@code /v2/models/{name}/drift},
 * {@code …/drift.html}), feedback ({@code POST /v2/models/{name}/feedback}) and {@code GET /metrics}. Every
 * model is served by registry reference and followed as its alias moves. A client's mistake is a 4xx naming
 * the field; overload a 503 with {@code Retry-After}; a request past its timeout a 504; nothing a client sends
 * gives a 5xx or a stack trace. The {@link ModelServer} mounts it on Jetty; an application can mount it in its
 * own server. Thread-safe.
 * {@snippet :
 * try (ServingCore core = ServingCore.builder(registry).model("house-prices@champion").build()) {
 *     ServingResponse r = core.handle(ServingRequest.of("GET", "/v2/models/house-prices/ready", Map.of(), new byte[0]));
 * }
 * }
 */
public final class ServingCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingCore.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int CHUNK = 512;
    private static final String CSV = "text/csv";

    private final ModelRouter router;
    private final Limits limits;
    private final RequestJson json;
    private final ObjectMapper writer = JsonMapper.builder().build();
    private final BearerToken token;
    private final ServingMetrics metrics;
    private final PredictionLog log;
    private final FeedbackBuffer feedback;
    private final Semaphore permits;
    private final int maxConcurrent;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ThreadPoolExecutor shadowPool;
    private final AliasFollower follower;
    private final String idPrefix = Long.toHexString(Double.doubleToLongBits(Math.random()) ^ System.nanoTime()).substring(0, 6);
    private final AtomicLong ids = new AtomicLong();
    private final boolean driftOn;

    private ServingCore(Builder b) {
        this.limits = b.limits;
        this.json = new RequestJson(limits);
        this.token = b.token == null ? null : BearerToken.of(b.token);
        this.metrics = b.metrics == null ? ServingMetrics.prometheus() : b.metrics;
        this.log = b.log == null ? PredictionLog.none() : b.log;
        this.feedback = new FeedbackBuffer(b.feedbackCapacity);
        this.maxConcurrent = b.maxConcurrent > 0 ? b.maxConcurrent : Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
        this.permits = new Semaphore(maxConcurrent);
        this.driftOn = b.drift != null;
        List<DriftListener> listeners = List.copyOf(b.driftListeners);
        VersionLoader loader = b.loader != null ? b.loader : VersionLoader.fromRegistry(b.registry, b.drift, b.clock, b.warmRows, v -> {
            if (v.drift() != null) {
                listeners.forEach(v.drift()::addListener);
            }
        });
        this.router = new ModelRouter(b.registry, loader, b.models);
        router.onSwap(this::registerGauges);
        this.shadowPool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "mlops-serving-shadow");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        router.refresh();
        if (b.requireLoaded && !router.ready()) {
            List<String> why = new ArrayList<>();
            for (String name : router.names()) {
                ModelRouter.Route r = router.route(name);
                if (r.deployment() == null) {
                    why.add(r.model().primary() + ": " + (r.lastError() == null ? "not loaded" : r.lastError()));
                }
            }
            shadowPool.shutdownNow();
            throw new IllegalStateException("cannot serve " + String.join("; ", why));
        }
        this.follower = b.followInterval == null ? null : AliasFollower.start(router, b.followInterval);
    }

    /**
     * @param registry where served versions come from
     * @return a builder
     */
    public static Builder builder(ModelRegistry registry) {
        return new Builder(registry);
    }

    /** @return the router (what is deployed, and {@code refresh()} to follow aliases now) */
    public ModelRouter router() {
        return router;
    }

    /** @return the meters */
    public ServingMetrics metrics() {
        return metrics;
    }

    /** @return the limits */
    public Limits limits() {
        return limits;
    }

    /** @return whether a bearer token is required */
    public boolean requiresToken() {
        return token != null;
    }

    private void registerGauges(ModelRouter.Swap swap) {
        for (ServedVersion v : swap.after().all()) {
            String m = v.name();
            String ver = v.versionText();
            metrics.gauge("mlops.serving.live.rmse", "RMSE over the ground truth fed back", v::liveRmse, "model", m, "version", ver);
            metrics.gauge("mlops.serving.live.mae", "MAE over the ground truth fed back", v::liveMae, "model", m, "version", ver);
            metrics.gauge("mlops.serving.live.accuracy", "Accuracy over the ground truth fed back", v::liveAccuracy, "model", m, "version", ver);
            metrics.gauge("mlops.serving.feedback.rows", "Rows with ground truth fed back", v::feedbackRows, "model", m, "version", ver);
            DriftMonitor d = v.drift();
            if (d != null) {
                List<String> names = new ArrayList<>(v.layout().names());
                names.add("prediction");
                for (int i = 0; i < names.size(); i++) {
                    int at = i;
                    String f = names.get(i);
                    metrics.gauge("mlops.serving.drift.state", "Drift state of the last full window: 0 ok, 1 warning, 2 drift",
                            () -> d.states().get(at).ordinal(), "model", m, "version", ver, "feature", f);
                    boolean numeric = i == names.size() - 1 || v.layout().isNumeric(i);
                    for (String stat : numeric ? List.of("jensen_shannon", "wasserstein", "psi", "ks_p_value")
                            : List.of("jensen_shannon", "psi", "chi2_p_value")) {
                        metrics.gauge("mlops.serving.drift.statistic", "Drift statistic of the last full window",
                                () -> statistic(d, f, stat), "model", m, "version", ver, "feature", f, "statistic", stat);
                    }
                }
            }
        }
        if (swap.before() != null) {
            for (ServedVersion old : swap.before().all()) {
                if (!swap.after().all().contains(old)) {
                    for (String g : List.of("mlops.serving.live.rmse", "mlops.serving.live.mae", "mlops.serving.live.accuracy", "mlops.serving.feedback.rows")) {
                        metrics.removeGauges(g, "model", old.name(), "version", old.versionText());
                    }
                }
            }
        }
    }

    private static Double statistic(DriftMonitor d, String feature, String stat) {
        return d.lastCompleted().map(r -> feature.equals("prediction") ? r.prediction() : r.feature(feature).orElse(null))
                .flatMap(f -> f.statistics().stream().filter(s -> s.name().equals(stat)).findFirst()).map(s -> s.value()).orElse(Double.NaN);
    }

    // ---------------------------------------------------------------- requests

    private enum Protocol {
        V2("v2"), MLFLOW("mlflow"), PREDICT("predict"), OTHER("other");
        final String tag;

        Protocol(String tag) {
            this.tag = tag;
        }
    }

    /** Per-request facts for the metrics. */
    private static final class Ctx {
        String model = "none";
        String version = "none";
        int rows;
        Protocol protocol = Protocol.OTHER;
    }

    /**
     * @param request the request
     * @return the response (never throws for a client's input)
     */
    public ServingResponse handle(ServingRequest request) {
        long t0 = System.nanoTime();
        Ctx ctx = new Ctx();
        String path = request.path() == null ? "/" : request.path();
        ctx.protocol = path.startsWith("/v2") ? Protocol.V2 : path.startsWith("/predict/") ? Protocol.PREDICT
                : path.equals("/invocations") || path.equals("/ping") || path.equals("/health") || path.equals("/version") ? Protocol.MLFLOW
                : Protocol.OTHER;
        ServingResponse response;
        try {
            // one spelling per route, checked on the path as sent, before the token decision and the route are taken
            String problem = RequestPaths.problem(request.rawPath());
            if (problem != null) {
                throw RequestException.badRequest("path", Values.shorten(String.valueOf(request.rawPath())) + ": " + problem);
            }
            if ("CONNECT".equals(request.method())) {
                throw RequestException.badRequest("method", "CONNECT asks for a tunnel; this server is not a proxy");
            }
            for (String te : request.headers("Transfer-Encoding")) {
                for (String coding : te.split(",")) {
                    if (!coding.strip().equalsIgnoreCase("chunked")) {
                        throw RequestException.badRequest("Transfer-Encoding", "Transfer-Encoding '" + Values.shorten(te) + "' is not accepted;"
                                + " this server decodes only 'chunked' (send the body uncompressed)");
                    }
                }
            }
            if (token != null && !isHealth(path)) {
                List<String> auths = request.headers("Authorization");
                if (auths.size() > 1) {
                    throw RequestException.badRequest("Authorization", "the request has " + auths.size()
                            + " Authorization headers; send exactly one 'Authorization: Bearer <token>'");
                }
                String auth = auths.isEmpty() ? null : auths.get(0);
                if (auth == null || auth.isBlank()) {
                    throw RequestException.unauthorized("this server requires 'Authorization: Bearer <token>'");
                }
                if (!token.accepts(auth)) {
                    throw RequestException.forbidden("the bearer token is not accepted");
                }
            }
            response = dispatch(request, path, ctx, t0);
        } catch (RequestException e) {
            response = error(ctx, e);
        } catch (RuntimeException e) {
            String ref = Long.toHexString(System.nanoTime());
            LOG.error("internal error answering {} {} (reference {})", request.method(), path, ref, e);
            RequestException wrapped = internal("internal error (reference " + ref + "); the server log has the details");
            response = error(ctx, wrapped);
        }
        metrics.request(ctx.model, ctx.version, ctx.protocol.tag, response.status(), System.nanoTime() - t0, response.status() == 200 ? ctx.rows : 0);
        return response;
    }

    private static RequestException internal(String message) {
        return RequestException.internal(message);
    }

    private static boolean isHealth(String path) {
        return path.equals("/v2/health/live") || path.equals("/v2/health/ready") || path.equals("/ping") || path.equals("/health");
    }

    private ServingResponse error(Ctx ctx, RequestException e) {
        if (e.status() == 400 || e.status() == 413) {
            List<String> columns = List.of();
            if (!ctx.model.equals("none")) {
                ServedVersion v = router.find(ctx.model).map(ModelRouter.Route::primary).orElse(null);
                columns = v == null ? List.of() : v.layout().names();
            }
            metrics.validationFailure(ctx.model, e.field(), columns);
        }
        JsonNode body = ctx.protocol == Protocol.MLFLOW ? MlflowCodec.error(e) : OipCodec.error(e.getMessage());
        Map<String, String> headers = e.status() == 503 ? Map.of("Retry-After", Integer.toString(e.retryAfterSeconds()))
                : e.allow() != null ? Map.of("Allow", e.allow()) : e.status() == 408 ? Map.of("Connection", "close") : Map.of();
        return new ServingResponse(e.status(), ServingResponse.JSON, bytes(body), headers);
    }

    private ServingResponse dispatch(ServingRequest req, String path, Ctx ctx, long t0) {
        String method = req.method();
        String[] p = segments(path);
        switch (ctx.protocol) {
            case MLFLOW -> {
                return mlflow(req, path, method, ctx, t0);
            }
            case PREDICT -> {
                if (p.length != 2) {
                    throw RequestException.notFound("no route " + path + "; POST /predict/{model}");
                }
                requireMethod(method, "POST", path);
                return predictRows(req, p[1], ctx, t0);
            }
            case V2 -> {
                return v2(req, path, p, method, ctx, t0);
            }
            default -> {
                if (path.equals("/metrics")) {
                    requireMethod(method, "GET", path);
                    return new ServingResponse(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
                }
                throw RequestException.notFound("no route " + Values.shorten(path) + "; routes are /v2/..., /invocations, /predict/{model}, /metrics");
            }
        }
    }

    private static String[] segments(String path) {
        String s = path.startsWith("/") ? path.substring(1) : path;
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? new String[0] : s.split("/", -1);
    }

    /** GET routes answer HEAD too (RFC 9110 §9.3.2: the same status and headers, no body; the transport drops the body). */
    private static void requireMethod(String method, String allowed, String path) {
        boolean get = allowed.equals("GET");
        if (!allowed.equals(method) && !(get && "HEAD".equals(method))) {
            throw RequestException.methodNotAllowed(Values.shorten(String.valueOf(method)) + " is not allowed on " + Values.shorten(path)
                    + "; use " + (get ? "GET or HEAD" : allowed), get ? "GET, HEAD" : allowed);
        }
    }

    private ServingResponse v2(ServingRequest req, String path, String[] p, String method, Ctx ctx, long t0) {
        if (p.length == 1) {
            requireMethod(method, "GET", path);
            ObjectNode o = obj();
            o.put("name", "mlops4j");
            o.put("version", RunEnvironment.libraryVersion());
            o.putArray("extensions").add("drift").add("feedback").add("metrics");
            return ok(o);
        }
        if (p[1].equals("health") && p.length == 3) {
            requireMethod(method, "GET", path);
            if (p[2].equals("live")) {
                return ok(obj().put("live", true));
            }
            if (p[2].equals("ready")) {
                boolean ready = router.ready();
                return new ServingResponse(ready ? 200 : 503, ServingResponse.JSON, bytes(obj().put("ready", ready)),
                        ready ? Map.of() : Map.of("Retry-After", "1"));
            }
        }
        if (!p[1].equals("models")) {
            throw RequestException.notFound("no route " + Values.shorten(path));
        }
        if (p.length == 2) {
            requireMethod(method, "GET", path);
            ObjectNode o = obj();
            ArrayNode models = o.putArray("models");
            for (String n : router.names()) {
                ServedVersion v = router.route(n).primary();
                models.addObject().put("name", n).put("version", v == null ? null : v.versionText()).put("ready", v != null);
            }
            return ok(o);
        }
        String name = p[2];
        ctx.model = knownModel(name);
        ModelRouter.Route route = router.route(name);
        int i = 3;
        ServedVersion pinned = null;
        if (p.length >= 5 && p[3].equals("versions")) {
            pinned = pinned(route, p[4]);
            i = 5;
        }
        String action = p.length > i ? p[i] : "";
        if (p.length > i + 1) {
            throw RequestException.notFound("no route " + Values.shorten(path));
        }
        switch (action) {
            case "" -> {
                requireMethod(method, "GET", path);
                ServedVersion v = pinned != null ? pinned : ready(route);
                ctx.version = v.versionText();
                return ok(metadata(route, v));
            }
            case "ready" -> {
                requireMethod(method, "GET", path);
                ServedVersion v = pinned != null ? pinned : route.primary();
                boolean ready = v != null;
                return new ServingResponse(ready ? 200 : 503, ServingResponse.JSON, bytes(obj().put("name", name).put("ready", ready)),
                        ready ? Map.of() : Map.of("Retry-After", "1"));
            }
            case "infer" -> {
                requireMethod(method, "POST", path);
                return infer(req, route, pinned, ctx, t0);
            }
            case "drift", "drift.html" -> {
                requireMethod(method, "GET", path);
                ServedVersion v = pinned != null ? pinned : ready(route);
                ctx.version = v.versionText();
                DriftMonitor d = v.drift();
                if (d == null) {
                    throw RequestException.notFound("drift monitoring is off for this server");
                }
                DriftReport current = d.current();
                DriftReport completed = d.lastCompleted().orElse(null);
                if (action.equals("drift.html")) {
                    return new ServingResponse(200, "text/html; charset=utf-8", DriftJson.toHtml(current, completed).getBytes(StandardCharsets.UTF_8), Map.of());
                }
                ObjectNode o = obj();
                o.put("model", name);
                o.put("version", v.version().version());
                o.put("state", (completed == null ? DriftState.OK : completed.state()).lower());
                o.set("current", DriftJson.toJson(current));
                if (completed == null) {
                    o.putNull("completed");
                } else {
                    o.set("completed", DriftJson.toJson(completed));
                }
                o.put("window_rows", d.config().windowRows());
                return ok(o);
            }
            case "feedback" -> {
                requireMethod(method, "POST", path);
                return feedback(req, route, ctx);
            }
            default -> throw RequestException.notFound("no route " + Values.shorten(path)
                    + "; a model has GET /v2/models/{name}[/versions/{v}][/ready], POST …/infer, GET …/drift, POST …/feedback");
        }
    }

    private String knownModel(String name) {
        if (router.find(name).isEmpty()) {
            throw RequestException.notFound("model '" + Values.shorten(name) + "' is not served; served models are " + router.names());
        }
        return name;
    }

    private static ServedVersion pinned(ModelRouter.Route route, String text) {
        // ASCII digits only: Integer.parseInt also reads '+1', '01', fullwidth '１' and Arabic-Indic '١' as 1
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9') || (text.length() > 1 && text.charAt(0) == '0')) {
            throw RequestException.notFound("version '" + Values.shorten(text) + "' of '" + route.model().name()
                    + "' is not a version number; expected ASCII digits such as 1 or 12");
        }
        int n = Integer.parseInt(text);
        Deployment d = route.deployment();
        ServedVersion v = d == null ? null : d.find(n);
        if (v == null) {
            List<Integer> served = d == null ? List.of() : d.all().stream().map(x -> x.version().version()).toList();
            throw RequestException.notFound("version " + n + " of '" + route.model().name() + "' is not served; served versions are " + served);
        }
        return v;
    }

    private static ServedVersion ready(ModelRouter.Route route) {
        ServedVersion v = route.primary();
        if (v == null) {
            throw RequestException.unavailable("model '" + route.model().name() + "' is not loaded yet"
                    + (route.lastError() == null ? "" : ": " + route.lastError()), 5);
        }
        return v;
    }

    private ObjectNode metadata(ModelRouter.Route route, ServedVersion v) {
        ObjectNode o = obj();
        o.put("name", v.name());
        ArrayNode versions = o.putArray("versions");
        Deployment d = route.deployment();
        for (ServedVersion s : d == null ? List.of(v) : d.all()) {
            versions.add(s.versionText());
        }
        o.put("platform", "mlops4j");
        InputLayout l = v.layout();
        ArrayNode inputs = o.putArray("inputs");
        for (int c = 0; c < l.size(); c++) {
            ObjectNode in = inputs.addObject();
            in.put("name", l.names().get(c));
            in.put("datatype", l.isNumeric(c) ? "FP64" : "BYTES");
            in.putArray("shape").add(-1).add(1);
        }
        ObjectNode out = o.putArray("outputs").addObject();
        out.put("name", v.output());
        out.put("datatype", v.task() == Task.CLASSIFICATION ? "BYTES" : "FP64");
        out.putArray("shape").add(-1).add(1);
        ObjectNode params = o.putObject("parameters");
        params.put("version", v.version().version());
        params.put("task", v.task().name().toLowerCase(Locale.ROOT));
        params.put("reference", route.model().primary().toString());
        if (l.allNumeric()) {
            ObjectNode t = params.putObject("tensor_input");
            t.put("datatype", "FP64");
            t.putArray("shape").add(-1).add(l.size());
            ArrayNode cols = t.putArray("columns");
            l.names().forEach(cols::add);
        }
        if (!v.classes().isEmpty()) {
            ArrayNode classes = params.putArray("classes");
            v.classes().forEach(classes::add);
        }
        return o;
    }

    private static void requireJson(ServingRequest req, boolean csvToo) {
        List<String> encodings = req.headers("Content-Encoding");
        for (String enc : encodings) {
            if (!enc.isBlank() && !enc.strip().equalsIgnoreCase("identity")) {
                throw RequestException.unsupportedMediaType("Content-Encoding '" + Values.shorten(enc) + "' is not accepted; send the body"
                        + " uncompressed (no Content-Encoding, or identity)");
            }
        }
        List<String> types = req.headers("Content-Type");
        if (types.size() > 1) {
            throw RequestException.badRequest("Content-Type", "the request has " + types.size() + " Content-Type headers; send exactly one");
        }
        String ct = types.isEmpty() ? null : types.get(0);
        if (ct == null || ct.isBlank()) {
            return; // curl without -H: read as JSON
        }
        String[] parts = ct.split(";");
        String base = parts[0].strip().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip().toLowerCase(Locale.ROOT);
            if (param.startsWith("charset=")) {
                String cs = param.substring(8).replace("\"", "").strip();
                if (!cs.equals("utf-8") && !cs.equals("utf8") && !(cs.equals("us-ascii") || cs.equals("ascii"))) {
                    throw RequestException.unsupportedMediaType("Content-Type '" + Values.shorten(ct) + "': charset '" + Values.shorten(cs)
                            + "' is not accepted; bodies are UTF-8");
                }
            }
        }
        if (base.equals("application/json") || base.endsWith("+json") || (csvToo && base.equals(CSV))) {
            return;
        }
        throw RequestException.unsupportedMediaType("Content-Type '" + Values.shorten(ct) + "' is not accepted; send application/json"
                + (csvToo ? " or text/csv" : ""));
    }

    private static boolean isCsv(ServingRequest req) {
        String ct = req.header("Content-Type");
        return ct != null && ct.split(";", 2)[0].strip().equalsIgnoreCase(CSV);
    }

    private ServingResponse infer(ServingRequest req, ModelRouter.Route route, ServedVersion pinned, Ctx ctx, long t0) {
        ServedVersion v = pinned != null ? pinned : route.pick();
        if (v == null) {
            ready(route);
        }
        ctx.version = v.versionText();
        requireJson(req, false);
        byte[] raw = req.body(limits.maxBodyBytes());
        OipCodec.Decoded[] decoded = new OipCodec.Decoded[1];
        Predicted p = predict(v, () -> {
            OipCodec.Decoded dd = OipCodec.decode(json.read(raw), v.layout(), limits);
            for (String out : dd.outputs()) {
                if (!out.equals(v.output())) {
                    throw RequestException.badRequest("outputs", "output '" + Values.shorten(out) + "' is not an output of the model; its output is '" + v.output() + "'");
                }
            }
            decoded[0] = dd;
            return dd.batch();
        }, ctx, t0);
        OipCodec.Decoded d = decoded[0];
        Scorer.Scores s = p.scores();
        String id = d.id() != null ? d.id() : newId();
        after(route, v, d.batch(), s, id, ctx, t0);
        ObjectNode r = OipCodec.response(v.name(), v.versionText(), id, v.output(), s.values(), s.labels());
        return new ServingResponse(200, ServingResponse.JSON, bytes(r), Map.of("X-Prediction-Id", id));
    }

    private ServingResponse predictRows(ServingRequest req, String name, Ctx ctx, long t0) {
        ctx.model = knownModel(name);
        ModelRouter.Route route = router.route(name);
        ServedVersion v = route.pick();
        if (v == null) {
            ready(route);
        }
        ctx.version = v.versionText();
        requireJson(req, false);
        byte[] raw = req.body(limits.maxBodyBytes());
        Predicted p = predict(v, () -> RowsCodec.decode(json.read(raw), v.layout(), limits), ctx, t0);
        Batch b = p.batch();
        Scorer.Scores s = p.scores();
        String id = newId();
        after(route, v, b, s, id, ctx, t0);
        return new ServingResponse(200, ServingResponse.JSON, bytes(RowsCodec.response(v.name(), v.version().version(), id, s.values(), s.labels())),
                Map.of("X-Prediction-Id", id));
    }

    private ServingResponse mlflow(ServingRequest req, String path, String method, Ctx ctx, long t0) {
        switch (path) {
            case "/ping", "/health" -> {
                requireMethod(method, "GET", path);
                if (!router.ready()) {
                    throw RequestException.unavailable("not every model is loaded yet", 1);
                }
                return new ServingResponse(200, "text/plain; charset=utf-8", "\n".getBytes(StandardCharsets.UTF_8), Map.of());
            }
            case "/version" -> {
                requireMethod(method, "GET", path);
                return new ServingResponse(200, "text/plain; charset=utf-8", ("mlops4j " + RunEnvironment.libraryVersion()).getBytes(StandardCharsets.UTF_8), Map.of());
            }
            default -> {
                requireMethod(method, "POST", path);
                String name = router.names().get(0);
                ctx.model = name;
                ModelRouter.Route route = router.route(name);
                ServedVersion v = route.pick();
                if (v == null) {
                    ready(route);
                }
                ctx.version = v.versionText();
                requireJson(req, true);
                byte[] body = req.body(limits.maxBodyBytes());
                boolean csv = isCsv(req);
                Predicted p = predict(v, () -> csv ? MlflowCodec.decodeCsv(body, v.layout(), limits)
                        : MlflowCodec.decodeJson(json.read(body), v.layout(), limits), ctx, t0);
                Batch b = p.batch();
                Scorer.Scores s = p.scores();
                String id = newId();
                after(route, v, b, s, id, ctx, t0);
                return new ServingResponse(200, ServingResponse.JSON, bytes(MlflowCodec.response(s.values(), s.labels())), Map.of("X-Prediction-Id", id));
            }
        }
    }

    private String newId() {
        return idPrefix + "-" + Long.toHexString(ids.incrementAndGet());
    }

    private record Predicted(Batch batch, Scorer.Scores scores) {
    }

    /**
     * Admission (bounded concurrency, bounded queue) and the deadline, then decoding and the scorer in chunks. The body
     * is parsed and decoded inside the admission too: a JSON tree costs many times its body in heap (a 4 MiB body of
     * {@code [0,0,…]} is two million nodes), so at most {@code maxConcurrent} trees exist at once, however many
     * threads the HTTP server has.
     */
    private Predicted predict(ServedVersion v, java.util.function.Supplier<Batch> decode, Ctx ctx, long t0) {
        long deadline = t0 + limits.timeout().toNanos();
        if (!permits.tryAcquire()) {
            if (waiting.incrementAndGet() > limits.maxQueued()) {
                waiting.decrementAndGet();
                throw RequestException.unavailable("the server is overloaded: " + maxConcurrent + " requests are predicting and "
                        + limits.maxQueued() + " waiting; retry shortly", 1);
            }
            try {
                if (!permits.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw RequestException.timeout("the request waited longer than its timeout of " + limits.timeout().toMillis() + " ms for a worker");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RequestException.unavailable("the server is stopping", 1);
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            Batch batch = decode.get();
            ctx.rows = batch.rows();
            return new Predicted(batch, score(v, batch, deadline));
        } finally {
            permits.release();
        }
    }

    private Scorer.Scores score(ServedVersion v, Batch batch, long deadline) {
        if (batch.rows() <= CHUNK) {
            Scorer.Scores s = v.scorer().score(batch);
            if (System.nanoTime() > deadline) {
                throw RequestException.timeout("the prediction took longer than the timeout of " + limits.timeout().toMillis() + " ms");
            }
            return s;
        }
        int n = batch.rows();
        int c = batch.layout().size();
        double[] values = new double[n];
        String[] labels = null;
        for (int from = 0; from < n; from += CHUNK) {
            if (System.nanoTime() > deadline) {
                throw RequestException.timeout("the prediction of " + org.mlops4j.core.internal.Names.count(n, "row") + " took longer than the timeout of "
                        + limits.timeout().toMillis() + " ms (" + from + " rows done); send fewer rows per request");
            }
            int to = Math.min(n, from + CHUNK);
            Batch part = new Batch(batch.layout(), to - from, Arrays.copyOfRange(batch.values(), from * c, to * c),
                    batch.categories() == null ? null : Arrays.copyOfRange(batch.categories(), from * c, to * c));
            Scorer.Scores s = v.scorer().score(part);
            System.arraycopy(s.values(), 0, values, from, to - from);
            if (s.labels() != null) {
                labels = labels == null ? new String[n] : labels;
                System.arraycopy(s.labels(), 0, labels, from, to - from);
            }
        }
        return new Scorer.Scores(values, labels);
    }

    /** After a prediction: drift, metrics, shadow, feedback, the sampled log. */
    private void after(ModelRouter.Route route, ServedVersion v, Batch b, Scorer.Scores s, String id, Ctx ctx, long t0) {
        if (driftOn && v.drift() != null) {
            v.drift().record(b, s.values());
        }
        metrics.predictions(v.name(), v.versionText(), s.values());
        Deployment d = route.deployment();
        if (d != null && d.shadow() != null && d.shadow() != v) {
            shadow(d.shadow(), v, b, s);
        }
        if (feedback.enabled()) {
            feedback.keep(v.name() + '\0' + id, new FeedbackBuffer.Kept(v, s.values(), s.labels()));
        }
        if (log.sample()) {
            List<Map<String, Object>> rows = new ArrayList<>(b.rows());
            InputLayout l = b.layout();
            for (int r = 0; r < b.rows(); r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 0; c < l.size(); c++) {
                    Object val = l.isNumeric(c) ? (Object) b.value(r, c) : b.category(r, c);
                    row.put(l.names().get(c), val instanceof Double dd && dd.isNaN() ? null : val);
                }
                rows.add(row);
            }
            List<Object> outs = new ArrayList<>();
            for (int i = 0; i < s.values().length; i++) {
                outs.add(s.labels() != null ? s.labels()[i] : s.values()[i]);
            }
            log.record(new PredictionLog.Entry(System.currentTimeMillis(), id, v.name(), v.version().version(), ctx.protocol.tag, rows, outs,
                    (System.nanoTime() - t0) / 1000));
        }
    }

    private void shadow(ServedVersion shadow, ServedVersion primary, Batch b, Scorer.Scores primaryScores) {
        try {
            shadowPool.execute(() -> {
                try {
                    Scorer.Scores s = shadow.scorer().score(b);
                    DistributionSummary diff = DistributionSummary.builder("mlops.serving.shadow.difference")
                            .description("Absolute difference between the shadow's and the primary's predictions")
                            .tags("model", primary.name(), "version", primary.versionText(), "shadow_version", shadow.versionText())
                            .register(metrics.registry());
                    int disagree = 0;
                    for (int i = 0; i < s.values().length; i++) {
                        diff.record(Math.abs(s.values()[i] - primaryScores.values()[i]));
                        if (s.labels() != null && primaryScores.labels() != null && !s.labels()[i].equals(primaryScores.labels()[i])) {
                            disagree++;
                        }
                    }
                    Counter.builder("mlops.serving.shadow.rows").tags("model", primary.name(), "shadow_version", shadow.versionText())
                            .register(metrics.registry()).increment(s.values().length);
                    if (disagree > 0) {
                        Counter.builder("mlops.serving.shadow.disagreements").tags("model", primary.name(), "shadow_version", shadow.versionText())
                                .register(metrics.registry()).increment(disagree);
                    }
                    LOG.debug("shadow {}/{}: {} rows, first {} vs primary {}", shadow.name(), shadow.versionText(), s.values().length,
                            s.values().length == 0 ? null : s.values()[0], primaryScores.values().length == 0 ? null : primaryScores.values()[0]);
                } catch (RuntimeException e) {
                    Counter.builder("mlops.serving.shadow.failures").tags("model", primary.name(), "shadow_version", shadow.versionText())
                            .register(metrics.registry()).increment();
                    LOG.debug("shadow {}/{} failed: {}", shadow.name(), shadow.versionText(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException full) {
            Counter.builder("mlops.serving.shadow.dropped").tags("model", primary.name()).register(metrics.registry()).increment();
        }
    }

    private ServingResponse feedback(ServingRequest req, ModelRouter.Route route, Ctx ctx) {
        requireJson(req, false);
        JsonNode body = json.read(req.body(limits.maxBodyBytes()));
        if (!body.isObject()) {
            throw RequestException.badRequest("body", "feedback is {\"id\": \"<prediction id>\", \"truth\": [values]}");
        }
        JsonNode idNode = body.get("id");
        JsonNode truth = body.get("truth");
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("id") && !k.equals("truth")) {
                throw RequestException.badRequest(Values.shorten(k), "unknown field '" + Values.shorten(k) + "' in feedback; expected id and truth");
            }
        }
        if (idNode == null || !idNode.isTextual()) {
            throw RequestException.badRequest("id", "feedback needs \"id\": the prediction id (the X-Prediction-Id header or the response's id)");
        }
        if (truth == null || truth.isNull()) {
            throw RequestException.badRequest("truth", "feedback needs \"truth\": the true value of each predicted row");
        }
        FeedbackBuffer.Kept kept = feedback.take(route.model().name() + '\0' + idNode.textValue());
        if (kept == null) {
            throw RequestException.notFound("no prediction with id '" + Values.shorten(idNode.textValue()) + "' is kept for '" + route.model().name()
                    + "' (unknown, already fed back, or older than the last predictions kept)");
        }
        ServedVersion v = kept.version();
        ctx.version = v.versionText();
        int n = kept.values().length;
        double[] t = null;
        String[] tl = null;
        try {
            JsonNode arr = truth.isArray() ? truth : JsonNodeFactory.instance.arrayNode().add(truth);
            if (arr.size() != n) {
                throw RequestException.badRequest("truth", "\"truth\" has " + org.mlops4j.core.internal.Names.count(arr.size(), "value") + " but the prediction had " + org.mlops4j.core.internal.Names.count(n, "row"));
            }
            if (v.task() == Task.CLASSIFICATION) {
                tl = new String[n];
                for (int i = 0; i < n; i++) {
                    JsonNode x = arr.get(i);
                    if (!x.isTextual() && !x.isNumber()) {
                        throw RequestException.badRequest("truth", "truth[" + i + "] is " + (x.isNull() ? "null" : x.getNodeType().toString().toLowerCase(Locale.ROOT))
                                + "; expected a class");
                    }
                    tl[i] = truthClass(x, v.classes(), i);
                }
            } else {
                t = new double[n];
                for (int i = 0; i < n; i++) {
                    JsonNode x = arr.get(i);
                    if (!x.isNumber() || !Double.isFinite(x.doubleValue())) {
                        throw RequestException.badRequest("truth", "truth[" + i + "] is not a finite number");
                    }
                    t[i] = x.doubleValue();
                }
            }
        } catch (RequestException refused) {
            // a refused feedback changes nothing: the prediction stays kept for a corrected one
            feedback.keep(route.model().name() + '\0' + idNode.textValue(), kept);
            throw refused;
        }
        v.feedback(kept.values(), kept.labels(), t, tl);
        ObjectNode o = obj();
        o.put("id", idNode.textValue());
        o.put("model", v.name());
        o.put("version", v.version().version());
        o.put("rows", n);
        o.put("feedback_rows", v.feedbackRows());
        double live = v.task() == Task.CLASSIFICATION ? v.liveAccuracy() : v.liveRmse();
        o.put(v.task() == Task.CLASSIFICATION ? "live_accuracy" : "live_rmse", live);
        return ok(o);
    }

    /**
     * A class given as ground truth, as the model names it: a label that is no class of the model would count as
     * a wrong prediction forever, so it is refused; a number is taken by its digits ({@code 3} or {@code 3.0} for
     * class "3").
     */
    private static String truthClass(JsonNode x, List<String> classes, int i) {
        String label = x.asText();
        if (x.isNumber() && !classes.contains(label)) {
            java.math.BigDecimal d = x.isIntegralNumber() || Double.isFinite(x.doubleValue()) ? x.decimalValue() : null;
            if (d != null && d.signum() == 0) {
                label = "0";
            } else if (d != null && d.stripTrailingZeros().scale() <= 0) {
                label = d.toBigIntegerExact().toString();
            }
        }
        if (!classes.isEmpty() && !classes.contains(label)) {
            String closest = org.mlops4j.core.internal.Names.closest(label, classes);
            throw RequestException.badRequest("truth", "truth[" + i + "] '" + Values.shorten(x.asText()) + "' is not a class of the model"
                    + (closest == null ? "" : "; did you mean '" + closest + "'?") + " Classes are " + Values.shorten(classes.toString()));
        }
        return label;
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private ServingResponse ok(JsonNode body) {
        return new ServingResponse(200, ServingResponse.JSON, bytes(body), Map.of());
    }

    private byte[] bytes(JsonNode node) {
        try {
            return writer.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        shadowPool.shutdownNow();
        log.close();
    }

    /** Builds a {@link ServingCore}; single use. */
    public static final class Builder {
        private final ModelRegistry registry;
        private final List<ServedModel> models = new ArrayList<>();
        private Limits limits = Limits.defaults();
        private String token;
        private ServingMetrics metrics;
        private PredictionLog log;
        private DriftConfig drift = DriftConfig.defaults();
        private final List<DriftListener> driftListeners = new ArrayList<>();
        private int feedbackCapacity = 100_000;
        private int maxConcurrent;
        private Clock clock = Clock.systemUTC();
        private int warmRows = 2_000;
        private Duration followInterval = Duration.ofSeconds(2);
        private VersionLoader loader;
        private boolean requireLoaded = true;

        private Builder(ModelRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**

         * @param ref {@code name@alias}, {@code name/N} or {@code name} (also {@code models:/…})

         * @return this

         */
        public Builder model(String ref) {
            return model(ServedModel.of(ref));
        }

        /**

         * @param model a model with its canary or shadow

         * @return this

         */
        public Builder model(ServedModel model) {
            models.add(Objects.requireNonNull(model, "model"));
            return this;
        }

        /**

         * @param limits request limits

         * @return this

         */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param token the bearer token every route but the health routes requires; null for none
         * @return this
         * @throws IllegalArgumentException for an empty, blank or shorter than 8 characters token, as the tracking server
         */
        public Builder token(String token) {
            if (token != null && (token.isBlank() || token.strip().length() < 8)) {
                throw new IllegalArgumentException("token must be at least 8 characters (it guards the server) but has " + token.strip().length());
            }
            this.token = token == null ? null : token.strip();
            return this;
        }

        /**

         * @param metrics meters (default: a new Prometheus registry)

         * @return this

         */
        public Builder metrics(ServingMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**

         * @param log where sampled predictions go (default: nowhere)

         * @return this

         */
        public Builder predictionLog(PredictionLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**

         * @param config drift settings, or null to switch drift monitoring off

         * @return this

         */
        public Builder drift(DriftConfig config) {
            this.drift = config;
            return this;
        }

        /**

         * @param l told of drift state changes

         * @return this

         */
        public Builder onDrift(DriftListener l) {
            driftListeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /**

         * @param n predictions kept for feedback by id (0: no feedback)

         * @return this

         */
        public Builder feedbackCapacity(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("feedback capacity must be >= 0 but was " + n);
            }
            this.feedbackCapacity = n;
            return this;
        }

        /**

         * @param n predictions running at once (default: twice the processors)

         * @return this

         */
        public Builder maxConcurrent(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrent must be >= 1 but was " + n);
            }
            this.maxConcurrent = n;
            return this;
        }

        /**

         * @param clock drift windows' times

         * @return this

         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**

         * @param rows single-row predictions while warming a version (default 2,000)

         * @return this

         */
        public Builder warmRows(int rows) {
            if (rows < 0) {
                throw new IllegalArgumentException("warm rows must be >= 0 but was " + rows);
            }
            this.warmRows = rows;
            return this;
        }

        /**

         * @param interval how often aliases are checked (default 2 s), or null to follow only on {@code router().refresh()}

         * @return this

         */
        public Builder follow(Duration interval) {
            this.followInterval = interval;
            return this;
        }

        /**

         * @param loader loads, verifies and warms versions (default: from the registry)

         * @return this

         */
        public Builder loader(VersionLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**

         * @param require whether {@link #build()} fails when a model cannot be loaded (default true)

         * @return this

         */
        public Builder requireLoaded(boolean require) {
            this.requireLoaded = require;
            return this;
        }

        /**
         * @return the core, with every model loaded
         * @throws IllegalStateException naming the model and why, when one cannot be loaded (and {@code requireLoaded})
         */
        public ServingCore build() {
            if (models.isEmpty()) {
                throw new IllegalStateException("serve at least one model: call model(\"name@alias\")");
            }
            return new ServingCore(this);
        }
    }
}
