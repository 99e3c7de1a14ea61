package org.flowmatch4j.io;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link CheckpointStore#loadLatest()}: the newest loadable checkpoint, its file, and the
 * newer files that were skipped as corrupt (one message each, naming the file and the problem).
 *
 * @param checkpoint the checkpoint
 * @param file       the file it came from
 * @param skipped    messages for newer checkpoint files that could not be loaded, newest first
 */
public record LoadedCheckpoint(Checkpoint checkpoint, Path file, List<String> skipped) {
    /** Copies {@code skipped}. */
    public LoadedCheckpoint {
        skipped = List.copyOf(skipped);
    }
}
