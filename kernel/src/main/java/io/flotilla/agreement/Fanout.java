package io.flotilla.agreement;

/** How a coordinator's messages reach the participants. */
public enum Fanout {
    /**
     * Along the SKB's NUMA-aware multicast tree ({@code Skb.multicastTree}): one message to one participant in each
     * other package, farthest package first, which forwards within its package (sharing its L3); votes and
     * acknowledgements are merged per package on the way back. The paper's choice for its agreement protocols.
     */
    MULTICAST,
    /** One message straight to every participant, in ascending core order; every reply comes straight back. */
    UNICAST
}
