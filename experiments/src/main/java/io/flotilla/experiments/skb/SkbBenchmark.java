package io.flotilla.experiments.skb;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.skb.Send;
import io.flotilla.skb.Skb;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SKB's cost on a large machine: building the knowledge base (facts from the machine model, rule library) and
 * asking it for the NUMA-aware multicast tree. Goal (issue 4): well under a second for the 1024-core machine.
 *
 * <p>JMH: {@code java -jar experiments/target/benchmarks.jar SkbBenchmark}. Without JMH, {@link #main} times a
 * cold first run (what a boot pays) and the median of warm runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class SkbBenchmark {

    @Param({"mesh-1024"})
    public String machineName;

    private Machine machine;
    private Skb skb;

    @Setup
    public void setUp() {
        machine = Machines.load(machineName);
        skb = Skb.of(machine);
    }

    /** Facts and rules for the whole machine, then the tree from core 0. */
    @Benchmark
    public List<Send> buildFactsAndMulticastTree() {
        return Skb.of(machine).multicastTree(0);
    }

    /** The tree alone, on a built knowledge base. */
    @Benchmark
    public List<Send> multicastTree() {
        return skb.multicastTree(0);
    }

    /** The machine model from its .topo source: parse, expand, check, all-pairs tables. */
    @Benchmark
    public Machine parseMachine() {
        return io.flotilla.machine.TopologyLoader.load(machineName + ".topo", Machines.source(machineName), w -> { });
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "mesh-1024";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long t0 = System.nanoTime();
        Machine m = io.flotilla.machine.TopologyLoader.load(name + ".topo", Machines.source(name), w -> { });
        long t1 = System.nanoTime();
        Skb skb = Skb.of(m);
        long t2 = System.nanoTime();
        List<Send> tree = skb.multicastTree(0);
        long t3 = System.nanoTime();
        System.out.printf("%s: %d cores, %d sends%n", name, m.coreCount(), tree.size());
        System.out.printf("cold: parse machine %.1f ms, build SKB %.1f ms, multicast tree %.1f ms%n",
                ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));
        double[] parse = new double[runs];
        double[] build = new double[runs];
        double[] treeTimes = new double[runs];
        for (int i = 0; i < runs; i++) {
            long a = System.nanoTime();
            io.flotilla.machine.TopologyLoader.load(name + ".topo", Machines.source(name), w -> { });
            long b = System.nanoTime();
            Skb s = Skb.of(m);
            long c = System.nanoTime();
            s.multicastTree(0);
            long d = System.nanoTime();
            parse[i] = ms(b - a);
            build[i] = ms(c - b);
            treeTimes[i] = ms(d - c);
        }
        System.out.printf("warm median of %d: parse machine %.1f ms, build SKB %.1f ms, multicast tree %.1f ms%n",
                runs, median(parse), median(build), median(treeTimes));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
