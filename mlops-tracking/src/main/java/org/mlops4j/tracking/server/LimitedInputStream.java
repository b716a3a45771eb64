package org.mlops4j.tracking.server;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most a limit; past it, fails with {@link TooLarge}. Closing it leaves the underlying stream to
 * its owner (the HTTP server).
 */
final class LimitedInputStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private final String what;
    private long read;

    /**
     * @param in    the stream
     * @param limit most bytes
     * @param what  what is read, for the message ("the artifact")
     */
    LimitedInputStream(InputStream in, long limit, String what) {
        this.in = in;
        this.limit = limit;
        this.what = what;
    }

    /** Thrown when a body exceeds its limit; the server answers 413. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what is too large, naming the limit
         */
        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * @param declared the declared length of a body, or -1
     * @param limit    its limit
     * @param what     what it is
     * @throws TooLarge when the declared length exceeds the limit
     */
    static void checkDeclared(long declared, long limit, String what) throws TooLarge {
        if (declared > limit) {
            throw new TooLarge(what + " of " + declared + " bytes is larger than the limit of " + limit + " bytes");
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        read += n;
        if (read > limit) {
            throw new TooLarge(what + " is larger than the limit of " + limit + " bytes");
        }
    }
}
