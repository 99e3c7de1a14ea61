package org.flowmatch4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesFiles() throws IOException {
        Path f = tmp.resolve("sub/dir/config.json");
        AtomicFiles.writeString(f, "{\"a\": 1}");
        assertThat(Files.readString(f)).isEqualTo("{\"a\": 1}");
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        // a content writer that closes the stream does not break the fsync that follows
        AtomicFiles.write(f, out -> {
            out.write("closed".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        assertThat(Files.readString(f)).isEqualTo("closed");
        assertThat(listing(f.getParent())).containsExactly("config.json");
    }

    @Test
    void aWriterThatFailsMidWayLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("model.safetensors");
        Map<String, Tensor> old = Map.of("w", new Rng(1).normal(DType.FLOAT32, 100, 100));
        SafeTensors.write(f, old, Map.of());
        byte[] before = Files.readAllBytes(f);
        IOException boom = catchThrowableOfType(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]); // beyond the stream buffer, so bytes really reach the temporary file
            throw new IOException("disk on fire");
        }));
        assertThat(boom).hasMessage("disk on fire");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(7);
            throw new IllegalStateException("bug in writer");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        assertThat(listing(tmp)).containsExactly("model.safetensors");
        assertThat(SafeTensors.read(f).tensors().get("w").toDoubleArray()).isEqualTo(old.get("w").toDoubleArray());
    }

    @Test
    void staleTemporaryFilesAreRecognisedAndRemovedByPrefix() throws IOException {
        Files.writeString(tmp.resolve(".checkpoint-5.safetensors.1a2b.tmp"), "partial");
        Files.writeString(tmp.resolve(".model.json.99.tmp"), "partial");
        Files.writeString(tmp.resolve("checkpoint-4.safetensors"), "kept");
        assertThat(AtomicFiles.isTempFile(tmp.resolve(".checkpoint-5.safetensors.1a2b.tmp"))).isTrue();
        assertThat(AtomicFiles.isTempFile(tmp.resolve("checkpoint-4.safetensors"))).isFalse();
        assertThat(AtomicFiles.deleteStaleTempFiles(tmp, "checkpoint-")).isEqualTo(1);
        assertThat(listing(tmp)).containsExactly(".model.json.99.tmp", "checkpoint-4.safetensors");
    }

    private static Map<String, AtomicFiles.ContentWriter> files(String config, String weights) {
        Map<String, AtomicFiles.ContentWriter> m = new LinkedHashMap<>();
        m.put("config.json", out -> out.write(config.getBytes(StandardCharsets.UTF_8)));
        m.put("model.bin", out -> out.write(weights.getBytes(StandardCharsets.UTF_8)));
        return m;
    }

    @Test
    void directoriesCarryAManifestThatDetectsIncompleteOrAlteredContent() throws IOException {
        Path dir = tmp.resolve("model");
        AtomicFiles.writeDirectory(dir, files("{\"v\":1}", "weights-1"));
        assertThat(AtomicFiles.verifyDirectory(dir)).containsExactly(dir.resolve("config.json"), dir.resolve("model.bin"));
        JsonObject manifest = Json.parseObject(Files.readString(dir.resolve(AtomicFiles.MANIFEST)), "manifest");
        assertThat(manifest.object("files").object("model.bin").integer("bytes")).isEqualTo(9);
        assertThat(manifest.object("files").object("model.bin").string("sha256")).isEqualTo(AtomicFiles.sha256Hex(dir.resolve("model.bin")));

        // a rewrite interrupted after the first file: the old manifest is gone, so the mix is not mistaken for a model
        Map<String, AtomicFiles.ContentWriter> failing = files("{\"v\":2}", "unused");
        failing.put("model.bin", out -> {
            throw new IOException("killed");
        });
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(dir, failing)).hasMessage("killed");
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> AtomicFiles.verifyDirectory(dir)))
                .hasMessageContaining(dir.toString()).hasMessageContaining("no MANIFEST.json");
        assertThat(Files.readString(dir.resolve("model.bin"))).isEqualTo("weights-1");

        AtomicFiles.writeDirectory(dir, files("{\"v\":3}", "weights-3"));
        assertThat(AtomicFiles.verifyDirectory(dir)).hasSize(2);
        Files.writeString(dir.resolve("model.bin"), "weights-X");
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> AtomicFiles.verifyDirectory(dir)))
                .hasMessageContaining("model.bin").hasMessageContaining("SHA-256");
        Files.writeString(dir.resolve("model.bin"), "short");
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> AtomicFiles.verifyDirectory(dir)))
                .hasMessageContaining("model.bin").hasMessageContaining("is 5 bytes, the manifest records 9");
        Files.delete(dir.resolve("model.bin"));
        assertThat(catchThrowableOfType(CorruptModelFileException.class, () -> AtomicFiles.verifyDirectory(dir)))
                .hasMessageContaining("model.bin").hasMessageContaining("missing");

        // a manifest from a future format is refused as such, not as damage
        Files.writeString(dir.resolve(AtomicFiles.MANIFEST), "{\"format\":\"flowmatch4j-directory\",\"format_version\":9,\"files\":{}}");
        UnsupportedFormatVersionException future = catchThrowableOfType(UnsupportedFormatVersionException.class, () -> AtomicFiles.verifyDirectory(dir));
        assertThat(future).hasMessageContaining("format version 9").hasMessageContaining("up to 1");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(dir, Map.of("../escape", out -> { })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid file name \"../escape\"");
    }
}
