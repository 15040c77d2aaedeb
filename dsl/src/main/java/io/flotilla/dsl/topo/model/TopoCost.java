package io.flotilla.dsl.topo.model;

/**
 * A CPU cost a {@code .topo} file may state as measured on its machine ({@code measured KEYWORD CYCLES}): the
 * simulator takes it instead of its own default. {@code flotilla skb measure --write-topo} writes all of them into
 * a host's twin, each what the pinned platform spends on that host; no shipped machine states any.
 */
public enum TopoCost {
    /** One message's CPU work at each end: the sender's stub and channel code, the receiver's poll and dispatch. */
    MESSAGE_CPU("message-cpu", "message CPU cost"),
    /** One message between two dispatchers of one core, one way, whole (half of Table 1's LRPC round trip). */
    LRPC_MESSAGE("lrpc-message", "same-core message cost"),
    /** A capability invocation: entering the CPU driver with a capability argument. */
    CAPABILITY_INVOCATION("capability-invocation", "capability invocation cost"),
    /** A plain system call (a conventional kernel's munmap; a monitor's entry into its CPU driver). */
    SYSTEM_CALL("system-call", "system call cost"),
    /** What sending an inter-processor interrupt costs its sender (on hardware: waiting for the APIC). */
    INTERRUPT_SEND("interrupt-send", "interrupt send cost"),
    /** What taking an interrupt costs its target before the handler runs (on hardware: the trap). */
    INTERRUPT_TRAP("interrupt-trap", "interrupt trap cost");

    private final String keyword;
    private final String noun;

    TopoCost(String keyword, String noun) {
        this.keyword = keyword;
        this.noun = noun;
    }

    /** The cost {@code keyword} names; the grammar admits no other word. */
    public static TopoCost of(String keyword) {
        for (TopoCost c : values()) {
            if (c.keyword.equals(keyword)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no measured cost '" + keyword + "'");
    }

    /** The word after {@code measured} that names it. */
    public String keyword() {
        return keyword;
    }

    /** What it is, for error messages ("system call cost"). */
    public String noun() {
        return noun;
    }
}
