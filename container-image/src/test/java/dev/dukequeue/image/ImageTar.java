package dev.dukequeue.image;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads the image tar Jib wrote (the format {@code docker load} takes: {@code manifest.json}, the config, the layers as
 * gzipped tars) with nothing but the JDK: a minimal ustar reader, so the test trusts no image library of Jib's.
 */
final class ImageTar {

    /** One file of a layer. */
    record Entry(String path, int mode, long size, char type, String linkTarget, byte[] content) {
    }

    final JsonObject config;
    /** Every layer's entries, later layers over earlier ones, by path without the leading slash. */
    final Map<String, Entry> files = new LinkedHashMap<>();

    ImageTar(Path tar) throws IOException {
        Map<String, byte[]> top = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            read(in, e -> top.put(e.path(), e.content()));
        }
        JsonArray manifest = Json.createReader(new ByteArrayInputStream(top.get("manifest.json"))).readArray();
        JsonObject image = manifest.getJsonObject(0);
        config = Json.createReader(new ByteArrayInputStream(top.get(image.getString("Config")))).readObject();
        for (var layer : image.getJsonArray("Layers")) {
            byte[] gz = top.get(((jakarta.json.JsonString) layer).getString());
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                read(in, e -> files.put(e.path(), e));
            }
        }
    }

    /** @return the container's configuration ({@code User}, {@code Entrypoint}, {@code ExposedPorts}...) */
    JsonObject containerConfig() {
        return config.getJsonObject("config");
    }

    /** Writes every file and directory into {@code root}, with its mode (links as symbolic links). */
    void extract(Path root) throws IOException {
        for (Entry e : files.values()) {
            Path p = root.resolve(e.path());
            if (e.type() == '5') {
                Files.createDirectories(p);
            } else if (e.type() == '2') {
                Files.createDirectories(p.getParent());
                Files.deleteIfExists(p);
                Files.createSymbolicLink(p, Path.of(e.linkTarget()));
                continue;
            } else {
                Files.createDirectories(p.getParent());
                Files.copy(new ByteArrayInputStream(e.content()), p, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(p, permissions(e.mode()));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, bit 8 .. bit 0
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }

    private interface Sink {
        void accept(Entry e) throws IOException;
    }

    private static void read(InputStream in, Sink sink) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        while (in.readNBytes(header, 0, 512) == 512) {
            if (header[0] == 0) {
                return; // the two zero blocks at the end
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            int mode = (int) octal(header, 100, 8);
            long size = octal(header, 124, 12);
            char type = header[156] == 0 ? '0' : (char) header[156];
            String link = text(header, 157, 100);
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (type == 'L') { // GNU long name: the next entry's
                longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type == 'x' || type == 'g') {
                continue; // PAX headers: nothing this test needs
            }
            name = name.replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
            sink.accept(new Entry(name, mode, size, type, link, content));
        }
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        String s = text(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
