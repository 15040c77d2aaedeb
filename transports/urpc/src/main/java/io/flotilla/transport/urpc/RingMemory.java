package io.flotilla.transport.urpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The word accesses of urpc's hot path (payload stores and loads, the control word's release store and acquire
 * load) on a channel's shared memory.
 *
 * <p><b>Why not only VarHandles.</b> A byte-buffer view {@link VarHandle} re-checks, on every access, the buffer's
 * limit, its read-only flag, its memory session and (for acquire and release) the alignment, because the JIT cannot
 * prove them for a buffer held in a field. On the one-thread send-and-receive benchmark
 * ({@code SpscCodePathBenchmark}) that made a message cost about twice what the same stores and loads cost through
 * {@code sun.misc.Unsafe} with a raw address, as Agrona's {@code UnsafeBuffer} does. Every offset urpc passes here
 * is computed from its own counters under a power-of-two mask within a layout whose size was checked when the
 * channel was opened or attached ({@link UrpcLayout#bytes}), so the per-access checks guard nothing urpc needs.
 *
 * <p><b>When Unsafe is not used.</b> The raw-address path is taken when {@code sun.misc.Unsafe} is reachable and the
 * JVM is older than 24: from JDK 24 on, its memory-access methods print a warning at first use (JEP 498) and are
 * on their way out, so there the VarHandle path serves. {@code -Dflotilla.urpc.unsafe=false} forces the VarHandle
 * path anywhere; {@code =true} asks for Unsafe on any JDK. The choice is a static final flag, so the JIT folds the
 * branch away and each access compiles to one move.
 *
 * <p><b>Ordering.</b> {@code putOrderedLong} is a release store and {@code getLongVolatile} is at least an acquire
 * load: the two happens-before edges of docs/transports.md §2 hold on either path. On x86 all four accesses are
 * plain moves.
 *
 * <p><b>Lifetime.</b> The channel that holds the address also holds the buffer, and with it the mapping of a
 * file-backed channel: the raw address stays valid for as long as the channel is reachable.
 */
final class RingMemory {

    static final boolean UNSAFE;
    private static final sun.misc.Unsafe U;
    private static final long ADDRESS_FIELD;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static {
        sun.misc.Unsafe unsafe = null;
        long addressField = -1;
        String wanted = System.getProperty("flotilla.urpc.unsafe", "");
        boolean allowed = wanted.isEmpty() ? Runtime.version().feature() < 24 : Boolean.parseBoolean(wanted);
        if (allowed && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                unsafe = (sun.misc.Unsafe) f.get(null);
                addressField = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                unsafe = null; // a JVM without it, or one that refuses: the VarHandle path is always correct
            }
        }
        U = unsafe;
        ADDRESS_FIELD = addressField;
        UNSAFE = unsafe != null;
    }

    private RingMemory() {}

    /**
     * The raw address of {@code buffer}'s index 0 on the Unsafe path (0 on the VarHandle path). {@code buffer} must
     * be direct (or mapped) and 8-byte aligned at index 0; its own byte order does not matter, both paths access words
     * in native order. The caller keeps {@code buffer} reachable for as long as it uses the address: for a mapped
     * file that keeps the mapping.
     */
    static long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("urpc needs a direct or mapped buffer");
        }
        return UNSAFE ? U.getLong(buffer, ADDRESS_FIELD) : 0;
    }

    // Static, and given the buffer and its address rather than holding them: an accessor object would add a load
    // per access and a level of inlining under VarHandle's own deep call chain, which measurably slowed the
    // VarHandle path.

    static long load(ByteBuffer buffer, long address, int offset) {
        return UNSAFE ? U.getLong(address + offset) : (long) LONGS.get(buffer, offset);
    }

    static void store(ByteBuffer buffer, long address, int offset, long value) {
        if (UNSAFE) {
            U.putLong(address + offset, value);
        } else {
            LONGS.set(buffer, offset, value);
        }
    }

    static long loadAcquire(ByteBuffer buffer, long address, int offset) {
        return UNSAFE ? U.getLongVolatile(null, address + offset) : (long) LONGS.getAcquire(buffer, offset);
    }

    static void storeRelease(ByteBuffer buffer, long address, int offset, long value) {
        if (UNSAFE) {
            U.putOrderedLong(null, address + offset, value);
        } else {
            LONGS.setRelease(buffer, offset, value);
        }
    }
}
