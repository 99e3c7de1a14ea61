package org.flowmatch4j.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Reader and writer of the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the tensor container of model files and checkpoints (data, never Java serialisation).
 *
 * <p><b>Layout.</b> {@code [N: u64 little-endian][N bytes of UTF-8 JSON header][data buffer]}. The header
 * maps each tensor name to {@code {"dtype": "F32"|"F64", "shape": [...], "data_offsets": [begin, end]}},
 * offsets relative to the start of the data buffer, plus an optional {@code "__metadata__"} object of
 * string → string. Tensors are stored row-major, little-endian. The writer lays tensors out in the map's
 * order, pads the header with spaces so the data starts 8-byte aligned, and puts {@code __metadata__} first.
 *
 * <p><b>Validation.</b> {@link #read} checks everything before it returns anything and throws
 * {@link CorruptModelFileException} naming the file and the problem: a file shorter than the prefix, a
 * header length beyond the file or above {@value #MAX_HEADER_BYTES} bytes, a header that is not UTF-8 or
 * not a JSON object or has duplicate names, unknown or unsupported dtypes, malformed shapes, a byte range
 * that does not match {@code numel(shape) × element size}, ranges that overlap, leave holes or run past the
 * end (the spec requires the data buffer to be covered exactly), and trailing bytes.
 *
 * <p><b>Checksum.</b> Structural checks cannot see a flipped bit inside a float or a tensor name, so
 * {@link #write(Path, Map, Map)} also stores {@value #CHECKSUM_KEY} in {@code __metadata__}: the SHA-256 of the
 * <em>whole file</em> (prefix, header and data) computed with the 64 hex digits of that value replaced by
 * ASCII {@code '0'}. Covering the header too means a damaged name, shape or metadata value is caught, not
 * only damaged data. {@link #read} verifies it when present (reporting the result in
 * {@link SafeTensorsFile#checksumVerified()}) and accepts files from other writers that have none. The
 * checksum is in the metadata rather than outside the format so the files stay readable by every
 * safetensors implementation.
 *
 * <p>Only {@code F32} and {@code F64} are loaded ({@link Tensor} has no other element types); other valid
 * safetensors dtypes are rejected by name. Step counters and other integers belong in the metadata.
 */
public final class SafeTensors {
    /** Metadata key of the whole-file SHA-256 (see the class comment). */
    public static final String CHECKSUM_KEY = "flowmatch4j.sha256";
    /** Largest header accepted, as in the reference implementation (a guard against absurd lengths). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA = "__metadata__";

    private static final int CHUNK = 1 << 20;
    private static final byte[] ZERO_HEX = "0".repeat(64).getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> OTHER_KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "I64",
            "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64");

    private SafeTensors() {
    }

    // ================================================================== writing

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code file} atomically (see
     * {@link AtomicFiles}), with the whole-file checksum.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Encoder enc = new Encoder(tensors, metadata, true);
        AtomicFiles.write(file, enc::writeTo);
    }

    /** Writes the format to a stream (not atomically); {@code checksum} adds {@value #CHECKSUM_KEY}. */
    public static void writeTo(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata, boolean checksum)
            throws IOException {
        new Encoder(tensors, metadata, checksum).writeTo(out);
    }

    /** The file's bytes in memory; {@code checksum} adds {@value #CHECKSUM_KEY}. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata, boolean checksum) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            writeTo(bos, tensors, metadata, checksum);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private interface ByteSink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    /** Header prepared once; the data is streamed from the tensors, twice when a checksum is wanted. */
    private static final class Encoder {
        private final List<Map.Entry<String, Tensor>> tensors;
        private final byte[] prefix = new byte[8];
        private final byte[] header;

        Encoder(Map<String, Tensor> tensorMap, Map<String, String> metadata, boolean checksum) {
            if (tensorMap == null || metadata == null) {
                throw new IllegalArgumentException("SafeTensors.write: tensors and metadata must not be null (use empty maps)");
            }
            this.tensors = new ArrayList<>(tensorMap.entrySet());
            Map<String, Object> head = new LinkedHashMap<>();
            if (checksum || !metadata.isEmpty()) {
                Map<String, Object> meta = new LinkedHashMap<>();
                if (checksum) {
                    meta.put(CHECKSUM_KEY, "0".repeat(64));
                }
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    if (e.getKey() == null || e.getValue() == null) {
                        throw new IllegalArgumentException("SafeTensors.write: null metadata key or value (" + e.getKey() + " = " + e.getValue() + ")");
                    }
                    if (e.getKey().equals(CHECKSUM_KEY)) {
                        throw new IllegalArgumentException("SafeTensors.write: metadata key \"" + CHECKSUM_KEY + "\" is reserved for the checksum");
                    }
                    meta.put(e.getKey(), e.getValue());
                }
                head.put(METADATA, meta);
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors) {
                String name = e.getKey();
                Tensor t = e.getValue();
                if (name == null || name.isEmpty() || name.equals(METADATA)) {
                    throw new IllegalArgumentException("SafeTensors.write: invalid tensor name \"" + name + "\"");
                }
                if (t == null) {
                    throw new IllegalArgumentException("SafeTensors.write: tensor \"" + name + "\" is null");
                }
                long bytes = (long) t.numel() * elementSize(t.dtype());
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "F64");
                info.put("shape", t.shape());
                info.put("data_offsets", new long[] {offset, offset + bytes});
                head.put(name, info);
                offset += bytes;
            }
            byte[] json = Json.write(head).getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) & ~7;
            header = Arrays.copyOf(json, padded);
            Arrays.fill(header, json.length, padded, (byte) ' ');
            ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            if (checksum) {
                int at = placeholderOffset(header);
                MessageDigest md = AtomicFiles.sha256();
                md.update(prefix);
                md.update(header);
                try {
                    streamData(md::update);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                byte[] hex = HexFormat.of().formatHex(md.digest()).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(hex, 0, header, at, 64);
            }
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(prefix);
            out.write(header);
            streamData(out::write);
        }

        /** Converts each tensor to little-endian bytes through one reusable chunk buffer. */
        private void streamData(ByteSink sink) throws IOException {
            byte[] buf = new byte[CHUNK];
            ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, Tensor> e : tensors) {
                Tensor t = e.getValue();
                int n = t.numel();
                if (t.dtype() == DType.FLOAT32) {
                    float[] f = t.floatData();
                    for (int off = 0; off < n; off += CHUNK / 4) {
                        int len = Math.min(CHUNK / 4, n - off);
                        bb.clear();
                        bb.asFloatBuffer().put(f, off, len);
                        sink.accept(buf, 0, len * 4);
                    }
                } else {
                    double[] d = t.doubleData();
                    for (int off = 0; off < n; off += CHUNK / 8) {
                        int len = Math.min(CHUNK / 8, n - off);
                        bb.clear();
                        bb.asDoubleBuffer().put(d, off, len);
                        sink.accept(buf, 0, len * 8);
                    }
                }
            }
        }

        private static int placeholderOffset(byte[] header) {
            // the writer puts __metadata__ first and the checksum first inside it, so its place is fixed
            byte[] lead = ("{\"" + METADATA + "\":{\"" + CHECKSUM_KEY + "\":\"").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < lead.length; i++) {
                if (header[i] != lead[i]) {
                    throw new IllegalStateException("SafeTensors: checksum placeholder not where expected");
                }
            }
            return lead.length;
        }
    }

    private static int elementSize(DType dtype) {
        return dtype == DType.FLOAT32 ? 4 : 8;
    }

    // ================================================================== reading

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    /**
     * Reads and validates a safetensors file from any writer. Nothing is returned unless the whole file is
     * valid (and its checksum, when present, matches). Since a checksum is optional here, a damaged checksum
     * <em>key</em> makes the file look like one without a checksum; files that flowmatch4j wrote should be
     * read with {@link #read(Path, boolean) read(file, true)}.
     *
     * @throws CorruptModelFileException naming the file and what is wrong with it
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        return read(file, false);
    }

    /**
     * As {@link #read(Path)}; with {@code requireChecksum} a file without {@value #CHECKSUM_KEY} is rejected
     * too, so that every single-bit error anywhere in the file is detected.
     */
    public static SafeTensorsFile read(Path file, boolean requireChecksum) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CorruptModelFileException(file, "file is " + size + " bytes, shorter than the 8-byte header length prefix (truncated?)");
            }
            byte[] prefix = new byte[8];
            readFully(ch, ByteBuffer.wrap(prefix), 0, file);
            long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new CorruptModelFileException(file, "header length " + Long.toUnsignedString(n) + " is absurd (more than "
                        + MAX_HEADER_BYTES + " bytes): not a safetensors file, or a damaged length prefix");
            }
            if (n > size - 8) {
                throw new CorruptModelFileException(file, "header length " + n + " exceeds the " + (size - 8)
                        + " bytes after the length prefix (truncated, or a damaged length prefix)");
            }
            if (n < 2) {
                throw new CorruptModelFileException(file, "header length " + n + " is too small for a JSON object");
            }
            byte[] header = new byte[(int) n];
            readFully(ch, ByteBuffer.wrap(header), 8, file);
            long dataLength = size - 8 - n;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(file, header, dataLength, metadata);

            String expectedSha = metadata.remove(CHECKSUM_KEY);
            if (expectedSha == null && requireChecksum) {
                throw new CorruptModelFileException(file, "no \"" + CHECKSUM_KEY + "\" in the metadata (damaged header, or not written by flowmatch4j)");
            }
            MessageDigest md = null;
            if (expectedSha != null) {
                if (!expectedSha.matches("[0-9a-f]{64}")) {
                    throw new CorruptModelFileException(file, "checksum \"" + expectedSha + "\" is not 64 lower-case hex digits (damaged header)");
                }
                md = AtomicFiles.sha256();
                md.update(prefix);
                md.update(zeroChecksum(file, header, expectedSha));
            }

            Map<String, Tensor> byName = readData(ch, file, 8 + n, entries, md);
            if (md != null) {
                String actual = HexFormat.of().formatHex(md.digest());
                if (!actual.equals(expectedSha)) {
                    throw new CorruptModelFileException(file, "checksum mismatch: the file's SHA-256 is " + actual + " but its header records "
                            + expectedSha + " (bits damaged in the header or tensor data)");
                }
            }
            Map<String, Tensor> ordered = new LinkedHashMap<>();
            for (Entry e : entries) {
                ordered.put(e.name, byName.get(e.name));
            }
            return new SafeTensorsFile(ordered, metadata, md != null);
        }
    }

    private static List<Entry> parseHeader(Path file, byte[] header, long dataLength, Map<String, String> metadataOut)
            throws CorruptModelFileException {
        if (header[0] != '{') {
            throw new CorruptModelFileException(file, "header does not start with '{' (not a safetensors file, or a damaged header)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptModelFileException(file, "header is not valid UTF-8 (damaged header)", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (JsonParseException e) {
            String what = e.problem().startsWith("duplicate member name") ? "duplicate tensor name in the header: " : "header is not valid JSON: ";
            throw new CorruptModelFileException(file, what + e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> head = (Map<String, Object>) parsed; // the '{' check above makes it an object
        JsonObject root = new JsonObject(head, "header");
        List<Entry> entries = new ArrayList<>();
        try {
            if (root.has(METADATA)) {
                metadataOut.putAll(root.stringMap(METADATA));
            }
            for (String name : root.keys()) {
                if (name.equals(METADATA)) {
                    continue;
                }
                Object raw = head.get(name);
                if (!(raw instanceof Map)) {
                    throw new CorruptModelFileException(file, "header entry \"" + name + "\" is " + JsonObject.typeName(raw) + ", expected an object");
                }
                JsonObject info = root.object(name).requireOnlyKeys("dtype", "shape", "data_offsets");
                String dt = info.string("dtype");
                DType dtype;
                if (dt.equals("F32")) {
                    dtype = DType.FLOAT32;
                } else if (dt.equals("F64")) {
                    dtype = DType.FLOAT64;
                } else if (OTHER_KNOWN_DTYPES.contains(dt)) {
                    throw new CorruptModelFileException(file, "tensor \"" + name + "\" has dtype " + dt
                            + ", a valid safetensors dtype that flowmatch4j does not load (only F32 and F64)");
                } else {
                    throw new CorruptModelFileException(file, "tensor \"" + name + "\" has unknown dtype \"" + dt + "\"");
                }
                long[] shapeL = info.longArray("shape");
                int[] shape = new int[shapeL.length];
                long numel = 1;
                for (int i = 0; i < shapeL.length; i++) {
                    if (shapeL[i] < 0 || shapeL[i] > Integer.MAX_VALUE) {
                        throw new CorruptModelFileException(file, "tensor \"" + name + "\" has invalid dimension " + shapeL[i] + " in shape "
                                + Arrays.toString(shapeL));
                    }
                    shape[i] = (int) shapeL[i];
                    numel *= shapeL[i];
                    if (numel > Integer.MAX_VALUE) {
                        throw new CorruptModelFileException(file, "tensor \"" + name + "\" shape " + Arrays.toString(shapeL)
                                + " has more than 2^31-1 elements");
                    }
                }
                long[] off = info.longArray("data_offsets");
                if (off.length != 2 || off[0] < 0 || off[1] < off[0]) {
                    throw new CorruptModelFileException(file, "tensor \"" + name + "\" has invalid data_offsets " + Arrays.toString(off)
                            + " (need [begin, end] with 0 <= begin <= end)");
                }
                long expected = numel * elementSize(dtype);
                if (off[1] - off[0] != expected) {
                    throw new CorruptModelFileException(file, "tensor \"" + name + "\": shape " + Arrays.toString(shapeL) + " of " + dt + " needs "
                            + expected + " bytes but data_offsets " + Arrays.toString(off) + " span " + (off[1] - off[0]));
                }
                entries.add(new Entry(name, dtype, shape, off[0], off[1]));
            }
        } catch (IllegalArgumentException e) {
            throw new CorruptModelFileException(file, "malformed header: " + e.getMessage(), e);
        }
        checkCoverage(file, entries, dataLength);
        return entries;
    }

    /** The spec requires the ranges to tile the data buffer exactly: no overlap, no hole, nothing after. */
    private static void checkCoverage(Path file, List<Entry> entries, long dataLength) throws CorruptModelFileException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long next = 0;
        String prev = null;
        for (Entry e : sorted) {
            if (e.begin < next) {
                throw new CorruptModelFileException(file, "tensor \"" + e.name + "\" bytes [" + e.begin + ", " + e.end + ") overlap tensor \""
                        + prev + "\" (which ends at " + next + ")");
            }
            if (e.begin > next) {
                throw new CorruptModelFileException(file, "bytes [" + next + ", " + e.begin + ") of the data buffer belong to no tensor (a hole before \""
                        + e.name + "\")");
            }
            next = e.end;
            prev = e.name;
        }
        if (next > dataLength) {
            throw new CorruptModelFileException(file, "tensor data needs " + next + " bytes but the file holds only " + dataLength
                    + " after the header (truncated)");
        }
        if (next < dataLength) {
            throw new CorruptModelFileException(file, (dataLength - next) + " trailing bytes after the last tensor (data buffer is "
                    + dataLength + " bytes, tensors cover " + next + ")");
        }
    }

    /** The header with the recorded checksum's 64 hex digits replaced by '0', as it was hashed on writing. */
    private static byte[] zeroChecksum(Path file, byte[] header, String sha) throws CorruptModelFileException {
        byte[] needle = sha.getBytes(StandardCharsets.US_ASCII);
        int found = -1;
        for (int i = 0; i + 64 <= header.length; i++) {
            if (header[i] == needle[0] && Arrays.equals(header, i, i + 64, needle, 0, 64)) {
                if (found >= 0) {
                    throw new CorruptModelFileException(file, "the checksum value occurs more than once in the header");
                }
                found = i;
            }
        }
        if (found < 0) {
            // the parsed value came from the header, so it is there unless written with \\u escapes
            throw new CorruptModelFileException(file, "checksum value is escaped in the header; cannot verify it");
        }
        byte[] copy = header.clone();
        System.arraycopy(ZERO_HEX, 0, copy, found, 64);
        return copy;
    }

    private static Map<String, Tensor> readData(FileChannel ch, Path file, long dataStart, List<Entry> entries, MessageDigest md)
            throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Map<String, Tensor> out = new LinkedHashMap<>();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart;
        for (Entry e : sorted) {
            int numel = (int) ((e.end - e.begin) / elementSize(e.dtype));
            int es = elementSize(e.dtype);
            float[] f = e.dtype == DType.FLOAT32 ? new float[numel] : null;
            double[] d = e.dtype == DType.FLOAT64 ? new double[numel] : null;
            int perChunk = CHUNK / es;
            for (int off = 0; off < numel; off += perChunk) {
                int len = Math.min(perChunk, numel - off);
                buf.clear().limit(len * es);
                readFully(ch, buf, pos, file);
                pos += (long) len * es;
                buf.flip();
                if (md != null) {
                    md.update(buf.duplicate());
                }
                if (f != null) {
                    buf.asFloatBuffer().get(f, off, len);
                } else {
                    buf.asDoubleBuffer().get(d, off, len);
                }
            }
            out.put(e.name, f != null ? Tensor.of(f, e.shape) : Tensor.of(d, e.shape));
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, p);
            if (r < 0) {
                throw new CorruptModelFileException(file, "file ended at byte " + p + " while reading (it shrank while being read?)",
                        new EOFException());
            }
            p += r;
        }
    }
}
