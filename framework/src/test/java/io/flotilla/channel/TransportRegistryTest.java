package io.flotilla.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.transport.ChannelContract;
import io.flotilla.transport.lrpc.LrpcChannel;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.SlotSpacing;
import io.flotilla.transport.urpc.UrpcChannel;
import io.flotilla.transport.urpc.UrpcTransport;
import org.junit.jupiter.api.Test;

class TransportRegistryTest {

    static final Endpoint CORE0 = new Endpoint("m1", 100, 0);
    static final Endpoint CORE1 = new Endpoint("m1", 100, 1);
    static final Endpoint OTHER_PROCESS = new Endpoint("m1", 200, 1);
    static final Endpoint OTHER_MACHINE = new Endpoint("m2", 100, 0);

    @Test
    void discoversTheShippedTransports() {
        TransportRegistry registry = TransportRegistry.discover();
        assertThat(registry.names()).contains("lrpc", "urpc");
        assertThat(registry.get("urpc")).isInstanceOf(UrpcTransport.class);
    }

    @Test
    void selectsByLocalityUnlessForced() {
        TransportSelector selector = TransportSelector.byLocality();
        assertThat(selector.select(CORE0, CORE0)).isEqualTo("lrpc");
        assertThat(selector.select(CORE0, CORE1)).isEqualTo("urpc");
        assertThat(selector.select(CORE0, OTHER_PROCESS)).isEqualTo("urpc");
        assertThat(selector.select(CORE0, OTHER_MACHINE)).isEqualTo("net");
        assertThat(TransportSelector.forced("urpc").select(CORE0, CORE0)).isEqualTo("urpc");
    }

    @Test
    void withoutOptionsEachTransportOpensItsOwnRingSize() {
        TransportRegistry registry = TransportRegistry.discover();
        Endpoint a = Endpoint.local(0);
        Endpoint b = Endpoint.local(1);
        assertThat(registry.get("lrpc").defaultSlots()).isEqualTo(ChannelOptions.DEFAULT_SLOTS);
        assertThat(registry.open(a, a, TransportSelector.byLocality()).left().capacity()).isEqualTo(32);
        assertThat(registry.open(a, b, TransportSelector.byLocality()).left().capacity()).isEqualTo(256);
        ChannelPair net = registry.get("net").open(a, b);
        try {
            assertThat(net.left().capacity()).isEqualTo(1024);
        } finally {
            net.left().close();
            net.right().close();
        }
        // named options win
        assertThat(registry.open(a, b, TransportSelector.byLocality(), ChannelOptions.DEFAULT).left().capacity())
                .isEqualTo(32);
    }

