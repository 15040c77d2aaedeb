package io.flotilla.codegen.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.palantir.javapoet.JavaFile;
import io.flotilla.boot.MachineModule;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportSelector;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.topo.TopoResult;
import io.flotilla.dsl.topo.TopologyLanguage;
import io.flotilla.dsl.topo.model.Topology;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.skb.Skb;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiled machines: generated, compiled with javac (-Werror, doclint), loaded, and equal to the parsed ones. */
class MachineClassGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void compiledMachinesAreTheParsedMachines() throws Exception {
        List<String> names = List.of("amd-8x4", "numa-256", "mesh-1024");
        List<Path> sources = new ArrayList<>();
        var generator = new MachineClassGenerator("gen.machines");
        for (String name : names) {
            JavaFile file = generator.generate(topology(name));
            sources.add(file.writeToPath(dir.resolve("src")));
        }
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        var log = new java.io.ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-Xlint:all", "-Xdoclint:all/protected", "-Werror",
                "--release", "17", "-proc:none", "-classpath", classPath(), "-d", out.toString()));
        sources.forEach(p -> args.add(p.toString()));
        int status = ToolProvider.getSystemJavaCompiler().run(null, log, log,
                args.toArray(String[]::new));
        assertThat(status).as(log.toString()).isZero();
        try (var loader = new URLClassLoader(new java.net.URL[] {out.toUri().toURL()},
                getClass().getClassLoader())) {
            for (String name : names) {
                Class<?> c = loader.loadClass("gen.machines." + MachineClassGenerator.className(name));
                Machine compiled = (Machine) c.getMethod("machine").invoke(null);
                assertSameMachine(compiled, Machines.load(name));
                assertThat(c.getField("NAME").get(null)).isEqualTo(name);
                assertThat(c.getField("CORES").get(null)).isEqualTo(compiled.coreCount());
                assertThat(c.getField("CORE_17").get(null)).isEqualTo(17);
                assertThat(c.getField("PACKAGE_3").get(null)).isEqualTo(3);
                assertThat(c.getMethod("machine").invoke(null)).isSameAs(compiled);
                if (name.equals("amd-8x4")) {
                    assertModuleBindsTheMachine(c, compiled);
                }
            }
        }
    }

    /** The largest machine the topology language allows: its class must compile, without per-core constants. */
    @Test
    void theLargestMachineCompilesWithoutPerCoreConstants() throws Exception {
        String text = """
                machine "huge" {
                    clock 2 GHz
                    for p in 0..15 { package p { numa p memory 1 GiB  cores p * 4096 .. p * 4096 + 4095 } }
                    for p in 0..14 { link p -- p + 1 latency 100 }
                }
                """;
        TopoResult r = TopologyLanguage.compile(new SourceFile("huge.topo", text));
        assertThat(r.hasErrors()).as(r.render()).isFalse();
        Topology huge = r.model().orElseThrow();
        assertThat(huge.cores()).hasSize(1 << 16);
        Path source = new MachineClassGenerator("gen.huge").generate(huge).writeToPath(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("classes"));
        var log = new java.io.ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, log, log, "-Xlint:all", "-Werror", "--release",
                "17", "-proc:none", "-classpath", classPath(), "-d", out.toString(), source.toString());
        assertThat(status).as(log.toString()).isZero();
        try (var loader = new URLClassLoader(new java.net.URL[] {out.toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> c = loader.loadClass("gen.huge.HugeMachine");
            assertThat(c.getField("CORES").get(null)).isEqualTo(1 << 16);
            assertThat(c.getFields()).noneMatch(f -> f.getName().startsWith("CORE_"));
            assertThat(((Machine) c.getMethod("machine").invoke(null)).coreCount()).isEqualTo(1 << 16);
        }
    }

    /** Measured costs (a message's CPU, kernel crossings) travel into the compiled class. */
    @Test
    void aMeasuredMessageCpuCostIsCompiledIn() throws Exception {
        String text = """
                machine "twin" {
                    clock 2.6 GHz
                    numa 0 memory 1 GiB
                    package 0 { numa 0 cores 0..1 }
                    measured 0 -- 1 latency 420
                    measured message-cpu 93
                    measured interrupt-trap 310
                    measured system-call 0
                }
                """;
        TopoResult r = TopologyLanguage.compile(new SourceFile("twin.topo", text));
        assertThat(r.hasErrors()).as(r.render()).isFalse();
        Path source = new MachineClassGenerator("gen.twin").generate(r.model().orElseThrow())
                .writeToPath(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("classes"));
        var log = new java.io.ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, log, log, "-Xlint:all", "-Werror", "--release",
                "17", "-proc:none", "-classpath", classPath(), "-d", out.toString(), source.toString());
        assertThat(status).as(log.toString()).isZero();
        try (var loader = new URLClassLoader(new java.net.URL[] {out.toUri().toURL()},
                getClass().getClassLoader())) {
            Machine compiled = (Machine) loader.loadClass("gen.twin.TwinMachine").getMethod("machine").invoke(null);
            assertThat(compiled.messageCpuCycles()).hasValue(93);
            assertThat(compiled.cost(io.flotilla.dsl.topo.model.TopoCost.INTERRUPT_TRAP)).hasValue(310);
            assertThat(compiled.cost(io.flotilla.dsl.topo.model.TopoCost.SYSTEM_CALL)).hasValue(0);
            assertThat(compiled.costs()).hasSize(3);
            assertThat(compiled.latency(0, 1)).isEqualTo(420);
        }
    }

    @Test
    void classNamesAreJavaNames() {
        assertThat(MachineClassGenerator.className("amd-8x4")).isEqualTo("Amd8x4Machine");
        assertThat(MachineClassGenerator.className("mesh-1024")).isEqualTo("Mesh1024Machine");
        assertThat(MachineClassGenerator.className("1st.box")).isEqualTo("M1stBoxMachine");
    }

    /** The generated module() wires the compiled machine, its SKB and the SKB's transport choice per core pair. */
    private static void assertModuleBindsTheMachine(Class<?> machineClass, Machine compiled) throws Exception {
        MachineModule module = (MachineModule) machineClass.getMethod("module").invoke(null);
        Injector injector = Guice.createInjector(module);
        assertThat(injector.getInstance(Machine.class)).isSameAs(compiled);
        assertThat(injector.getInstance(Skb.class).query("multicast_tree(0, Sends)")).hasSize(1);
        TransportSelector selector = injector.getInstance(TransportSelector.class);
        assertThat(selector.select(Endpoint.local(5), Endpoint.local(5))).isEqualTo(TransportSelector.LRPC);
        assertThat(selector.select(Endpoint.local(5), Endpoint.local(6))).isEqualTo(TransportSelector.URPC);
        assertThat(selector.select(Endpoint.local(5), new Endpoint("elsewhere", 1, 5)))
                .isEqualTo(TransportSelector.NET);
    }

    private static Topology topology(String name) {
        TopoResult r = TopologyLanguage.compile(new SourceFile(name + ".topo", Machines.source(name)));
        assertThat(r.hasErrors()).as(r.render()).isFalse();
        return r.model().orElseThrow();
    }

    private static void assertSameMachine(Machine a, Machine b) {
        assertThat(a.name()).isEqualTo(b.name());
        assertThat(a.clockGhz()).isEqualTo(b.clockGhz());
        assertThat(a.remoteLatency()).isEqualTo(b.remoteLatency());
        assertThat(a.cores()).isEqualTo(b.cores());
        assertThat(a.packages()).isEqualTo(b.packages());
        assertThat(a.numaNodes()).isEqualTo(b.numaNodes());
        assertThat(a.caches()).isEqualTo(b.caches());
        assertThat(a.links()).isEqualTo(b.links());
        assertThat(a.measured()).isEqualTo(b.measured());
        assertThat(a.messageCpuCycles()).isEqualTo(b.messageCpuCycles());
    }

    /** The test class path plus where the framework's classes live (surefire may hide them in a jar). */
    private static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)));
        entries.add(Path.of(Machine.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(java.io.File.pathSeparator, entries);
    }
}
