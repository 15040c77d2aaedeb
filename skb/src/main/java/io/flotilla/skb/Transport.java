package io.flotilla.skb;

/** The transport the SKB picks for two endpoints (DESIGN.md, "Bindings and late binding"). */
public enum Transport {
    /** Same core: hand-off inside the core's event loop. */
    LRPC,
    /** Different cores of one machine: a shared-memory ring. */
    URPC,
    /** Different machines. */
    NET;

    /** The name the SKB and the CLI use: {@code lrpc}, {@code urpc}, {@code net}. */
    public String atom() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
