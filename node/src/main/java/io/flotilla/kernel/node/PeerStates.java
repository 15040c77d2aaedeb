package io.flotilla.kernel.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Where each peer is in the join protocol, and its link once its HELLO was accepted: the per-peer half of the
 * {@link Membership}'s state machine. A message the table does not allow is the peer's fault: it throws
 * {@link PeerProtocolException}, and the pump closes that link with one line naming the peer. (A message before HELLO
 * and a second HELLO are refused by the link's {@link LinkMembership}, which alone knows the link has no node yet.)
 *
 * <pre>
 * state        event                              next         refused
 * none         HELLO that fits                    INTRODUCED
 * INTRODUCED   VIEW                               VIEWED
 * VIEWED       READY, once the node sealed        READY        "READY before the membership"
 * VIEWED/READY VIEW                               -            "a second VIEW"
 * READY        READY                              -            "a second READY"
 * any          LEAVE, or its link lost or refused GONE
 * </pre>
 *
 * <p>Written by the pump thread only. The elements are volatile because others read them: a core sending (the
 * link), the net listener (whether a node has joined), the join-timeout message (who has not agreed).
 *
 * @param <L> the links to the peers
 */
final class PeerStates<L extends MembershipLink> {

    enum State { INTRODUCED, VIEWED, READY, GONE }

    private final int self;
    private final AtomicReferenceArray<L> links;
    private final AtomicReferenceArray<State> states;
    /** The digest each peer sent in its VIEW (pump thread only). */
    private final long[] views;

    PeerStates(int self, int nodes) {
        this.self = self;
        this.links = new AtomicReferenceArray<>(nodes);
        this.states = new AtomicReferenceArray<>(nodes);
        this.views = new long[nodes];
    }

    /** none -> INTRODUCED: {@code l} is node {@code n}'s link from now on. */
    void introduce(int n, L l) {
        l.introduce(n);
        links.set(n, l); // before the state: whoever sees INTRODUCED finds the link
        states.set(n, State.INTRODUCED);
    }

    /** INTRODUCED -> VIEWED, with the digest it sent. */
    void view(int n, long digest) {
        if (states.get(n) != State.INTRODUCED) {
            throw new PeerProtocolException("a second VIEW");
        }
        views[n] = digest;
        states.set(n, State.VIEWED);
    }

    /**
     * VIEWED -> READY. {@code sealed}: whether this node has sealed its table (or agreed): a peer's READY may come
     * before this node has every VIEW, since a peer agrees as soon as its own VIEWs are in.
     */
    void ready(int n, boolean sealed) {
        State s = states.get(n);
        if (!sealed || s != State.VIEWED) {
            throw new PeerProtocolException(s == State.READY ? "a second READY" : "READY before the membership");
        }
        states.set(n, State.READY);
    }

    /** any -> GONE. @return the state it was in (null if it went before its HELLO) */
    State gone(int n) {
        State was = states.get(n);
        states.set(n, State.GONE);
        return was;
    }

    State state(int n) {
        return states.get(n);
    }

    /** The digest node {@code n} sent in its VIEW. */
    long view(int n) {
        return views[n];
    }

    /** Node {@code n}'s link once its HELLO was accepted, else null. Any thread. */
    L link(int n) {
        return links.get(n);
    }

    int nodes() {
        return states.length();
    }

    /** Whether node {@code n} has sent its VIEW (and may now speak for its cores). */
    boolean viewed(int n) {
        State s = states.get(n);
        return s == State.VIEWED || s == State.READY;
    }

    /** The peers whose VIEW has not arrived: the nodes this one has no agreement with yet. */
    List<Integer> notViewed() {
        List<Integer> missing = new ArrayList<>();
        for (int n = 0; n < nodes(); n++) {
            State s = states.get(n);
            if (n != self && (s == null || s == State.INTRODUCED)) {
                missing.add(n);
            }
        }
        return missing;
    }

    /** Whether every peer has sent its VIEW (some may be READY already). */
    boolean allViewed() {
        for (int n = 0; n < nodes(); n++) {
            if (n != self && !viewed(n)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every peer has gone. */
    boolean allGone() {
        for (int n = 0; n < nodes(); n++) {
            if (n != self && states.get(n) != State.GONE) {
                return false;
            }
        }
        return true;
    }
}
