package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An {@link Exchange} that is answered at most once, whoever answers first: the endpoint, or the
 * {@link MlflowHandler}'s timer when the request's budget ends ({@link #cutOff}: it answers and interrupts
 * the thread doing the work, and later answers are dropped), or a stopping server. Every route runs behind
 * one, so a new route gets budgets without code of its own. Thread-safe.
 */
final class GuardedExchange implements Exchange {
    private final Exchange x;
    private Thread worker;
    private boolean answered;
    private boolean finished;
    private boolean interrupted;
    private boolean streaming;

    GuardedExchange(Exchange x) {
        this.x = x;
    }

    /** Marks the calling thread as the one doing this request's work (so {@link #cutOff} can interrupt it). */
    synchronized void startWork() {
        worker = Thread.currentThread();
    }

    /**
     * The work is over: a later {@link #cutOff} interrupts nothing, and an interrupt it delivered is cleared
     * so the server's thread goes back to its pool clean.
     */
    synchronized void finishWork() {
        finished = true;
        if (interrupted && worker == Thread.currentThread()) {
            Thread.interrupted();
        }
    }

    /**
     * Answers with an error unless the request was answered already, then interrupts the work.
     *
     * @param status HTTP status
     * @param code   MLflow error code
     * @param message what happened
     * @return whether this call answered
     */
    synchronized boolean cutOff(int status, String code, String message) {
        boolean answeredNow = false;
        if (!answered) {
            answered = true;
            answeredNow = true;
            x.setHeader("Connection", "close");
            x.json(status, ApiError.json(code, message));
        }
        if (worker != null && !finished && !interrupted) {
            interrupted = true;
            worker.interrupt();
        }
        return answeredNow;
    }

    /** @return whether an answer has begun */
    synchronized boolean answered() {
        return answered;
    }

    private synchronized boolean claim() {
        if (answered) {
            return false;
        }
        answered = true;
        return true;
    }

    @Override
    public String method() {
        return x.method();
    }

    @Override
    public String path() {
        return x.path();
    }

    @Override
    public String rawPath() {
        return x.rawPath();
    }

    @Override
    public String header(String name) {
        return x.header(name);
    }

    @Override
    public List<String> headers(String name) {
        return x.headers(name);
    }

    @Override
    public String remoteAddress() {
        return x.remoteAddress();
    }

    @Override
    public ObjectNode query() {
        return x.query();
    }

    @Override
    public byte[] body() throws IOException {
        return x.body();
    }

    @Override
    public InputStream upload() throws IOException {
        return x.upload();
    }

    @Override
    public void text(int status, String text) {
        if (claim()) {
            x.text(status, text);
        }
    }

    @Override
    public void json(int status, JsonNode json) {
        if (claim()) {
            x.json(status, json);
        }
    }

    @Override
    public void stream(InputStream content) throws IOException {
        boolean mine;
        synchronized (this) {
            mine = !answered;
            answered = true;
            streaming = mine;
        }
        if (mine) {
            x.stream(content); // outside the lock: a cut-off meanwhile only interrupts, the answer has begun
        }
    }

    @Override
    public synchronized void setHeader(String name, String value) {
        if (!answered) {
            x.setHeader(name, value);
        }
    }

    @Override
    public void abort(IOException failure) {
        synchronized (this) {
            if (answered && !streaming) {
                return; // answered already (an error, or the cut-off's 504): the exchange is complete
            }
            answered = true;
            streaming = false;
        }
        x.abort(failure); // no answer, or a download that failed half-way
    }
}
