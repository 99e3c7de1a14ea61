package org.flowmatch4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flowmatch4j.tensor.Tensor;

/**
 * The content of a safetensors file: tensors by name in header order, the {@code __metadata__} strings
 * (without the reserved checksum entry), and whether a flowmatch4j checksum was present and verified.
 *
 * @param tensors          tensors by name, in the order of the header (unmodifiable; the tensors are fresh)
 * @param metadata         the {@code __metadata__} strings, checksum entry removed (unmodifiable)
 * @param checksumVerified true when the file carried {@value SafeTensors#CHECKSUM_KEY} and it matched
 */
public record SafeTensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata, boolean checksumVerified) {
    /** Wraps the maps unmodifiably, keeping their order. */
    public SafeTensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
