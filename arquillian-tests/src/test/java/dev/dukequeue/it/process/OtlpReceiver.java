package dev.dukequeue.it.process;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OTLP/HTTP trace receiver ({@code POST /v1/traces}, {@code application/x-protobuf}), started by a test: what a
 * collector would receive from the server's OpenTelemetry exporter, decoded here by hand from the protobuf wire format
 * (opentelemetry-proto's trace.proto field numbers), with no OpenTelemetry code of the test's own on either side.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One span as exported: ids in lower-case hex, attributes as strings (ints written in decimal). */
    public record ExportedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
            Map<String, String> attributes, int statusCode, String serviceName) {
    }

    private final HttpServer server;
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free port of the loopback interface. */
    public static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                receiver.decode(in.readAllBytes());
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, 0); // an empty ExportTraceServiceResponse: all accepted
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
        return receiver;
    }

    /** @return the endpoint to give the exporter ({@code otel.exporter.otlp.endpoint}) */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return every span received so far */
    public List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ExportTraceServiceRequest { 1: repeated ResourceSpans }
    // ResourceSpans { 1: Resource { 1: repeated KeyValue }, 2: repeated ScopeSpans { 2: repeated Span } }
    // Span { 1: trace_id, 2: span_id, 4: parent_span_id, 5: name, 6: kind, 9: repeated KeyValue, 15: Status { 3: code } }
    // KeyValue { 1: key, 2: AnyValue { 1: string, 2: bool, 3: int64, 4: double } }
    private void decode(byte[] request) {
        for (byte[] resourceSpans : bytes(fields(request), 1)) {
            Map<Integer, List<Object>> rs = fields(resourceSpans);
            String service = null;
            for (byte[] resource : bytes(rs, 1)) {
                service = attributes(fields(resource), 1).get("service.name");
            }
            for (byte[] scopeSpans : bytes(rs, 2)) {
                for (byte[] span : bytes(fields(scopeSpans), 2)) {
                    Map<Integer, List<Object>> s = fields(span);
                    int status = 0;
                    for (byte[] st : bytes(s, 15)) {
                        status = (int) varint(fields(st), 3);
                    }
                    spans.add(new ExportedSpan(hex(s, 1), hex(s, 2), hex(s, 4), text(s, 5), (int) varint(s, 6),
                            attributes(s, 9), status, service));
                }
            }
        }
    }

    private static Map<String, String> attributes(Map<Integer, List<Object>> message, int field) {
        Map<String, String> out = new HashMap<>();
        for (byte[] kv : bytes(message, field)) {
            Map<Integer, List<Object>> f = fields(kv);
            String key = text(f, 1);
            for (byte[] any : bytes(f, 2)) {
                Map<Integer, List<Object>> v = fields(any);
                if (v.containsKey(1)) {
                    out.put(key, text(v, 1));
                } else if (v.containsKey(3)) {
                    out.put(key, Long.toString(varint(v, 3)));
                } else if (v.containsKey(2)) {
                    out.put(key, Boolean.toString(varint(v, 2) != 0));
                }
            }
        }
        return out;
    }

    private static List<byte[]> bytes(Map<Integer, List<Object>> message, int field) {
        List<byte[]> out = new ArrayList<>();
        for (Object o : message.getOrDefault(field, List.of())) {
            if (o instanceof byte[] b) {
                out.add(b);
            }
        }
        return out;
    }

    private static String text(Map<Integer, List<Object>> message, int field) {
        List<byte[]> b = bytes(message, field);
        return b.isEmpty() ? null : new String(b.get(0), StandardCharsets.UTF_8);
    }

    private static String hex(Map<Integer, List<Object>> message, int field) {
        List<byte[]> b = bytes(message, field);
        return b.isEmpty() || b.get(0).length == 0 ? null : HexFormat.of().formatHex(b.get(0));
    }

    private static long varint(Map<Integer, List<Object>> message, int field) {
        for (Object o : message.getOrDefault(field, List.of())) {
            if (o instanceof Long l) {
                return l;
            }
        }
        return 0;
    }

    /** The protobuf wire format, one level: field number to values (Long for varints and fixed, byte[] otherwise). */
    static Map<Integer, List<Object>> fields(byte[] data) {
        Map<Integer, List<Object>> out = new HashMap<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long tag = readVarint(data, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            Object value;
            switch (wire) {
                case 0 -> value = readVarint(data, pos);
                case 1 -> {
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        v |= (data[pos[0] + i] & 0xffL) << (8 * i);
                    }
                    pos[0] += 8;
                    value = v;
                }
                case 2 -> {
                    int len = (int) readVarint(data, pos);
                    byte[] b = java.util.Arrays.copyOfRange(data, pos[0], pos[0] + len);
                    pos[0] += len;
                    value = b;
                }
                case 5 -> {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v |= (data[pos[0] + i] & 0xffL) << (8 * i);
                    }
                    pos[0] += 4;
                    value = v;
                }
                default -> throw new IllegalArgumentException("wire type " + wire + " at " + pos[0]);
            }
            out.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static long readVarint(byte[] data, int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = data[pos[0]++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
