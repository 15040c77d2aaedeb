package io.flotilla.machine;

import java.util.List;

/**
 * A package (socket). Named so as not to clash with {@link java.lang.Package}.
 *
 * @param cores ascending core ids
 * @param localLatency cycles for a transfer between two of its cores that share no cache
 */
public record CpuPackage(int id, List<Integer> cores, long localLatency) {

    public CpuPackage {
        cores = List.copyOf(cores);
    }
}
