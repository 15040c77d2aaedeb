package io.flotilla.binding;

/**
 * The rpc calls pending on one binding end, as the binding sees them: a generated stub registers itself here
 * ({@link Binding#attachCalls}) so that failures the binding learns of (the peer's failure frame, a deadline, a
 * cancel, the binding closing) reach the waiting caller's continuation.
 */
public interface RpcCalls {

    /**
     * Ends the pending call with this token with {@code failure}, running its continuation's {@code failed}.
     *
     * @param token the call's token
     * @param failure how it ended
     * @return false if no call with that token was pending here
     */
    boolean failCall(int token, RpcException failure);

    /**
     * Ends every pending call with {@code failure}.
     *
     * @param failure how they ended
     */
    void failAllCalls(RpcException failure);
}
