package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.kernel.node.Membership.Stage;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The join protocol's state machine on its own, without sockets: node 1 of three (cores 0-1, 2-3, 4-5 of amd-8x4),
 * which dials node 0 and is dialled by node 2, is fed its peers' messages through the links' handlers, as the pump
 * would, and its links and run record what it does.
 */
class MembershipTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final byte[] SECRET = "a cluster secret for tests".getBytes(StandardCharsets.UTF_8);
    static final String PEERS = "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002";

    /** A link that records what the membership says on it. */
    static final class FakeLink implements MembershipLink {
        final int dialled;
        int node = -1;
        boolean closed;
        final List<String> said = new ArrayList<>();

        FakeLink(int dialled) {
            this.dialled = dialled;
        }

        public int dialled() {
            return dialled;
        }

        public int node() {
            return node;
        }

        public void introduce(int node) {
            this.node = node;
        }

        public String peer() {
            return node >= 0 ? "node " + node + " (fake)" : dialled >= 0 ? "node " + dialled + " (fake)" : "peer fake";
        }

        public String remote() {
            return "fake";
        }

        public void sayHello() {
            said.add("HELLO");
        }

        public void sayView(long digest) {
            said.add("VIEW " + Long.toHexString(digest));
        }

        public CompletableFuture<?> refuse(String reason) {
            said.add("LEAVE " + reason);
            closed = true;
            return CompletableFuture.completedFuture(null);
        }

        public void closeAfterLeave() {
            closed = true;
        }
    }

    /** The node's run, recording what the membership asks of it. */
    static final class FakeRun implements MembershipRun {
        final List<String> events = new ArrayList<>();

        public void stopAsked() {
            events.add("stop");
        }

        public void coresLost(int first, int last, String reason) {
            events.add("cores_lost " + first + "-" + last);
        }

        public void stopOnceHandled(boolean lost) {
            events.add(lost ? "stop once handled (lost)" : "stop once handled (all left)");
        }
    }

    final Refusals refusals = new Refusals();
    final FakeRun run = new FakeRun();
    final Membership<FakeLink> node1 = new Membership<>(
            NodeConfig.of(1, NodeConfig.parsePeers(PEERS), SECRET, AMD, 2, 3).withHostId(""), 101, refusals, run);
    final FakeLink to0 = new FakeLink(0); // node 1 dialled node 0
    final FakeLink from2 = new FakeLink(-1); // node 2 dialled node 1
    final LinkMembership<FakeLink> hear0 = new LinkMembership<>(node1, to0);
    final LinkMembership<FakeLink> hear2 = new LinkMembership<>(node1, from2);

    static void hello(LinkMembership<FakeLink> on, int node, int first, int last, String machine) {
        on.hello((short) node, (short) 3, first, last, 100 + node, machine, "127.0.0.1", "");
    }

    /** The digest node 1 sent on {@code l} (its VIEW), which agreeing peers send back. */
    static long viewSaid(FakeLink l) {
        String view = l.said.stream().filter(s -> s.startsWith("VIEW ")).findFirst().orElseThrow();
        return Long.parseUnsignedLong(view.substring(5), 16);
    }

    void agree() {
        hello(hear0, 0, 0, 1, "amd-8x4");
        hello(hear2, 2, 4, 5, "amd-8x4");
        hear0.view(viewSaid(to0));
        hear2.view(viewSaid(from2));
    }

    @Test
    void goesFromJoiningThroughSealedToAgreedAndReady() throws Exception {
        assertThat(node1.stage()).isEqualTo(Stage.JOINING);
        hello(hear0, 0, 0, 1, "amd-8x4");
        assertThat(node1.stage()).as("node 2's HELLO is missing").isEqualTo(Stage.JOINING);
        assertThat(to0.said).as("node 1 dialled node 0 and said HELLO when it did").isEmpty();

        hello(hear2, 2, 4, 5, "amd-8x4");
        assertThat(node1.stage()).isEqualTo(Stage.SEALED);
        assertThat(from2.said).as("a dialled-in link is answered with HELLO, then every peer gets VIEW")
                .hasSize(2).startsWith("HELLO");
        assertThat(to0.said).hasSize(1);
        assertThat(viewSaid(to0)).isEqualTo(viewSaid(from2));
        assertThat(node1.coreCount()).isEqualTo(6);
        assertThat(node1.notViewed()).containsExactly(0, 2);

        hear0.view(viewSaid(to0));
        assertThat(node1.stage()).isEqualTo(Stage.SEALED);
        assertThat(node1.notViewed()).containsExactly(2);
        hear2.view(viewSaid(from2));
        assertThat(node1.stage()).isEqualTo(Stage.AGREED);
        assertThat(node1.awaitJoined(System.nanoTime())).isTrue();
        assertThat(node1.joinFailure()).isNull();
        assertThat(node1.owner(4).node()).isEqualTo(2);

        hear0.ready();
        assertThat(node1.awaitReady(Duration.ZERO)).isFalse();
        hear2.ready();
        assertThat(node1.stage()).isEqualTo(Stage.READY);
        assertThat(node1.awaitReady(Duration.ZERO)).isTrue();

        assertThat(node1.leaving()).isTrue();
        assertThat(node1.stage()).isEqualTo(Stage.LEFT);
        assertThat(node1.leaving()).as("leaving twice says it once").isFalse();
    }

    @Test
    void aViewThatArrivesBeforeTheSealIsCheckedAtTheSeal() {
        hello(hear0, 0, 0, 1, "amd-8x4");
        hear0.view(0x1234); // node 0 sealed first, with a table node 1 does not have
        assertThat(node1.stage()).isEqualTo(Stage.JOINING);
        hello(hear2, 2, 4, 5, "amd-8x4");
        assertThat(node1.stage()).isEqualTo(Stage.FAILED);
        assertThat(node1.joinFailure().failure()).isEqualTo(NodeException.Cause.CONFIGURATION);
        assertThat(node1.joinFailure()).hasMessageStartingWith("node 1: node 0 (fake) agreed to another membership "
                + "(digest 1234, this node's ");
    }

    @Test
    void messagesOutOfOrderAreRefusedAsTheLinksProtocolFault() {
        assertThatThrownBy(() -> hear0.view(1)).isInstanceOf(PeerProtocolException.class)
                .hasMessage("VIEW before HELLO");
        assertThatThrownBy(hear0::ready).hasMessage("READY before HELLO");
        assertThatThrownBy(hear0::stop).hasMessage("STOP before HELLO");
        hello(hear0, 0, 0, 1, "amd-8x4");
        assertThatThrownBy(() -> hello(hear0, 0, 0, 1, "amd-8x4")).hasMessage("a second HELLO");
        assertThatThrownBy(hear0::ready).hasMessage("READY before the membership");
        hear0.view(1);
        assertThatThrownBy(() -> hear0.view(1)).hasMessage("a second VIEW");
        assertThatThrownBy(() -> hello(hear2, 0, 0, 1, "amd-8x4"))
                .hasMessage("HELLO from node 0, but only nodes 2..2 dial node 1");
        assertThat(node1.stage()).as("the peer is at fault, not the join").isEqualTo(Stage.JOINING);
        assertThat(run.events).isEmpty();
    }

    @Test
    void aPeersReadyMayOvertakeTheViewOfAThirdNode() throws Exception {
        hello(hear0, 0, 0, 1, "amd-8x4");
        hello(hear2, 2, 4, 5, "amd-8x4");
        assertThatThrownBy(hear0::ready).as("node 0 cannot have agreed without sending its VIEW")
                .hasMessage("READY before the membership");
        hear0.view(viewSaid(to0));
        // Node 0 had both VIEWs, agreed, booted and said READY; node 2's VIEW to node 1 is still on its way.
        hear0.ready();
        assertThat(node1.stage()).isEqualTo(Stage.SEALED);
        assertThat(node1.awaitReady(Duration.ZERO)).isFalse();
        hear2.view(viewSaid(from2));
        assertThat(node1.stage()).isEqualTo(Stage.AGREED);
        hear2.ready();
        assertThat(node1.stage()).isEqualTo(Stage.READY);
        assertThat(node1.awaitReady(Duration.ZERO)).isTrue();
    }

    @Test
    void aSecondReadyIsRefused() {
        agree();
        hear0.ready();
        assertThatThrownBy(hear0::ready).isInstanceOf(PeerProtocolException.class).hasMessage("a second READY");
    }

    @Test
    void aMismatchFailsTheJoinTellsThePeerWhyAndTheFirstReasonStays() {
        hello(hear0, 0, 0, 1, "intel-2x4");
        assertThat(node1.stage()).isEqualTo(Stage.FAILED);
        String why = "node 0 (fake) runs machine 'intel-2x4', node 1 runs 'amd-8x4'";
        assertThat(node1.joinFailure()).hasMessage(why);
        assertThat(to0.said).containsExactly("LEAVE " + why);
        assertThat(to0.closed).isTrue();

        node1.fail(NodeException.Cause.UNREACHABLE, "a later reason");
        hello(hear2, 2, 4, 5, "amd-8x4");
        assertThat(node1.joinFailure()).hasMessage(why);
        assertThat(node1.joinFailure().failure()).isEqualTo(NodeException.Cause.CONFIGURATION);
        assertThat(node1.stage()).as("FAILED absorbs later events").isEqualTo(Stage.FAILED);
        node1.awaitFarewells();
    }

    @Test
    void aPeerThatIsNotTheNodeDialledFailsTheJoin() {
        hello(hear0, 2, 4, 5, "amd-8x4");
        assertThat(node1.joinFailure()).hasMessage(
                "node 1: the node at 127.0.0.1:7000 says it is node 2, but --peers lists it as node 0");
    }

    @Test
    void aPeerThatLeavesBeforeTheAgreementRefusesThisNode() {
        hear0.leave("node 0: a reason of its own");
        assertThat(to0.closed).isTrue();
        assertThat(node1.stage()).isEqualTo(Stage.FAILED);
        assertThat(node1.joinFailure().failure()).isEqualTo(NodeException.Cause.REFUSED);
        assertThat(node1.joinFailure()).hasMessage("node 1: node 0 (fake) left (node 0: a reason of its own) "
                + "before the membership was agreed");
    }

    @Test
    void aPeerLostAfterTheAgreementIsThisNodesFailureAndStopsIt() throws Exception {
        agree();
        node1.gone(0, "the link with node 0 (fake) closed: reset", false);
        assertThat(node1.stage()).isEqualTo(Stage.LOST);
        assertThat(node1.peerLost().failure()).isEqualTo(NodeException.Cause.PEER_LOST);
        assertThat(node1.peerLost()).hasMessage("node 1: lost node 0 at 127.0.0.1:7000 (cores 0-1): the link with "
                + "node 0 (fake) closed: reset");
        assertThat(run.events).containsExactly("cores_lost 0-1", "stop once handled (lost)");

        node1.gone(2, "node 2 broke the link protocol", false);
        assertThat(node1.peerLost()).as("the first loss stays the reason").hasMessageContaining("lost node 0");
        node1.gone(2, "again", false);
        assertThat(run.events).as("a peer goes once").hasSize(4);
        assertThat(node1.awaitReady(Duration.ZERO)).as("nobody waits for a node that has gone").isTrue();
        assertThat(node1.leaving()).isTrue();
        assertThat(node1.stage()).isEqualTo(Stage.LEFT);
    }

    @Test
    void peersThatLeaveInOrderAreNoFailureAndTheLastStopsTheRun() {
        agree();
        hear0.leave("its run ended");
        assertThat(to0.closed).isTrue();
        assertThat(node1.stage()).isEqualTo(Stage.AGREED);
        assertThat(run.events).containsExactly("cores_lost 0-1");
        hear2.stop();
        hear2.leave("its run ended");
        assertThat(run.events).containsExactly("cores_lost 0-1", "stop", "cores_lost 4-5",
                "stop once handled (all left)");
        assertThat(node1.peerLost()).isNull();
        assertThat(node1.stage()).isEqualTo(Stage.READY);
    }

    @Test
    void aLossAfterThisNodeLeftIsNoFailure() {
        agree();
        node1.leaving();
        node1.gone(0, "the link closed", false);
        assertThat(node1.stage()).isEqualTo(Stage.LEFT);
        assertThat(node1.peerLost()).isNull();
    }

    @Test
    void aHelloAfterTheAgreementIsRefusedSayingWhy() {
        agree();
        FakeLink again = new FakeLink(-1);
        hello(new LinkMembership<>(node1, again), 2, 4, 5, "amd-8x4");
        assertThat(again.said).containsExactly("LEAVE node 1 is in a multikernel whose membership was agreed "
                + "already; node 2 cannot rejoin it: stop every node and start them all again");
        assertThat(again.closed).isTrue();
        assertThat(refusals.count()).isEqualTo(1);
        assertThat(refusals.last()).isEqualTo(
                "node 1: refusing peer fake: HELLO from node 2 after the membership was agreed");
        assertThat(node1.stage()).isEqualTo(Stage.AGREED);
        node1.fail(NodeException.Cause.REFUSED, "too late");
        assertThat(node1.joinFailure()).as("an agreed membership stands").isNull();
    }

    @Test
    void transitionsOutsideTheTableAreBugs() {
        assertThatThrownBy(node1::leaving).isInstanceOf(IllegalStateException.class)
                .hasMessage("node 1 cannot leave in stage JOINING");
        assertThatThrownBy(node1::alone).isInstanceOf(NodeException.class)
                .hasMessage("node 1 is the only node, so it must run cores from 0, not 2-3");
    }

    @Test
    void aNodeAloneAgreesWithItself() {
        Membership<FakeLink> only = new Membership<>(NodeConfig.of(0, NodeConfig.parsePeers("127.0.0.1:7000"), SECRET,
                AMD, 0, 3).withHostId(""), 100, refusals, run);
        only.alone();
        assertThat(only.stage()).isEqualTo(Stage.READY);
        assertThat(only.coreCount()).isEqualTo(4);
        assertThatThrownBy(only::alone).isInstanceOf(IllegalStateException.class)
                .hasMessage("node 0: JOINING -> AGREED in stage READY");
    }
}
