package io.flotilla.dsl.topo;

import io.flotilla.dsl.source.SourcePos;
import io.flotilla.dsl.topo.model.TopoCost;
import io.flotilla.dsl.topo.model.TopoLink;
import io.flotilla.dsl.topo.model.TopoMeasured;
import io.flotilla.dsl.topo.model.TopoNuma;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the statements of a file declared, before the whole is checked: mutable, filled by {@link Evaluator}. */
final class MachineDraft {

    enum Sharing { PRIVATE, SHARED, LIST, PER }

    record CoreDraft(int id, int packageId, Integer numa, SourcePos pos) {}

    static final class Pkg {
        final int id;
        final SourcePos pos;
        /** The loop iteration that declared it, for messages. */
        final String context;
        Integer numa;
        SourcePos numaPos;
        Long localLatency;
        /** Whether a 'cores' item was seen, even one with a mistake (then "no cores" would be wrong). */
        boolean coresSeen;
        final List<Integer> cores = new ArrayList<>();
        /** Physical cores: groups of SMT siblings. */
        final List<List<Integer>> groups = new ArrayList<>();
        final List<CacheDraft> caches = new ArrayList<>();

        Pkg(int id, SourcePos pos, String context) {
            this.id = id;
            this.pos = pos;
            this.context = context;
        }
    }

    static final class CacheDraft {
        final SourcePos pos;
        final String context;
        String name;
        int level;
        char type;
        long size;
        int line = 64;
        int assoc;
        Long latency;
        Sharing sharing;
        String sharingText;
        SourcePos sharingPos;
        final List<Integer> sharedBy = new ArrayList<>();
        int per;

        CacheDraft(SourcePos pos, String context) {
            this.pos = pos;
            this.context = context;
        }
    }

    String name;
    SourcePos pos;
    double clockGhz;
    SourcePos clockPos;
    /** Whether a clock statement was seen, even one with a mistake (then "no clock" would be wrong). */
    boolean clockSeen;
    long remoteLatency;
    final Map<Integer, Pkg> packages = new LinkedHashMap<>();
    final Map<Integer, TopoNuma> numa = new LinkedHashMap<>();
    final Map<Integer, CoreDraft> cores = new LinkedHashMap<>();
    final List<TopoLink> links = new ArrayList<>();
    final List<String> linkContexts = new ArrayList<>();
    final List<TopoMeasured> measured = new ArrayList<>();
    final List<String> measuredContexts = new ArrayList<>();
    /** 'measured message-cpu N' and the other measured costs, in the order the file states them. */
    final Map<TopoCost, Long> costs = new EnumMap<>(TopoCost.class);
    final Map<TopoCost, SourcePos> costPositions = new EnumMap<>(TopoCost.class);
}
