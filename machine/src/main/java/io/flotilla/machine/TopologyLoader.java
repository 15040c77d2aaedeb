package io.flotilla.machine;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.topo.TopoResult;
import io.flotilla.dsl.topo.TopologyLanguage;
import io.flotilla.dsl.topo.model.TopoCache;
import io.flotilla.dsl.topo.model.TopoCore;
import io.flotilla.dsl.topo.model.TopoLink;
import io.flotilla.dsl.topo.model.TopoMeasured;
import io.flotilla.dsl.topo.model.TopoNuma;
import io.flotilla.dsl.topo.model.TopoPackage;
import io.flotilla.dsl.topo.model.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code .topo} text through the dsl front end and builds a {@link Machine}: the one class of the runtime
 * that touches the front end, so that compiled machines (which build a {@code Machine} directly) need nothing else.
 */
public final class TopologyLoader {

    private TopologyLoader() {}

    /**
     * @param warnings receives each warning, rendered with position and caret
     * @throws MachineLoadException with every diagnostic rendered, if the file has errors
     */
    public static Machine load(Path file, Consumer<String> warnings) {
        return build(TopologyLanguage.compile(file), warnings);
    }

    /** Loads topology text; {@code name} is the file name diagnostics show. */
    public static Machine load(String name, String text, Consumer<String> warnings) {
        return build(TopologyLanguage.compile(new SourceFile(name, text)), warnings);
    }

    private static Machine build(TopoResult result, Consumer<String> warnings) {
        if (result.hasErrors()) {
            throw new MachineLoadException(result.render());
        }
        if (!result.diagnostics().isEmpty()) {
            var rendered = new io.flotilla.dsl.diag.DiagnosticRenderer(result.sources());
            for (Diagnostic d : result.diagnostics()) {
                warnings.accept(rendered.render(d));
            }
        }
        return toMachine(result.model().orElseThrow());
    }

    static Machine toMachine(Topology t) {
        List<Core> cores = new ArrayList<>();
        Map<Integer, List<Integer>> byPackage = new HashMap<>();
        Map<Integer, List<Integer>> byNuma = new HashMap<>();
        for (TopoCore c : t.cores()) {
            cores.add(new Core(c.id(), c.packageId(), c.numaNode(), c.physicalCore(), c.thread()));
            byPackage.computeIfAbsent(c.packageId(), k -> new ArrayList<>()).add(c.id());
            byNuma.computeIfAbsent(c.numaNode(), k -> new ArrayList<>()).add(c.id());
        }
        List<CpuPackage> packages = new ArrayList<>();
        for (TopoPackage p : t.packages()) {
            packages.add(new CpuPackage(p.id(), byPackage.getOrDefault(p.id(), List.of()), p.localLatency()));
        }
        List<NumaNode> numa = new ArrayList<>();
        for (TopoNuma n : t.numaNodes()) {
            numa.add(new NumaNode(n.id(), n.memoryBytes(), byNuma.getOrDefault(n.id(), List.of())));
        }
        List<Cache> caches = new ArrayList<>();
        for (TopoCache c : t.caches()) {
            caches.add(new Cache(c.name(), c.level(), c.type(), c.sizeBytes(), c.lineBytes(), c.associativity(),
                    c.latency(), c.cores()));
        }
        List<Link> links = new ArrayList<>();
        for (TopoLink l : t.links()) {
            links.add(new Link(l.a(), l.b(), l.latency(), l.bandwidthGBps()));
        }
        Map<Long, Long> measured = new HashMap<>();
        for (TopoMeasured m : t.measured()) {
            measured.put(Machine.pairKey(m.a(), m.b()), m.latency());
        }
        return new Machine(t.name(), t.clockGhz(), t.remoteLatency(), cores, packages, numa, caches, links, measured,
                t.costs());
    }
}
