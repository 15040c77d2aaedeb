package io.flotilla.kernel.node;

import io.flotilla.kernel.node.membership.MembershipHandler;

/**
 * One link's membership messages, as the generated decoder delivers them (pump thread): checked for what only the
 * link knows (a HELLO first, and once), then handed to the {@link Membership} as events of that peer.
 *
 * @param <L> the links to the peers
 */
final class LinkMembership<L extends MembershipLink> implements MembershipHandler {

    private final Membership<L> membership;
    private final L link;

    LinkMembership(Membership<L> membership, L link) {
        this.membership = membership;
        this.link = link;
    }

    @Override
    public void hello(short node, short nodes, int firstCore, int lastCore, long pid, String topology, String host,
            String hostId) {
        if (link.node() >= 0) {
            throw new PeerProtocolException("a second HELLO");
        }
        membership.hello(link, new Hello(Short.toUnsignedInt(node), Short.toUnsignedInt(nodes), firstCore, lastCore,
                pid, topology, host, hostId));
    }

    @Override
    public void view(long digest) {
        membership.view(introduced("VIEW"), digest);
    }

    @Override
    public void ready() {
        membership.ready(introduced("READY"));
    }

    @Override
    public void stop() {
        introduced("STOP");
        membership.stop();
    }

    @Override
    public void leave(String reason) {
        membership.leave(link, reason); // at any time: a peer may refuse this node before it says who it is
    }

    /** The peer's node id; a peer that has not said who it is (HELLO) may say nothing else but LEAVE. */
    private int introduced(String message) {
        if (link.node() < 0) {
            throw new PeerProtocolException(message + " before HELLO");
        }
        return link.node();
    }
}
