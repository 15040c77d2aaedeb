package io.flotilla.binding;

/**
 * Watches the rpcs of a binding end, for logging, metrics or tracing, as gRPC's interceptors do: added with
 * {@link Binding#addInterceptor}, called on the binding's event loop, in the order added. On the calling side it
 * sees each call leave and end; on the serving side each call arrive and be answered. Every call it saw leave it
 * sees end exactly once. An interceptor must not throw, and should not block; a binding without interceptors pays
 * one array-length check per event.
 */
public interface RpcInterceptor {

    /**
     * A call left this end.
     *
     * @param rpc the call half of the rpc
     * @param token the call's token
     */
    default void onCall(MessageDescriptor rpc, int token) {}

    /**
     * A call made on this end ended.
     *
     * @param rpc the call half of the rpc
     * @param token the call's token
     * @param failure how it failed; null if its response arrived
     */
    default void onEnd(MessageDescriptor rpc, int token, RpcException failure) {}

    /**
     * A call arrived at this end, before its handler runs.
     *
     * @param rpc the call half of the rpc
     * @param token the call's token
     */
    default void onServe(MessageDescriptor rpc, int token) {}

    /**
     * This end answered a call it served.
     *
     * @param rpc the call half of the rpc
     * @param token the call's token
     * @param failure the failure it answered with; null for a response
     */
    default void onAnswer(MessageDescriptor rpc, int token, RpcStatus failure) {}
}
