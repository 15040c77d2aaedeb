package io.flotilla.experiments.transport;

import io.flotilla.transport.urpc.FlowControl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every contestant {@link TransportBench} knows, by label ({@link Contestant#label}: the key, with {@code /56} for
 * the full-frame payload), in the order a run measures them. Made only when chosen: some start a process or open a
 * TCP connection. A {@link ContestantHost} makes its one contestant from here by label.
 */
final class Contestants {

    /**
     * Contestants measured only when named with {@code --only}: urpc's other configurations, the ring floors, the
     * runtime's layers. They answer questions about urpc's design; the default run compares urpc as a program gets it
     * ({@code urpc}) with its peers.
     */
    private static final Pattern DIAGNOSTIC =
            Pattern.compile("urpc-(epoch|used-bit|packed).*|floor-ring.*|binding.*");

    private static final Map<String, Supplier<Contestant>> ALL = registry();

    private Contestants() {}

    private static Map<String, Supplier<Contestant>> registry() {
        Map<String, Supplier<Contestant>> all = new LinkedHashMap<>();
        all.put("floor", Floor::new);
        all.put("floor-2lines", Floor::twoLines);
        all.put("floor-ring", () -> new RingFloor("floor-ring", true));
        all.put("floor-ring-packed", () -> new RingFloor("floor-ring-packed", false));
        all.put("floor-ring-interleaved", () -> new RingFloor("floor-ring-interleaved", false, true));
        all.put("urpc", () -> ChannelContestant.urpcAsOpened("urpc", 1));
        all.put("runtime", RuntimeContestant::new);
        all.put("agrona", AgronaContestant::new);
        all.put("jctools", JctoolsContestant::new);
        all.put("disruptor", DisruptorContestant::new);
        all.put("abq", AbqContestant::new);
        all.put("urpc-epoch", () -> ChannelContestant.urpc("urpc-epoch", FlowControl.EPOCH));
        all.put("urpc-used-bit", () -> ChannelContestant.urpc("urpc-used-bit", FlowControl.USED_BIT));
        all.put("urpc-process", ProcessUrpcContestant::new);
        all.put("net", NetContestant::new);
        all.put("binding", () -> new BindingContestant("binding", false));
        all.put("binding-metered", () -> new BindingContestant("binding-metered", true));
        // what the spread slots buy; how the ack batch moves the numbers (used-bit-ack1 clears each slot at once, as
        // before the clears were deferred)
        all.put("urpc-packed", () -> ChannelContestant.urpcPacked("urpc-packed", 1));
        for (int batch : new int[] {1, 8, 32}) {
            all.put("urpc-epoch-ack" + batch, () -> ChannelContestant.urpc("urpc-epoch-ack" + batch,
                    FlowControl.EPOCH, batch));
            all.put("urpc-used-bit-ack" + batch, () -> ChannelContestant.urpc("urpc-used-bit-ack" + batch,
                    FlowControl.USED_BIT, batch));
        }
        // The same queues carrying a full frame's payload (56 bytes). The floors and the contestants that cross a
        // process or a socket run at 8 bytes only.
        all.put("urpc/56", () -> ChannelContestant.urpcAsOpened("urpc", Contestant.FULL));
        all.put("agrona/56", () -> new AgronaContestant(Contestant.FULL));
        all.put("jctools/56", () -> new JctoolsContestant(Contestant.FULL));
        all.put("disruptor/56", () -> new DisruptorContestant(Contestant.FULL));
        all.put("abq/56", () -> new AbqContestant(Contestant.FULL));
        all.put("urpc-epoch/56", () -> ChannelContestant.urpcWords("urpc-epoch", FlowControl.EPOCH,
                Contestant.FULL));
        all.put("urpc-used-bit/56", () -> ChannelContestant.urpcWords("urpc-used-bit", FlowControl.USED_BIT,
                Contestant.FULL));
        all.put("urpc-packed/56", () -> ChannelContestant.urpcPacked("urpc-packed", Contestant.FULL));
        return Collections.unmodifiableMap(all);
    }

    /**
     * The labels a run measures, in the registry's order: those in {@code only}, or every one that is not a
     * diagnostic when {@code only} is empty.
     *
     * @throws IllegalArgumentException naming the first label in {@code only} that is no contestant's
     */
    static List<String> chosen(List<String> only) {
        for (String label : only) {
            if (!ALL.containsKey(label)) {
                throw new IllegalArgumentException("no contestant '" + label + "'; the contestants are "
                        + String.join(", ", ALL.keySet()));
            }
        }
        List<String> labels = new ArrayList<>();
        for (String label : ALL.keySet()) {
            if (only.isEmpty() ? !DIAGNOSTIC.matcher(Contestant.keyOf(label)).matches() : only.contains(label)) {
                labels.add(label);
            }
        }
        return labels;
    }

    /** A new contestant for {@code label}, one of {@link #chosen}'s. */
    static Contestant make(String label) {
        Supplier<Contestant> maker = ALL.get(label);
        if (maker == null) {
            throw new IllegalArgumentException("no contestant '" + label + "'");
        }
        return maker.get();
    }
}
