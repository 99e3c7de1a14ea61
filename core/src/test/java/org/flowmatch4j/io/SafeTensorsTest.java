package org.flowmatch4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path tmp;

    private static void assertSameTensor(Tensor actual, Tensor expected) {
        assertThat(actual.dtype()).isEqualTo(expected.dtype());
        assertThat(actual.shape()).isEqualTo(expected.shape());
        if (expected.dtype() == DType.FLOAT32) {
            float[] a = actual.floatData();
            float[] e = expected.floatData();
            for (int i = 0; i < e.length; i++) {
                assertThat(Float.floatToRawIntBits(a[i])).isEqualTo(Float.floatToRawIntBits(e[i]));
            }
        } else {
            double[] a = actual.doubleData();
            double[] e = expected.doubleData();
            for (int i = 0; i < e.length; i++) {
                assertThat(Double.doubleToRawLongBits(a[i])).isEqualTo(Double.doubleToRawLongBits(e[i]));
            }
        }
    }

    @Test
    void roundTripKeepsOrderValuesShapesAndMetadata() throws IOException {
        Rng rng = new Rng(1);
        Map<String, Tensor> ts = new LinkedHashMap<>();
        ts.put("z.weight", rng.normal(DType.FLOAT32, 7, 3));
        ts.put("a.bias", rng.normal(DType.FLOAT64, 5));
        ts.put("scalar32", Tensor.scalar(DType.FLOAT32, -1.25));
        ts.put("scalar64", Tensor.scalar(DType.FLOAT64, Math.PI));
        ts.put("empty", Tensor.zeros(DType.FLOAT32, 0));
        ts.put("empty2d", Tensor.zeros(DType.FLOAT64, 3, 0));
        ts.put("specials", Tensor.of(new float[] {-0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE}, 5));
        for (int i = 0; i < 150; i++) {
            ts.put("layer." + i, rng.normal(i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64, 1 + i % 4, 1 + i % 3, 2));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "ünïcödé \"quoted\"\n");
        Path f = tmp.resolve("m.safetensors");
        SafeTensors.write(f, ts, meta);
        SafeTensorsFile back = SafeTensors.read(f);
        assertThat(back.checksumVerified()).isTrue();
        assertThat(back.metadata()).containsExactlyEntriesOf(meta);
        assertThat(back.tensors().keySet()).containsExactlyElementsOf(ts.keySet());
        ts.forEach((k, t) -> assertSameTensor(back.tensors().get(k), t));
        assertThat(back.tensors().get("scalar64").rank()).isZero();
        // the data starts 8-byte aligned, as the reference writer pads
        long n = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + n) % 8).isZero();
        // same tensors, same bytes: the file is a deterministic function of its content
        assertThat(SafeTensors.toBytes(ts, meta, true)).isEqualTo(Files.readAllBytes(f));
        // no metadata and no tensors at all is still a valid file
        Path empty = tmp.resolve("e.safetensors");
        Files.write(empty, SafeTensors.toBytes(Map.of(), Map.of(), false));
        assertThat(SafeTensors.read(empty).tensors()).isEmpty();
    }

    private static byte[] expectedFile(String json, byte[] data) {
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded);
        b.put(json.getBytes(StandardCharsets.UTF_8));
        for (int i = json.length(); i < padded; i++) {
            b.put((byte) ' ');
        }
        b.put(data);
        return b.array();
    }

    @Test
    void byteLayoutMatchesTheSpecByHand() throws Exception {
        Map<String, Tensor> ts = new LinkedHashMap<>();
        ts.put("a", Tensor.of(new float[] {1.0f, -2.0f}, 2));
        ts.put("b", Tensor.of(new double[] {0.5}));
        byte[] bytes = SafeTensors.toBytes(ts, Map.of(), false);
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        assertThat(json.length()).isEqualTo(107); // padded to 112 = 0x70
        byte[] data = {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0, // 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian
            0, 0, 0, 0, 0, 0, (byte) 0xE0, 0x3F}; // 0.5 = 0x3FE0000000000000
        byte[] expected = expectedFile(json, data);
        assertThat(Arrays.copyOf(expected, 8)).containsExactly(0x70, 0, 0, 0, 0, 0, 0, 0);
        assertThat(bytes).isEqualTo(expected);

        // with the checksum: the SHA-256 of the file with the 64 hex digits as '0', then put in place
        byte[] withSum = SafeTensors.toBytes(ts, Map.of("k", "v"), true);
        String jsonZero = "{\"__metadata__\":{\"flowmatch4j.sha256\":\"" + "0".repeat(64) + "\",\"k\":\"v\"}," + json.substring(1);
        byte[] zeroed = expectedFile(jsonZero, data);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zeroed));
        assertThat(withSum).isEqualTo(expectedFile(jsonZero.replace("0".repeat(64), hex), data));
    }

    @Test
    void readsFilesFromOtherWritersWithoutChecksum() throws IOException {
        // as the Python writer lays it out: metadata, entries not in offset order, header padded with spaces
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[4,20]},"
                + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putFloat(3.5f).putDouble(-1.0).putDouble(1e300);
        Path f = tmp.resolve("foreign.safetensors");
        Files.write(f, expectedFile(json, data.array()));
        SafeTensorsFile r = SafeTensors.read(f);
        assertThat(r.checksumVerified()).isFalse();
        assertThat(r.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(r.tensors().keySet()).containsExactly("w", "s");
        assertThat(r.tensors().get("w").toDoubleArray()).containsExactly(-1.0, 1e300);
        assertThat(r.tensors().get("w").shape()).containsExactly(1, 2);
        assertThat(r.tensors().get("s").item()).isEqualTo(3.5);
    }

    private Path writeRaw(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static CorruptModelFileException corrupt(Path f, String... fragments) {
        return corrupt(f, false, fragments);
    }

    private static CorruptModelFileException corrupt(Path f, boolean requireChecksum, String... fragments) {
        CorruptModelFileException e = catchThrowableOfType(CorruptModelFileException.class, () -> SafeTensors.read(f, requireChecksum));
        assertThat(e).as("reading %s should fail", f).isNotNull();
        assertThat(e.getMessage()).contains(f.toString());
        assertThat(e.file()).isEqualTo(f);
        for (String s : fragments) {
            assertThat(e.problem()).contains(s);
        }
        return e;
    }

    private static byte[] sample() {
        Map<String, Tensor> ts = new LinkedHashMap<>();
        ts.put("weight", new Rng(3).normal(DType.FLOAT32, 4, 3));
        ts.put("bias", new Rng(4).normal(DType.FLOAT64, 3));
        return SafeTensors.toBytes(ts, Map.of("step", "10"), true);
    }

    @Test
    void truncatedFilesAreRejectedAtEveryPoint() throws IOException {
        byte[] good = sample();
        long n = ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(SafeTensors.read(writeRaw("good", good)).tensors()).hasSize(2);
        corrupt(writeRaw("t0", new byte[0]), "shorter than the 8-byte");
        corrupt(writeRaw("t5", Arrays.copyOf(good, 5)), "shorter than the 8-byte");
        corrupt(writeRaw("t8", Arrays.copyOf(good, 8)), "exceeds");
        corrupt(writeRaw("tmidheader", Arrays.copyOf(good, 8 + (int) n / 2)), "exceeds");
        corrupt(writeRaw("theader", Arrays.copyOf(good, 8 + (int) n)), "truncated");
        corrupt(writeRaw("tdata", Arrays.copyOf(good, 8 + (int) n + 20)), "truncated");
        corrupt(writeRaw("tlast", Arrays.copyOf(good, good.length - 1)), "truncated");
        // and cutting anywhere at all
        for (int len = 0; len < good.length; len += 7) {
            corrupt(writeRaw("cut" + len, Arrays.copyOf(good, len)));
        }
        corrupt(writeRaw("trailing", Arrays.copyOf(good, good.length + 3)), "3 trailing bytes");
    }

    @Test
    void singleBitFlipsAnywhereAreDetected() throws IOException {
        Map<String, Tensor> small = new LinkedHashMap<>();
        small.put("weight", new Rng(3).normal(DType.FLOAT32, 2, 3));
        small.put("bias", new Rng(4).normal(DType.FLOAT64, 2));
        byte[] good = SafeTensors.toBytes(small, Map.of("step", "10"), true);
        long n = ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path f = tmp.resolve("flip.safetensors");
        int checksumMismatches = 0;
        for (int i = 0; i < good.length; i++) {
            // three bits per byte, rotating so every bit position is hit throughout the file (all 8 took too long)
            for (int bit : new int[] {i % 8, (i + 3) % 8, (i + 5) % 8}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                Path fi = tmp.resolve("flip-byte" + i + "-bit" + bit);
                Files.write(fi, bad);
                CorruptModelFileException e = corrupt(fi, true);
                Files.delete(fi);
                if (e.problem().contains("checksum mismatch")) {
                    checksumMismatches++;
                }
            }
        }
        // every data bit tried and most header bits get past the structural checks and are caught by the checksum
        assertThat(checksumMismatches).isGreaterThan((int) (good.length - 8 - n) * 3);
        // a flipped letter in a tensor name keeps the header valid: only the checksum sees it
        byte[] bad = good.clone();
        int at = new String(good, StandardCharsets.ISO_8859_1).indexOf("weight");
        bad[at] ^= 1; // 'w' -> 'v'
        Files.write(f, bad);
        corrupt(f, "checksum mismatch");
        // a flip in the checksum's key hides the checksum from a reader that accepts files without one
        bad = good.clone();
        bad[new String(good, StandardCharsets.ISO_8859_1).indexOf("flowmatch4j.sha256")] ^= 1;
        Files.write(f, bad);
        assertThat(SafeTensors.read(f).checksumVerified()).isFalse();
        corrupt(f, true, "no \"flowmatch4j.sha256\"");
        bad = good.clone();
        bad[bad.length - 5] ^= 0x10;
        Files.write(f, bad);
        corrupt(f, "checksum mismatch");
    }

    @Test
    void wrongHeaderLengthsAreRejected() throws IOException {
        byte[] good = sample();
        ByteBuffer b = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        b.putLong(0, n - 8);
        corrupt(writeRaw("short", b.array()));
        b.putLong(0, n + 8);
        corrupt(writeRaw("long", b.array()));
        b.putLong(0, 1L << 40);
        corrupt(writeRaw("absurd", b.array()), "absurd");
        b.putLong(0, -1L);
        corrupt(writeRaw("negative", b.array()), "18446744073709551615", "absurd");
    }

    private Path handMade(String name, String json, int dataBytes) throws IOException {
        return writeRaw(name, expectedFile(json, new byte[dataBytes]));
    }

    @Test
    void malformedHeadersAreRejectedByName() throws IOException {
        corrupt(handMade("shape", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "\"w\"", "shape [3]", "needs 12 bytes",
                "span 8");
        corrupt(handMade("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "overlap", "\"b\"", "\"a\"");
        corrupt(handMade("hole", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
                "bytes [4, 8)", "belong to no tensor");
        corrupt(handMade("late", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "bytes [0, 4)");
        corrupt(handMade("past", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "needs 16 bytes", "only 8");
        corrupt(handMade("dtype", "{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "unknown dtype \"F33\"");
        corrupt(handMade("bf16", "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "BF16", "only F32 and F64");
        corrupt(handMade("dup", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "duplicate tensor name", "\"a\"");
        corrupt(handMade("json", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", 4), "not valid JSON", "line 1");
        corrupt(handMade("array", "[1]", 0), "does not start with '{'");
        corrupt(handMade("negdim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "invalid dimension -1");
        corrupt(handMade("offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4), "invalid data_offsets");
        corrupt(handMade("extra", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "unknown key \"x\"");
        corrupt(handMade("missing", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "missing required key \"shape\"");
        corrupt(handMade("meta", "{\"__metadata__\":{\"step\":3}}", 0), "\"step\" must be a string");
        corrupt(handMade("entry", "{\"a\":[1]}", 0), "\"a\" is an array");
        corrupt(handMade("sum", "{\"__metadata__\":{\"flowmatch4j.sha256\":\"xyz\"}}", 0), "not 64 lower-case hex");
        byte[] latin = expectedFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        latin[10] = (byte) 0xFF;
        corrupt(writeRaw("utf8", latin), "not valid UTF-8");
    }

    @Test
    void writerRejectsInvalidNamesAndReservedMetadata() {
        Tensor t = Tensor.zeros(DType.FLOAT32, 1);
        for (String bad : Arrays.asList("", "__metadata__")) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put(bad, t);
            assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> SafeTensors.toBytes(m, Map.of(), true)))
                    .hasMessageContaining("invalid tensor name");
        }
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(Map.of("a", t), Map.of(SafeTensors.CHECKSUM_KEY, "x"), true))).hasMessageContaining("reserved");
    }

    @Test
    void streamingWriteEqualsInMemoryBytes() throws IOException {
        Map<String, Tensor> ts = Map.of("big", new Rng(9).normal(DType.FLOAT32, 700, 1000)); // spans several 1 MiB chunks
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        SafeTensors.writeTo(bos, ts, Map.of(), true);
        Path f = tmp.resolve("big.safetensors");
        SafeTensors.write(f, ts, Map.of());
        assertThat(Files.readAllBytes(f)).isEqualTo(bos.toByteArray());
        assertSameTensor(SafeTensors.read(f).tensors().get("big"), ts.get("big"));
        assertThat(List.of(tmp.toFile().list())).containsExactly("big.safetensors");
    }
}
