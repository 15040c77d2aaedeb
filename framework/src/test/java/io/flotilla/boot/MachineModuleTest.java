package io.flotilla.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.channel.TransportSelector;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.skb.Send;
import io.flotilla.skb.Skb;
import io.flotilla.skb.SkbTransportSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineModuleTest {

    @Test
    void bindsTheMachineItsSkbAndTheSkbTransportSelector() {
        Machine amd = Machines.load("amd-8x4");
        Injector injector = Guice.createInjector(new MachineModule(amd));

        assertThat(injector.getInstance(Machine.class)).isSameAs(amd);
        Skb skb = injector.getInstance(Skb.class);
        assertThat(skb).isSameAs(injector.getInstance(Skb.class));
        assertThat(skb.machine()).isSameAs(amd);
        List<Send> tree = skb.multicastTree(0);
        assertThat(tree).hasSize(31);
        assertThat(skb.query("multicast_tree(0, Sends)")).hasSize(1);

        TransportSelector selector = injector.getInstance(TransportSelector.class);
        assertThat(selector).isInstanceOf(SkbTransportSelector.class);
        assertThat(((SkbTransportSelector) selector).skb()).isSameAs(skb);
        Endpoint core3 = Endpoint.local(3);
        assertThat(selector.select(core3, Endpoint.local(3))).isEqualTo(TransportSelector.LRPC);
        assertThat(selector.select(core3, Endpoint.local(17))).isEqualTo(TransportSelector.URPC);
        assertThat(selector.select(core3, new Endpoint("elsewhere", 1, 3))).isEqualTo(TransportSelector.NET);

        assertThat(injector.getInstance(TransportRegistry.class).names()).contains("lrpc", "urpc", "net");
    }

    @Test
    void installingTheModuleOfOneMachineTwiceIsInstallingItOnce() {
        Machine amd = Machines.load("amd-2x2");
        Injector injector = Guice.createInjector(new MachineModule(amd), new MachineModule(amd));
        assertThat(injector.getInstance(Machine.class)).isSameAs(amd);
    }
}
