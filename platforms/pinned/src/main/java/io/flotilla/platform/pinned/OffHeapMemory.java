package io.flotilla.platform.pinned;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.SharedMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The pinned platform's shared memory: real cache lines of off-heap memory, eight 64-bit words in each 64-byte-aligned
 * line, so two addresses never share a line (no false sharing), a line's words travel together, and every access
 * costs exactly what the host's coherence protocol makes it cost.
 *
 * <p>Memory comes in segments of {@value #SEGMENT_LINES} lines, made on demand and published through an
 * {@link AtomicReferenceArray}, so a core that reads an address allocated by another sees the segment. Segments
 * are never moved or freed while the platform runs. NUMA placement is not controlled from Java: the home node an
 * allocation asks for is checked but the host's first-touch policy decides.
 */
final class OffHeapMemory implements SharedMemory {

    static final int SEGMENT_LINES = 4096;
    private static final int SEGMENTS = 256;
    private static final int LINE = 64;
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private final AtomicReferenceArray<ByteBuffer> segments = new AtomicReferenceArray<>(SEGMENTS);
    private final PinnedPlatform platform;
    private final int nodes;
    /** One past the highest line handed out; volatile so a core that reads a line sees that it was allocated. */
    private volatile long next;

    OffHeapMemory(PinnedPlatform platform, int nodes) {
        this.platform = platform;
        this.nodes = nodes;
    }

    @Override
    public synchronized long allocate(int lines, int node) {
        if (lines <= 0) {
            throw new IllegalArgumentException("allocate at least one line: " + lines);
        }
        if (node < 0 || node >= nodes) {
            throw new IllegalArgumentException("no NUMA node " + node + " (the machine has " + nodes + ")");
        }
        long first = next;
        // An allocation never straddles segments, so a line's address maps to one buffer.
        if (first / SEGMENT_LINES != (first + lines - 1) / SEGMENT_LINES) {
            first = (first / SEGMENT_LINES + 1) * SEGMENT_LINES;
        }
        if (lines > SEGMENT_LINES || (first + lines - 1) / SEGMENT_LINES >= SEGMENTS) {
            throw new IllegalArgumentException("shared memory is limited to " + SEGMENTS * SEGMENT_LINES
                    + " lines in allocations of at most " + SEGMENT_LINES + "; asked for " + lines);
        }
        int s = (int) (first / SEGMENT_LINES);
        if (segments.get(s) == null) {
            segments.set(s, ByteBuffer.allocateDirect(SEGMENT_LINES * LINE + LINE).alignedSlice(LINE)
                    .order(ByteOrder.nativeOrder()));
        }
        next = first + lines;
        return first;
    }

    @Override
    public long read(int core, long line) {
        return (long) WORD.getVolatile(segment(line), offset(line));
    }

    @Override
    public void write(int core, long line, long value) {
        WORD.setVolatile(segment(line), offset(line), value);
    }

    @Override
    public long readWord(int core, long line, int word) {
        return (long) WORD.getVolatile(segment(line), offset(line) + wordOffset(word));
    }

    @Override
    public void writeWord(int core, long line, int word, long value) {
        WORD.setVolatile(segment(line), offset(line) + wordOffset(word), value);
    }

    private static int wordOffset(int word) {
        return SharedMemory.checkWord(word) * Long.BYTES;
    }

    @Override
    public long getAndAdd(int core, long line, long delta) {
        return (long) WORD.getAndAdd(segment(line), offset(line), delta);
    }

    @Override
    public boolean compareAndSet(int core, long line, long expect, long update) {
        return WORD.compareAndSet(segment(line), offset(line), expect, update);
    }

    /** The core's loop re-reads the line every turn, between polling its bindings. */
    @Override
    public void awaitChange(int core, long line, long seen, Dispatcher owner, Runnable then) {
        segment(line);
        platform.spin(core, line, seen, owner, then);
    }

    private ByteBuffer segment(long line) {
        ByteBuffer b = line < 0 || line >= next ? null : segments.get((int) (line / SEGMENT_LINES));
        if (b == null) {
            throw new IllegalArgumentException("line " + line + " was never allocated");
        }
        return b;
    }

    private static int offset(long line) {
        return (int) (line % SEGMENT_LINES) * LINE;
    }
}
