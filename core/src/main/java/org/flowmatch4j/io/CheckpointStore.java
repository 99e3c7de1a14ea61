package org.flowmatch4j.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory of checkpoints {@code checkpoint-<step>.safetensors}, each written atomically
 * ({@link Checkpoint#save}), of which the newest {@code keepLast} are kept.
 *
 * <p>There is no separate "latest" pointer file: the newest checkpoint is the valid file with the highest
 * step, which a rename makes visible all at once. A pointer would be a second file to keep consistent with
 * the first, and a crash between the two renames would leave it stale. Because "newest" means "highest
 * step", steps must not go backwards: {@link #save} refuses a step lower than one already stored (to
 * resume from an older checkpoint, first {@link #discardNewerThan} it). A SIGKILL at any moment therefore
 * leaves the previous or the new checkpoint loadable, plus at most a stale temporary file that the next
 * {@link #save} removes. The store assumes one writing process at a time.
 */
public final class CheckpointStore {
    private static final String PREFIX = "checkpoint-";
    private static final String SUFFIX = ".safetensors";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(0|[1-9][0-9]{0,18})" + Pattern.quote(SUFFIX));

    private final Path dir;
    private final int keepLast;

    /** A store in {@code dir} (created on first save) keeping the newest {@code keepLast ≥ 1} checkpoints. */
    public CheckpointStore(Path dir, int keepLast) {
        if (dir == null) {
            throw new IllegalArgumentException("CheckpointStore: dir is null");
        }
        if (keepLast < 1) {
            throw new IllegalArgumentException("CheckpointStore: keepLast must be >= 1, got " + keepLast);
        }
        this.dir = dir;
        this.keepLast = keepLast;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The file a checkpoint of {@code step} is stored in. */
    public Path pathFor(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("CheckpointStore: step must be >= 0, got " + step);
        }
        return dir.resolve(PREFIX + step + SUFFIX);
    }

    /**
     * Saves {@code checkpoint} as {@code checkpoint-<step>.safetensors} (replacing one of the same step),
     * then deletes all but the newest {@code keepLast}. Returns the file.
     *
     * @throws IllegalArgumentException if a checkpoint with a higher step is already stored
     */
    public Path save(Checkpoint checkpoint) throws IOException {
        List<Long> steps = steps();
        if (!steps.isEmpty() && steps.get(steps.size() - 1) > checkpoint.step()) {
            throw new IllegalArgumentException("CheckpointStore: cannot save step " + checkpoint.step() + " in " + dir + ", which already holds step "
                    + steps.get(steps.size() - 1) + "; steps must not go backwards (discardNewerThan(" + checkpoint.step() + ") first to resume from an older one)");
        }
        Files.createDirectories(dir);
        AtomicFiles.deleteStaleTempFiles(dir, PREFIX);
        Path file = pathFor(checkpoint.step());
        checkpoint.save(file);
        List<Long> now = steps();
        for (int i = 0; i < now.size() - keepLast; i++) {
            if (now.get(i) != checkpoint.step()) {
                Files.deleteIfExists(pathFor(now.get(i)));
            }
        }
        return file;
    }

    /** The steps of the checkpoint files present (valid or not), ascending. */
    public List<Long> steps() throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : ds) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    try {
                        out.add(Long.parseLong(m.group(1)));
                    } catch (NumberFormatException tooLarge) {
                        // a name beyond Long.MAX_VALUE was not written by us; ignore it like any foreign file
                    }
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * The newest checkpoint that loads, skipping (and reporting) newer corrupt files; empty when the
     * directory holds no checkpoint files.
     *
     * @throws CorruptModelFileException if there are checkpoint files but none loads (all problems listed)
     * @throws UnsupportedFormatVersionException if the newest readable candidate is from a newer format:
     *                                           falling back to an older checkpoint would silently lose progress
     */
    public Optional<LoadedCheckpoint> loadLatest() throws IOException {
        List<Long> steps = steps();
        List<String> skipped = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Path file = pathFor(steps.get(i));
            try {
                Checkpoint c = Checkpoint.load(file);
                if (c.step() != steps.get(i)) {
                    throw new CorruptModelFileException(file, "holds step " + c.step() + " but is named for step " + steps.get(i));
                }
                return Optional.of(new LoadedCheckpoint(c, file, skipped));
            } catch (CorruptModelFileException e) {
                skipped.add(e.getMessage());
            } catch (java.nio.file.NoSuchFileException e) {
                skipped.add(file + ": deleted while loading");
            }
        }
        if (skipped.isEmpty()) {
            return Optional.empty();
        }
        throw new CorruptModelFileException(dir, "none of the " + skipped.size() + " checkpoint files loads: " + String.join(" | ", skipped));
    }

    /** Deletes the checkpoints with a step above {@code step} (to resume from an older one); returns how many. */
    public int discardNewerThan(long step) throws IOException {
        int n = 0;
        for (long s : steps()) {
            if (s > step && Files.deleteIfExists(pathFor(s))) {
                n++;
            }
        }
        return n;
    }
}
