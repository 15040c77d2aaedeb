package io.flotilla.skb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.channel.TransportSelector;
import io.flotilla.machine.Machines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SkbTransportSelectorTest {

    static final String HERE = "box-a";
    static SkbTransportSelector selector;

    @BeforeAll
    static void load() {
        selector = new SkbTransportSelector(Skb.of(Machines.load("amd-8x4")), HERE);
    }

    static Endpoint at(String machine, long process, int core) {
        return new Endpoint(machine, process, core);
    }

    @Test
    void theSkbRulePicksByCoreAndMachine() {
        assertThat(selector.select(at(HERE, 1, 3), at(HERE, 1, 3))).isEqualTo(TransportSelector.LRPC);
        assertThat(selector.select(at(HERE, 1, 3), at(HERE, 1, 4))).isEqualTo(TransportSelector.URPC);
        assertThat(selector.select(at(HERE, 1, 0), at(HERE, 1, 31))).isEqualTo(TransportSelector.URPC);
        assertThat(selector.select(at(HERE, 1, 3), at("box-b", 1, 3))).isEqualTo(TransportSelector.NET);
        assertThat(selector.select(at("box-b", 1, 3), at(HERE, 1, 3))).isEqualTo(TransportSelector.NET);
        // Two cores of one other machine: the rule still knows they share memory.
        assertThat(selector.select(at("box-b", 1, 3), at("box-b", 1, 5))).isEqualTo(TransportSelector.URPC);
        assertThat(selector.select(at("box-b", 1, 3), at("box-c", 1, 3))).isEqualTo(TransportSelector.NET);
    }

    @Test
    void agreesWithTheLocalityRuleOnEveryCorePairOfOneProcess() {
        TransportSelector locality = TransportSelector.byLocality();
        for (int a = 0; a < 32; a += 5) {
            for (int b = 0; b < 32; b += 3) {
                Endpoint x = at(HERE, 1, a);
                Endpoint y = at(HERE, 1, b);
                assertThat(selector.select(x, y)).as(x + " " + y).isEqualTo(locality.select(x, y));
            }
        }
    }

    @Test
    void oneCoreOfTwoProcessesIsUrpcNotLrpc() {
        assertThat(selector.select(at(HERE, 1, 3), at(HERE, 2, 3))).isEqualTo(TransportSelector.URPC);
    }

    @Test
    void aRemoteMachineNamedLikeARuleTagIsStillRemote() {
        assertThat(selector.select(at(HERE, 1, 3), at("here", 1, 3))).isEqualTo(TransportSelector.NET);
        assertThat(selector.select(at("it's", 1, 3), at(HERE, 1, 3))).isEqualTo(TransportSelector.NET);
    }

    @Test
    void aCoreTheMachineLacksIsRefusedByName() {
        assertThatThrownBy(() -> selector.select(at(HERE, 1, 32), at(HERE, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("core 32").hasMessageContaining("amd-8x4 has cores 0..31");
    }

    @Test
    void opensRealChannelsThroughTheRegistry() {
        var local = new SkbTransportSelector(selector.skb(), Endpoint.localMachine());
        TransportRegistry registry = TransportRegistry.discover();
        ChannelPair pair = registry.open(Endpoint.local(1), Endpoint.local(2), local, ChannelOptions.DEFAULT);
        assertThat(pair.left().getClass().getName()).contains("urpc");
        pair.left().close();
        pair.right().close();
    }
}
