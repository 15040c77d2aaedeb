package io.flotilla.kernel.node;

import java.util.concurrent.CompletableFuture;

/** A link to one peer, as the join protocol ({@link Membership}) uses it: {@link PeerLink} on a node. */
interface MembershipLink {

    /** The node this link was dialled for (its HELLO must say so), or -1 for a link a peer dialled in. */
    int dialled();

    /** The peer's node id once its HELLO was accepted, else -1. */
    int node();

    /** Its HELLO was accepted: it is node {@code node}'s link from now on. */
    void introduce(int node);

    /** How log lines name the peer: "node 1 (/127.0.0.1:7001)", or its address before it said who it is. */
    String peer();

    /** The peer's address. */
    String remote();

    /** Says this node's HELLO (a dialled-in link answers the peer's HELLO with it). */
    void sayHello();

    void sayView(long digest);

    /**
     * Says LEAVE({@code reason}) and closes the link after it, so that the peer fails with this node's reason.
     *
     * @return completes when the close has reached the peer (or given up)
     */
    CompletableFuture<?> refuse(String reason);

    /** The peer said LEAVE: it reads nothing more, so the link closes without waiting for confirmations. */
    void closeAfterLeave();
}
