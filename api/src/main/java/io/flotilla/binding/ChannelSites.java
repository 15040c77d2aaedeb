package io.flotilla.binding;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Numbers the channel classes a JVM's bindings use, in the order they are first seen, so that a {@link Binding} can
 * call each of the first {@link #SPLIT} classes through call sites of that class's own.
 *
 * <p>Why: the JIT keeps one type profile per call site, and every binding of the JVM shares {@code Binding}'s. A
 * program whose bindings use urpc, lrpc and the loopback channel makes those sites megamorphic: each channel call
 * becomes an interface dispatch the JIT cannot inline ({@code BindingDispatchBenchmark}: a urpc message through a
 * binding went from 9.5 to 16.7 ns). A binding's hot methods therefore switch on its channel's site number, with the
 * same call in every arm; each arm is a call site of its own, whose profile sees one class, and the JIT inlines it
 * behind a single class check. Classes beyond the first {@link #SPLIT} share the last arm.
 */
final class ChannelSites {

    /** Channel classes with sites of their own; the transports a program mixes are fewer. */
    static final int SPLIT = 6;

    private static final AtomicInteger NEXT = new AtomicInteger();

    private static final ClassValue<Integer> SITES = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return Math.min(NEXT.getAndIncrement(), SPLIT);
        }
    };

    private ChannelSites() {}

    /** The site number of {@code channel}'s class, 0 to {@link #SPLIT}; the same for a class all the JVM's life. */
    static int of(Object channel) {
        return SITES.get(channel.getClass());
    }
}
