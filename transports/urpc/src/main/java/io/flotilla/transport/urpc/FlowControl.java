package io.flotilla.transport.urpc;

import java.util.Locale;

/**
 * How a urpc sender learns that a slot is free again. Both schemes are Barrelfish's (see
 * {@code reference/barrelfish-digest.md} §3.3–3.4); both use transport bit 0 of the control word.
 */
public enum FlowControl {

    /**
     * The 2011–2016 scheme: bit 0 is an epoch that flips every lap of the ring, so the receiver can tell a new frame
     * from last lap's without ever writing the ring. The receiver reports progress in an ack line of its own, batched.
     * Every line is written by one side only.
     */
    EPOCH(0, "epoch"),

    /**
     * The 2017 scheme: bit 0 is a "used" flag the sender sets and the receiver clears once it has read the frame.
     * No acks, but each slot's line is written by both sides. It streams as fast as the epoch scheme with hand-back
     * where cores share a cache, at a round trip about 30 ns longer there (docs/benchmarks.md, issue 18): kept as
     * an option ({@code urpc.flowControl=used-bit}) and for comparison.
     */
    USED_BIT(1, "used-bit");

    private final int code;
    private final String label;

    FlowControl(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The number stored in a shared file's header. */
    int code() {
        return code;
    }

    /** The name used in options ({@code urpc.flowControl}) and reports. */
    public String label() {
        return label;
    }

    static FlowControl ofCode(int code) {
        for (FlowControl flow : values()) {
            if (flow.code == code) {
                return flow;
            }
        }
        throw new IllegalArgumentException("unknown urpc flow-control code " + code);
    }

    /** Parses {@code epoch} or {@code used-bit} (case-insensitive; {@code used_bit} also accepted). */
    public static FlowControl parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (FlowControl flow : values()) {
            if (flow.label.equals(t)) {
                return flow;
            }
        }
        throw new IllegalArgumentException("urpc.flowControl must be 'epoch' or 'used-bit', not '" + text + "'");
    }
}
