package org.flowmatch4j.data;

/** A dataset split into disjoint training and test parts (see {@link Dataset#split}). */
public record DatasetSplit(Dataset train, Dataset test) {
    /** Both parts are required. */
    public DatasetSplit {
        if (train == null || test == null) {
            throw new IllegalArgumentException("DatasetSplit: train and test are required, got train=" + train + ", test=" + test);
        }
    }
}
