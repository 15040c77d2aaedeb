package io.flotilla.binding;

/**
 * How an rpc ended when it did not end with its reply: the code a caller switches on, in the spirit of gRPC's
 * status codes. Every rpc ends exactly once, with its reply or with an {@link RpcException} carrying one of these.
 * The numbers travel in the framework's rpc-failure frame, so they never change meaning.
 */
public enum RpcStatus {
    /** The server's handler threw, or its response could not be sent; the message says what the server saw. */
    HANDLER_FAILED(1),
    /** The server's handler does not implement this rpc (the generated default method ran). */
    UNIMPLEMENTED(2),
    /** The call's deadline passed before its response arrived (virtual time on {@code sim}, real time elsewhere). */
    DEADLINE_EXCEEDED(3),
    /** The caller cancelled the call; a response that still arrives is dropped without an error. */
    CANCELLED(4),
    /** The binding was closed, by this end or the peer, or its channel was lost, while the call was pending. */
    CLOSED(5),
    /** A capability in the call or its response could not travel (no capability transfer, or refused). */
    CAPABILITY_REFUSED(6),
    /** A decoder rejected the call or its response (malformed, truncated, oversized, bad UTF-8, ...). */
    REJECTED(7);

    private final int code;

    RpcStatus(int code) {
        this.code = code;
    }

    /** @return the number that stands for this status on the wire */
    public int code() {
        return code;
    }

    /**
     * @param code a number from {@link #code()}
     * @return its status, or null if no status has that number (a newer peer)
     */
    public static RpcStatus ofCode(int code) {
        for (RpcStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
