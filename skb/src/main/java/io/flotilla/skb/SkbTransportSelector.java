package io.flotilla.skb;

import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportSelector;
import java.util.Objects;

/**
 * The transport selector backed by the SKB: it asks the {@code transport/3} rule of {@code transport.pl} (same
 * core → {@code lrpc}, two cores of one machine → {@code urpc}, else {@code net}) instead of the built-in
 * {@link TransportSelector#byLocality()} rule, so a site that changes the rule library changes every binding.
 *
 * <p>Endpoints name machines by {@link Endpoint#machine()}; the one named {@code localName} is the SKB's machine,
 * and an endpoint there must name one of its cores. An endpoint on any other machine becomes a
 * {@code remote(Machine, Core)} term, which the rule answers with {@code net} (or {@code urpc} between two cores of
 * one other machine).
 *
 * <p>Processes are not SKB facts: the rule speaks about cores. Two processes on one core cannot share an event
 * loop, so where the rule says {@code lrpc} for endpoints of different processes this selector answers
 * {@code urpc}, the transport that joins two processes of one machine.
 *
 * <p>Each selection is one SKB query: bind-time cost, never on a message path.
 */
public final class SkbTransportSelector implements TransportSelector {

    private final Skb skb;
    private final String localName;

    /**
     * @param localName the {@link Endpoint#machine()} name under which endpoints are cores of {@code skb}'s machine
     */
    public SkbTransportSelector(Skb skb, String localName) {
        this.skb = Objects.requireNonNull(skb, "skb");
        this.localName = Objects.requireNonNull(localName, "localName");
    }

    /** Endpoints on {@link Endpoint#localMachine()} are cores of {@code skb}'s machine. */
    public static SkbTransportSelector local(Skb skb) {
        return new SkbTransportSelector(skb, Endpoint.localMachine());
    }

    public Skb skb() {
        return skb;
    }

    public String localName() {
        return localName;
    }

    /**
     * @throws IllegalArgumentException if an endpoint on the local machine names a core the machine does not have
     */
    @Override
    public String select(Endpoint a, Endpoint b) {
        String transport = skb.transport(term(a), term(b)).atom();
        if (LRPC.equals(transport) && !a.sameProcess(b)) {
            return URPC;
        }
        return transport;
    }

    private String term(Endpoint e) {
        if (!e.machine().equals(localName)) {
            return "remote(" + Terms.quoteAtom(e.machine()) + ", " + e.core() + ")";
        }
        int cores = skb.machine().coreCount();
        if (e.core() >= cores) {
            throw new IllegalArgumentException("endpoint " + e + " names core " + e.core() + ", but machine "
                    + skb.machine().name() + " has cores 0.." + (cores - 1));
        }
        return String.valueOf(e.core());
    }

    @Override
    public String toString() {
        return "SkbTransportSelector[" + skb.machine().name() + " as " + localName + "]";
    }
}