    @Test
    void opensWhatTheSelectorPicks() {
        TransportRegistry registry = TransportRegistry.discover();
        Endpoint a = Endpoint.local(0);
        Endpoint b = Endpoint.local(1);
        ChannelPair sameCore = registry.open(a, a, TransportSelector.byLocality(), ChannelOptions.DEFAULT);
        assertThat(sameCore.left()).isInstanceOf(LrpcChannel.class);
        ChannelPair crossCore = registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.withSlots(8).with(UrpcTransport.FLOW_CONTROL, "used-bit"));
        assertThat(crossCore.left()).isInstanceOf(UrpcChannel.class);
        assertThat(((UrpcChannel) crossCore.left()).flowControl()).isEqualTo(FlowControl.USED_BIT);
        assertThat(crossCore.left().capacity()).isEqualTo(8);
        ChannelContract.send(crossCore.left(), 1);
        assertThat(crossCore.right().poll(new ChannelContract.Sequence(), 8)).isEqualTo(1);
        ChannelPair forced = registry.open(a, a, TransportSelector.forced("urpc"), ChannelOptions.DEFAULT);
        assertThat(((UrpcChannel) forced.left()).flowControl()).isEqualTo(UrpcTransport.DEFAULT_FLOW_CONTROL);
        assertThat(((UrpcChannel) forced.left()).handsBack()).as("one core shares its own caches").isTrue();
        assertThat(((UrpcChannel) forced.left()).spacing()).isEqualTo(SlotSpacing.SPREAD);
        ChannelPair told = registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.with(UrpcTransport.SHARED_CACHE, "false"));
        assertThat(((UrpcChannel) told.left()).flowControl()).isEqualTo(FlowControl.EPOCH);
        assertThat(((UrpcChannel) told.left()).handsBack()).isFalse();
        assertThat(((UrpcChannel) told.right()).handsBack()).isFalse();
        ChannelPair shared = registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.with(UrpcTransport.SHARED_CACHE, "true"));
        assertThat(((UrpcChannel) shared.left()).flowControl()).isEqualTo(FlowControl.EPOCH);
        assertThat(((UrpcChannel) shared.left()).handsBack()).isTrue();
        assertThat(((UrpcChannel) shared.right()).handsBack()).isTrue();
        ChannelPair overruled = registry.open(a, b, TransportSelector.byLocality(), ChannelOptions.DEFAULT
                .with(UrpcTransport.SHARED_CACHE, "true").with(UrpcTransport.HAND_BACK, "false"));
        assertThat(((UrpcChannel) overruled.left()).handsBack()).isFalse();
        assertThatThrownBy(() -> registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.with(UrpcTransport.SHARED_CACHE, "yes")))
                .hasMessageContaining("urpc.sharedCache");
        assertThatThrownBy(() -> registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.with(UrpcTransport.HAND_BACK, "often")))
                .hasMessageContaining("urpc.handBack").hasMessageContaining("'often'");
        ChannelPair packed = registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.with(UrpcTransport.SLOT_SPACING, "Packed"));
        assertThat(((UrpcChannel) packed.left()).spacing()).isEqualTo(SlotSpacing.PACKED);
        assertThatThrownBy(() -> registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.with(UrpcTransport.SLOT_SPACING, "sparse")))
                .hasMessageContaining("urpc.slotSpacing").hasMessageContaining("'sparse'");

        assertThatThrownBy(() -> registry.open(a, b, TransportSelector.forced("lrpc"), ChannelOptions.DEFAULT))
                .hasMessageContaining("cannot join");
        assertThatThrownBy(() -> registry.open(a, b, TransportSelector.forced("pigeon"), ChannelOptions.DEFAULT))
                .hasMessageContaining("no transport named 'pigeon'").hasMessageContaining("urpc");
        assertThatThrownBy(() -> registry.open(a, b, TransportSelector.byLocality(),
                ChannelOptions.DEFAULT.with(UrpcTransport.ACK_BATCH, "lots")))
                .hasMessageContaining("urpc.ackBatch");
    }

    @Test
    void refusesBadTransports() {
        Transport future = new Transport() {
            @Override
            public String name() {
                return "warp";
            }

            @Override
            public int spiVersion() {
                return Transport.SPI_VERSION + 1;
            }

            @Override
            public boolean canConnect(Endpoint a, Endpoint b) {
                return true;
            }

            @Override
            public ChannelPair open(Endpoint a, Endpoint b, ChannelOptions options) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> TransportRegistry.of(future)).hasMessageContaining("'warp'")
                .hasMessageContaining("version " + (Transport.SPI_VERSION + 1));
        assertThatThrownBy(() -> TransportRegistry.of(new UrpcTransport(), new UrpcTransport()))
                .hasMessageContaining("two transports are named 'urpc'");
        assertThat(TransportRegistry.empty().find("urpc")).isEmpty();
    }

    @Test
    void validatesEndpointsAndOptions() {
        assertThatThrownBy(() -> new Endpoint(" ", 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoint("m", 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelOptions.DEFAULT.withSlots(12)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Endpoint.local(3).sameCore(Endpoint.local(3))).isTrue();
        assertThat(ChannelOptions.DEFAULT.with("k", "v").property("k", "x")).isEqualTo("v");
    }
}
