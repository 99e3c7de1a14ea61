package org.flowmatch4j.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic file writes: the content goes to a temporary file in the target's directory
 * ({@code .<name>.<random>.tmp}), which is flushed to disk ({@code fsync}) and then renamed over the target
 * with {@link StandardCopyOption#ATOMIC_MOVE}; the directory is fsynced so the rename itself survives a power
 * loss. A reader therefore sees either the old file or the complete new one, never a prefix, whatever
 * happens (exception, SIGKILL, power loss); on an exception the temporary file is deleted. A SIGKILL can
 * leave a stale temporary file behind (never under the final name); {@link #deleteStaleTempFiles} removes
 * them.
 *
 * <p>Directories of several files cannot be replaced in one atomic step portably, so
 * {@link #writeDirectory} writes each file atomically and a {@value #MANIFEST} (names, sizes, SHA-256) last,
 * after deleting the old manifest first: a directory whose manifest is missing or disagrees with its files
 * was not completely written, and {@link #verifyDirectory} says so.
 */
public final class AtomicFiles {
    /** The name of the manifest {@link #writeDirectory} writes last. */
    public static final String MANIFEST = "MANIFEST.json";
    static final String MANIFEST_FORMAT = "flowmatch4j-directory";
    static final long MANIFEST_VERSION = 1;
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Produces a file's content into a stream (which it must not close). */
    @FunctionalInterface
    public interface ContentWriter {
        /** Writes the whole content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically with the content {@code content} produces. */
    public static void write(Path target, ContentWriter content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new IllegalArgumentException("AtomicFiles.write: " + target + " has no parent directory");
        }
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException("AtomicFiles.write: " + target + " is a directory");
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new NonClosing(Channels.newOutputStream(ch)), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("AtomicFiles.write: the file system of " + dir + " cannot rename atomically, so " + target
                        + " cannot be written safely", e);
            }
            fsyncDirectory(dir);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code file} is one of this class's temporary files. */
    public static boolean isTempFile(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(TEMP_SUFFIX);
    }

    /**
     * Deletes temporary files left in {@code dir} by killed writers of targets whose name starts with
     * {@code targetPrefix}; returns how many. Only call it when no other process is writing those targets.
     */
    public static int deleteStaleTempFiles(Path dir, String targetPrefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + escapeGlob(targetPrefix) + "*" + TEMP_SUFFIX)) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static String escapeGlob(String s) {
        return s.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel dc = FileChannel.open(dir, StandardOpenOption.READ)) {
            dc.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; its rename is already durable once it returns
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
        }
    }

    // ------------------------------------------------------------------ directories

    /**
     * Writes a directory of files: each file atomically, in the given order, then {@value #MANIFEST} listing
     * every file's size and SHA-256. The old manifest is deleted first, so an interrupted rewrite is
     * recognisable. Other files already in the directory are left alone (and not listed).
     *
     * @param files file name (no path separators, not the manifest, not hidden) → content
     */
    public static void writeDirectory(Path dir, Map<String, ContentWriter> files) throws IOException {
        for (String name : files.keySet()) {
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".") || name.equals(MANIFEST)) {
                throw new IllegalArgumentException("AtomicFiles.writeDirectory: invalid file name \"" + name
                        + "\" (must be a plain, non-hidden name other than " + MANIFEST + ")");
            }
        }
        Files.createDirectories(dir);
        if (Files.deleteIfExists(dir.resolve(MANIFEST))) {
            fsyncDirectory(dir.toAbsolutePath());
        }
        Map<String, Object> listing = new LinkedHashMap<>();
        for (Map.Entry<String, ContentWriter> e : files.entrySet()) {
            MessageDigest md = sha256();
            long[] size = new long[1];
            write(dir.resolve(e.getKey()), out -> {
                CountingStream counting = new CountingStream(new DigestOutputStream(new NonClosing(out), md));
                e.getValue().writeTo(counting);
                counting.flush();
                size[0] = counting.count;
            });
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("bytes", size[0]);
            entry.put("sha256", HexFormat.of().formatHex(md.digest()));
            listing.put(e.getKey(), entry);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", MANIFEST_FORMAT);
        manifest.put("format_version", MANIFEST_VERSION);
        manifest.put("files", listing);
        writeString(dir.resolve(MANIFEST), Json.writePretty(manifest) + "\n");
    }

    /**
     * Checks a directory written by {@link #writeDirectory}: the manifest exists and parses, and every file
     * it lists exists with the recorded size and SHA-256. Returns the listed files in manifest order.
     *
     * @throws CorruptModelFileException naming the file and the mismatch
     * @throws UnsupportedFormatVersionException if the manifest is from a newer format
     */
    public static List<Path> verifyDirectory(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.exists(manifestFile)) {
            throw new CorruptModelFileException(dir, "no " + MANIFEST + ": the directory was not completely written (or not by flowmatch4j)");
        }
        JsonObject m;
        List<Path> out = new ArrayList<>();
        try {
            m = Json.parseObject(Files.readString(manifestFile, StandardCharsets.UTF_8), manifestFile.toString());
            m.requireOnlyKeys("format", "format_version", "files");
            if (!MANIFEST_FORMAT.equals(m.string("format"))) {
                throw new IllegalArgumentException("format is \"" + m.string("format") + "\", expected \"" + MANIFEST_FORMAT + "\"");
            }
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new CorruptModelFileException(manifestFile, e.getMessage(), e);
        }
        long version;
        try {
            version = m.integer("format_version");
        } catch (IllegalArgumentException e) {
            throw new CorruptModelFileException(manifestFile, e.getMessage(), e);
        }
        if (version > MANIFEST_VERSION) {
            throw new UnsupportedFormatVersionException(manifestFile, MANIFEST_FORMAT, version, MANIFEST_VERSION);
        }
        try {
            JsonObject files = m.object("files");
            for (String name : files.keys()) {
                JsonObject entry = files.object(name).requireOnlyKeys("bytes", "sha256");
                long bytes = entry.integer("bytes");
                String sha = entry.string("sha256");
                if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                    throw new CorruptModelFileException(manifestFile, "invalid file name \"" + name + "\" in the manifest");
                }
                Path f = dir.resolve(name);
                if (!Files.isRegularFile(f)) {
                    throw new CorruptModelFileException(f, "listed in " + MANIFEST + " but missing");
                }
                long actual = Files.size(f);
                if (actual != bytes) {
                    throw new CorruptModelFileException(f, "is " + actual + " bytes, the manifest records " + bytes);
                }
                String actualSha = sha256Hex(f);
                if (!actualSha.equals(sha)) {
                    throw new CorruptModelFileException(f, "SHA-256 " + actualSha + " differs from the manifest's " + sha
                            + " (damaged, or replaced after the manifest was written)");
                }
                out.add(f);
            }
        } catch (IllegalArgumentException e) {
            throw new CorruptModelFileException(manifestFile, e.getMessage(), e);
        }
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** SHA-256 of a file's bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Keeps a content writer from closing the stream underneath us (we still have to fsync it). */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
