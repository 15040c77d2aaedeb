package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.trace.ChromeTraceWriter;
import io.flotilla.trace.MiniJson;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TraceAndMetricsTest {

    private static final int ROUNDS = 50;
    /**
     * The monitors' own messages of one bind, which a trace shows (and metrics leave out): register (core 0 to
     * itself), resolve and resolved (5 to 0 and back), bind_request and bind_local (5 to 0 and back).
     */
    private static final int MONITOR_MESSAGES = 5;
    private static final int CORES = 8;
    private static Machine amd;

    @BeforeAll
    static void load() {
        amd = Machines.load("amd-8x4");
    }

    /** A server whose name needs escaping in JSON. */
    static final class OddlyNamedServer extends PingPong.Server {
        OddlyNamedServer() {
            super("ping");
        }

        @Override
        public String name() {
            return "server \"zero\"\\\n\u0001";
        }
    }

    /** Server on core 0, client on core 5 (one HyperTransport hop), ROUNDS round trips; returns the kernel. */
    private static Multikernel run(Tracer tracer) {
        Multikernel.Builder b = Multikernel.builder(amd, new SimPlatform(7)).out(null).cores(CORES)
                .dispatcher(0, new OddlyNamedServer()).dispatcher(5, new PingPong.Client("ping", ROUNDS, true));
        if (tracer != null) {
            b.tracer(tracer);
        }
        Multikernel mk = b.boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(mk.failures()).isEmpty();
        return mk;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(String json) {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(json);
        assertThat(root).containsEntry("displayTimeUnit", "ns");
        return (List<Map<String, Object>>) root.get("traceEvents");
    }

    @Test
    void traceHasOneTrackPerCoreSlicesAndMatchingFlows() {
        StringWriter text = new StringWriter();
        ChromeTraceWriter writer = new ChromeTraceWriter(text);
        run(writer);
        writer.close();
        List<Map<String, Object>> events = events(text.toString());

        List<Object> threads = events.stream().filter(e -> "thread_name".equals(e.get("name")))
                .map(e -> ((Map<?, ?>) e.get("args")).get("name")).collect(Collectors.toList());
        assertThat(threads).hasSize(CORES).doesNotHaveDuplicates().contains("core 0", "core 7");

        List<Map<String, Object>> slices = events.stream().filter(e -> "X".equals(e.get("ph"))).toList();
        assertThat(slices).isNotEmpty().allSatisfy(e -> {
            assertThat((Double) e.get("dur")).isGreaterThanOrEqualTo(0.0);
            assertThat((Double) e.get("ts")).isGreaterThanOrEqualTo(0.0);
        });
        assertThat(slices).extracting(e -> e.get("name")).contains("server \"zero\"\\\n\u0001", "Client@5");
        // every ping is handled on core 0 and every pong on core 5, each in a "receive" slice; so is each monitor
        // message of the bind, in a slice of the monitor's
        assertThat(slices.stream().filter(e -> "receive".equals(e.get("cat")) && !"monitor".equals(e.get("name"))))
                .hasSize(2 * ROUNDS);
        assertThat(slices.stream().filter(e -> "receive".equals(e.get("cat")) && "monitor".equals(e.get("name")))
                .map(e -> e.get("tid"))).containsExactly(0.0, 0.0, 5.0, 0.0, 5.0);

        Map<Object, Long> starts = events.stream().filter(e -> "s".equals(e.get("ph")))
                .collect(Collectors.groupingBy(e -> e.get("id"), Collectors.counting()));
        Map<Object, Long> ends = events.stream().filter(e -> "f".equals(e.get("ph")))
                .peek(e -> assertThat(e).containsEntry("bp", "e"))
                .collect(Collectors.groupingBy(e -> e.get("id"), Collectors.counting()));
        assertThat(starts).hasSize(2 * ROUNDS + MONITOR_MESSAGES).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(ends).isEqualTo(starts);

        // each arrow starts and ends inside a slice of its core, which is what Perfetto binds it to
        Map<Object, List<Map<String, Object>>> byCore = new HashMap<>();
        slices.forEach(s -> byCore.computeIfAbsent(s.get("tid"), k -> new java.util.ArrayList<>()).add(s));
        events.stream().filter(e -> "s".equals(e.get("ph")) || "f".equals(e.get("ph"))).forEach(e -> {
            double ts = (Double) e.get("ts");
            assertThat(byCore.get(e.get("tid"))).anySatisfy(s -> {
                double start = (Double) s.get("ts");
                assertThat(ts).isBetween(start - 1e-9, start + (Double) s.get("dur") + 1e-9);
            });
        });
    }

    @Test
    void tracingDoesNotChangeTheTraceHash() {
        long untraced = run(null).traceHash().orElseThrow();
        ChromeTraceWriter writer = new ChromeTraceWriter(new StringWriter());
        long traced = run(writer).traceHash().orElseThrow();
        writer.close();
        assertThat(traced).isEqualTo(untraced);
        assertThat(writer.events()).isGreaterThan(4L * ROUNDS);
    }

    @Test
    void metricsCountEveryMessageAndItsLatency() {
        Metrics m = run(null).metrics();
        assertThat(m.cores()).isEqualTo(CORES);
        assertThat(m.messagesSent()).isEqualTo(2L * ROUNDS);
        assertThat(m.messagesReceived()).isEqualTo(2L * ROUNDS);
        assertThat(m.messagesSent(5)).isEqualTo(ROUNDS);
        assertThat(m.messagesReceived(0)).isEqualTo(ROUNDS);
        assertThat(m.messagesSent(0)).isEqualTo(ROUNDS);
        assertThat(m.messagesReceived(5)).isEqualTo(ROUNDS);
        assertThat(m.bytesSent()).isEqualTo(2L * ROUNDS * 64);
        assertThat(m.bytesReceived()).isEqualTo(m.bytesSent());
        // one-frame URPC message over one hop: Table 2's 613 cycles plus at most 8 of jitter
        assertThat(m.latencyPercentile(50)).isBetween(613L, 622L);
        assertThat(m.latencyMax()).isBetween(613L, 622L);
        assertThat(m.latencyHistogram().getTotalCount()).isEqualTo(2L * ROUNDS);
        assertThat(m.summary()).contains("100 messages sent, 100 received, 6400 bytes sent", "p50 ", "p99 ");
    }

    @Test
    void aTracerSetOnThePlatformIsUsedWhenTheBuilderNamesNone() {
        StringWriter text = new StringWriter();
        ChromeTraceWriter writer = new ChromeTraceWriter(text);
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(7).tracer(writer)).out(null).cores(2)
                .dispatcher(0, new PingPong.Server("p")).dispatcher(1, new PingPong.Client("p", 3, true)).boot();
        mk.run(Duration.ofSeconds(1));
        writer.close();
        assertThat(mk.tracer()).isSameAs(writer);
        assertThat(events(text.toString()).stream().filter(e -> "f".equals(e.get("ph"))))
                .hasSize(6 + MONITOR_MESSAGES);
    }
}
