package org.mlops4j.serving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Raw HTTP/1.1 over a socket, for requests an HTTP client library will not send (bad methods, trickled bytes, bad framing). */
final class Raw {
    private Raw() {
    }

    record Res(int status, Map<String, String> headers, String body, String raw) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Res send(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException reset) {
                // the server may answer and close before reading everything: read what it said
            }
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Res send(int port, String request) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one response (headers and a Content-Length body, or up to end of stream). */
    static Res read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while (state < 4 && (b = in.read()) >= 0) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : b == '\r' ? 1 : 0;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        if (h.isEmpty()) {
            return new Res(-1, Map.of(), "", "");
        }
        String[] lines = h.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String len = headers.get("content-length");
        try {
            if (len != null) {
                long n = Long.parseLong(len);
                byte[] buf = new byte[8192];
                while (body.size() < n && (b = in.read(buf, 0, (int) Math.min(buf.length, n - body.size()))) >= 0) {
                    body.write(buf, 0, b);
                }
            } else {
                in.transferTo(body);
            }
        } catch (IOException reset) {
            // keep what arrived
        }
        String text = body.toString(StandardCharsets.UTF_8);
        return new Res(status, headers, text, h + text);
    }
}
