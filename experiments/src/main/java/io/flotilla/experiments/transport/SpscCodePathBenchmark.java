package io.flotilla.experiments.transport;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The instructions of a one-message send and receive on one thread, urpc beside Agrona's
 * {@link OneToOneRingBuffer}, in one run: no line crosses cores, so what differs is code, not coherence traffic.
 * The round trip between two cores pays this twice (request and reply) on top of the line transfers; this is the
 * part of urpc's distance from the cache-line floor that software can change.
 *
 * <p>{@code rawUnsafe} and {@code rawVarHandle} are the same frame's stores and loads written inline with no API
 * around them: the first is the floor of any code path, the second shows what byte-buffer VarHandles add.
 * {@code -Dflotilla.urpc.unsafe=false} in {@code -jvmArgsAppend} runs urpc on its VarHandle path.
 *
 * <pre>java -jar experiments/target/benchmarks.jar SpscCodePathBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SpscCodePathBenchmark {

    private Channel epochTx;
    private Channel epochRx;
    private Channel usedTx;
    private Channel usedRx;
    private OneToOneRingBuffer agrona;
    private final Sum sum = new Sum();
    private long next;

    static final class Sum implements FrameHandler, MessageHandler {
        long total;

        @Override
        public void onFrame(FrameReader frame) {
            total += frame.word(0);
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            total += buffer.getLong(index);
        }
    }

    @Setup
    public void open() {
        ChannelPair epoch = UrpcChannel.openPair(32, FlowControl.EPOCH);
        epochTx = epoch.left();
        epochRx = epoch.right();
        ChannelPair used = UrpcChannel.openPair(32, FlowControl.USED_BIT);
        usedTx = used.left();
        usedRx = used.right();
        agrona = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(32 * 16 + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    private long urpc(Channel tx, Channel rx) {
        if (tx.writableFrames() == 0) {
            throw new IllegalStateException("ring full");
        }
        FrameWriter w = tx.claim();
        w.putWord(0, ++next);
        w.publish(ChannelContestant.CONTROL);
        rx.poll(sum, 1);
        return sum.total;
    }

    @Benchmark
    public long urpcEpoch() {
        return urpc(epochTx, epochRx);
    }

    @Benchmark
    public long urpcUsedBit() {
        return urpc(usedTx, usedRx);
    }

    // ---- the code path's floor: the same stores and loads written inline, no API around them ----------------

    private static final sun.misc.Unsafe U = unsafe();
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ByteBuffer raw = ByteBuffer.allocateDirect(32 * 64 + 64).alignedSlice(64).order(ByteOrder.nativeOrder());
    private final long rawAddress = U.getLong(raw, addressOffset());
    private long rawProduced;
    private long rawConsumed;

    private static long addressOffset() {
        try {
            return U.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One epoch-scheme frame through 32 slots with raw-address stores and loads: what any urpc API adds to. */
    @Benchmark
    public long rawUnsafe() {
        long slot = rawAddress + ((rawProduced & 31) << 6);
        U.putLong(slot, ++next);
        for (int i = 1; i < 7; i++) {
            U.putLong(slot + (i << 3), 0L);
        }
        U.putOrderedLong(null, slot + 56, ChannelContestant.CONTROL | (~(rawProduced >>> 5) & 1));
        rawProduced++;
        long received = rawAddress + ((rawConsumed & 31) << 6);
        long control = U.getLongVolatile(null, received + 56);
        if ((control & 1) == (~(rawConsumed >>> 5) & 1)) {
            sum.total += U.getLong(received);
            rawConsumed++;
        }
        return sum.total;
    }

    /** The same through byte-buffer VarHandles: the cost of their per-access checks (see RingMemory). */
    @Benchmark
    public long rawVarHandle() {
        int slot = (int) ((rawProduced & 31) << 6);
        LONGS.set(raw, slot, ++next);
        for (int i = 1; i < 7; i++) {
            LONGS.set(raw, slot + (i << 3), 0L);
        }
        LONGS.setRelease(raw, slot + 56, ChannelContestant.CONTROL | (~(rawProduced >>> 5) & 1));
        rawProduced++;
        int received = (int) ((rawConsumed & 31) << 6);
        long control = (long) LONGS.getAcquire(raw, received + 56);
        if ((control & 1) == (~(rawConsumed >>> 5) & 1)) {
            sum.total += (long) LONGS.get(raw, received);
            rawConsumed++;
        }
        return sum.total;
    }

    @Benchmark
    public long agrona() {
        int index = agrona.tryClaim(1, Long.BYTES);
        if (index < 0) {
            throw new IllegalStateException("ring full");
        }
        agrona.buffer().putLong(index, ++next);
        agrona.commit(index);
        agrona.read(sum, 1);
        return sum.total;
    }
}
