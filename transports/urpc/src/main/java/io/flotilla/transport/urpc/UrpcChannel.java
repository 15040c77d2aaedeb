package io.flotilla.transport.urpc;

import static io.flotilla.transport.urpc.RingMemory.load;
import static io.flotilla.transport.urpc.RingMemory.loadAcquire;
import static io.flotilla.transport.urpc.RingMemory.store;
import static io.flotilla.transport.urpc.RingMemory.storeRelease;
import static io.flotilla.transport.urpc.UrpcLayout.CLOSED;
import static io.flotilla.transport.urpc.UrpcLayout.NOT_ATTACHED;
import static io.flotilla.transport.urpc.UrpcLayout.OPEN;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One end of a urpc channel: two single-producer single-consumer rings of 64-byte frames in off-heap memory (a
 * direct buffer shared by two threads, or a file mapped by two processes), laid out as {@link UrpcLayout} says.
 *
 * <p><b>Memory ordering</b>, common to both {@link FlowControl} schemes. The sender writes a slot's payload words with
 * plain stores and then the control word with a release store ({@link FrameWriter#publish}); the receiver loads the
 * control word with acquire, and only if it marks a new frame reads the payload with plain loads. Release/acquire on
 * the control word makes the payload stores happen-before the payload loads. In the other direction, whatever tells
 * the sender that a slot is free (an ack count, or a cleared used bit) is written by the receiver with release after
 * its last read of the slot and read by the sender with acquire before its first write, so the sender never
 * overwrites a frame that is still being read. On x86 both release stores and acquire loads compile to plain moves:
 * the hot path has no fence, no lock and no system call.
 *
 * <p><b>No allocation:</b> the end is its own {@link FrameWriter} and {@link FrameReader}; the VarHandle accesses
 * below are intrinsified.
 *
 * <p><b>Threading:</b> each end is used by one thread at a time; the two ends may be on different threads or
 * processes. Unwritten payload words read as zero: at publish the sender zeroes those its previous frame in the slot
 * wrote and this one does not (it owns the line then anyway).
 */
public abstract class UrpcChannel extends UrpcPadAfter implements Channel, FrameWriter, FrameReader {

    /** Word access to the shared buffer; getAcquire/setRelease need 8-byte alignment, which the layout gives. */
    static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** The transport bit both schemes use: the epoch, or the used flag. */
    static final long BIT = 1L;
    static final long PAYLOAD_MASK = ~ControlWord.TRANSPORT_MASK;

    final ByteBuffer buffer;
    /** {@link #buffer}'s raw address for {@link RingMemory}'s accesses (see there for why not only VarHandles). */
    final long address;
    final int capacity;
    final long mask;
    /** log2(capacity): lap number = position >>> shift. */
    final int shift;
    /** log2 of the distance between frames in a ring ({@link SlotSpacing}). */
    final int slotShift;
    final int txRing;
    final int rxRing;
    /** The line the peer publishes its consumption of our tx ring in (epoch scheme). */
    final int txAck;
    /** The line we publish our consumption of the rx ring in (epoch scheme). */
    final int rxAck;
    private final SlotSpacing spacing;
    private final int ownState;
    private final int peerState;
    private final boolean sideA;
    private final FlowControl flowControl;
    private final Path file;
    /**
     * Per tx slot, bit i set: payload word i of the frame last published there was written by its codec, so it may
     * be non-zero. Only this end writes its tx ring's payload words, so a word not set here still reads as zero, and
     * {@link #beginPublish} need only zero the words set here that the new frame leaves out: none, in the common
     * case of frames of one message type, instead of a store for every unwritten word. Entry i is at
     * {@code DIRTY_PAD + i}: this end's thread writes the array at message rate, and without 128 bytes of padding on
     * both sides its line could also hold the header of the peer's end, which the peer's thread reads on every call,
     * and the line would cross between the cores with every message (seen as round trips 1.6-2x slower in some runs).
     */
    private final byte[] txDirty;
    private static final int DIRTY_PAD = UrpcLayout.LINE_PAIR;
    private volatile boolean open = true;
    /**
     * Why this end failed (see {@link UrpcRingException}), or null. Written and read only by this end's thread (the
     * one that polls and sends), so a plain field: poll reads it first, one load and a branch never taken.
     */
    UrpcRingException failure;

    UrpcChannel(ByteBuffer buffer, boolean sideA, int slots, SlotSpacing spacing, FlowControl flowControl, Path file) {
        this.buffer = buffer;
        this.address = RingMemory.address(buffer);
        this.txDirty = new byte[DIRTY_PAD + slots + DIRTY_PAD];
        this.sideA = sideA;
        this.capacity = slots;
        this.mask = slots - 1;
        this.shift = Integer.numberOfTrailingZeros(slots);
        this.slotShift = spacing.shift();
        this.spacing = spacing;
        this.txRing = sideA ? UrpcLayout.RING_AB : UrpcLayout.ringBA(slots, spacing);
        this.rxRing = sideA ? UrpcLayout.ringBA(slots, spacing) : UrpcLayout.RING_AB;
        this.txAck = sideA ? UrpcLayout.ackAB(slots, spacing) : UrpcLayout.ackBA(slots, spacing);
        this.rxAck = sideA ? UrpcLayout.ackBA(slots, spacing) : UrpcLayout.ackAB(slots, spacing);
        this.ownState = sideA ? UrpcLayout.SIDE_A : UrpcLayout.SIDE_B;
        this.peerState = sideA ? UrpcLayout.SIDE_B : UrpcLayout.SIDE_A;
        this.flowControl = flowControl;
        this.file = file;
    }

    // ---- opening ---------------------------------------------------------------------------------------------

    /** Both ends of a channel between two threads of this process, in a fresh 64-byte-aligned direct buffer. */
    public static ChannelPair openPair(int slots, FlowControl flow) {
        return openPair(slots, flow, defaultAckBatch(slots));
    }

    /**
     * As {@link #openPair(int, FlowControl)}, with the ack batch: a receiver publishes its progress (the epoch
     * scheme's ack, the used bit's clears) after this many frames, and whenever a poll finds the ring empty.
     */
    public static ChannelPair openPair(int slots, FlowControl flow, int ackBatch) {
        return openPair(slots, flow, ackBatch, false, SlotSpacing.SPREAD);
    }

    /**
     * As {@link #openPair(int, FlowControl, int)}, saying whether both receivers hand consumed lines back (epoch
     * scheme only; see {@link EpochUrpcChannel}: what {@link UrpcTransport} chooses where the two cores share a
     * cache) and how far apart the frames lie ({@link SlotSpacing}: spread unless the channel only streams).
     */
    public static ChannelPair openPair(int slots, FlowControl flow, int ackBatch, boolean handBack,
            SlotSpacing spacing) {
        UrpcLayout.checkSlots(slots);
        checkAckBatch(slots, ackBatch);
        int bytes = UrpcLayout.bytes(slots, spacing);
        // Aligned to a line PAIR, not just a line: the layout keeps lines written by different sides 128 bytes apart
        // so the adjacent-line prefetcher never pairs them, which holds only if the pairs start on 128-byte
        // boundaries. With 64-byte alignment, half of all channels (malloc decides which) had the receiver's ack
        // line paired with the sender's last ring slot and its first slot of the other ring with the ack's padding;
        // that is why two identical urpc configurations in one bench run differed by up to 1.8x in throughput
        // (issue 18). A mapped file is page-aligned already.
        ByteBuffer memory = ByteBuffer.allocateDirect(bytes + UrpcLayout.LINE_PAIR).alignedSlice(UrpcLayout.LINE_PAIR)
                .order(ByteOrder.nativeOrder());
        initialise(memory, slots, spacing, flow);
        LONGS.setRelease(memory, UrpcLayout.SIDE_B + UrpcLayout.STATE, OPEN);
        UrpcChannel a = newEnd(memory.duplicate(), true, slots, spacing, flow, ackBatch, handBack, null);
        UrpcChannel b = newEnd(memory.duplicate(), false, slots, spacing, flow, ackBatch, handBack, null);
        return new ChannelPair(a, b);
    }

    /**
     * Creates {@code file} (which must not exist), maps it, and returns end A of a channel that another process
     * joins with {@link #attach}. Frames may be sent before the peer attaches; they wait in the ring.
     */
    public static UrpcChannel create(Path file, int slots, FlowControl flow) throws IOException {
        return create(file, slots, flow, false);
    }

    /**
     * As {@link #create(Path, int, FlowControl)}, saying whether this end's receiver hands consumed lines back (epoch
     * scheme only; see {@link EpochUrpcChannel}). Each end chooses for itself: the peer need not agree.
     */
    public static UrpcChannel create(Path file, int slots, FlowControl flow, boolean handBack) throws IOException {
        UrpcLayout.checkSlots(slots);
        SlotSpacing spacing = SlotSpacing.SPREAD;
        int bytes = UrpcLayout.bytes(slots, spacing);
        MappedByteBuffer memory;
        try (FileChannel fc = openOwnerOnly(file)) {
            // Zeros written, not a sparse extension by map: a tmpfs without room then fails here with an IOException,
            // instead of a SIGBUS (an InternalError out of poll or publish) at the first touch of an unbacked page.
            ByteBuffer zeros = ByteBuffer.allocate(Math.min(bytes, 1 << 16));
            for (long at = 0; at < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += fc.write(zeros, at);
            }
            memory = fc.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        }
        memory.order(ByteOrder.nativeOrder());
        initialise(memory, slots, spacing, flow);
        return newEnd(memory, true, slots, spacing, flow, defaultAckBatch(slots), handBack, file);
    }

    /** Owner read and write only, set as the file is made: no other local user can ever open the ring's traffic. */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    /** Creates {@code file} (it must not exist) owner-only where the file system has POSIX permissions. */
    private static FileChannel openOwnerOnly(Path file) throws IOException {
        var options = java.util.EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        boolean posix = file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews()
                .contains("posix");
        if (!posix) {
            return FileChannel.open(file, options);
        }
        return FileChannel.open(file, options, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                OWNER_ONLY));
    }

    /**
     * Maps {@code file}, made by {@link #create} in another process, validates its header, and returns end B.
     * Waits up to {@code timeout} for the file to appear and be initialised.
     *
     * @throws IOException if the file is not a urpc channel of this version, is truncated, was closed by its
     *                     creator, already has a side B, or did not appear in time
     */
    public static UrpcChannel attach(Path file, Duration timeout) throws IOException {
        return attach(file, timeout, false);
    }

    /** As {@link #attach(Path, Duration)}, saying whether this end's receiver hands consumed lines back. */
    public static UrpcChannel attach(Path file, Duration timeout, boolean handBack) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MappedByteBuffer memory = tryMap(file);
            if (memory != null && (long) LONGS.getAcquire(memory, UrpcLayout.MAGIC_OFFSET) == UrpcLayout.MAGIC) {
                return attachTo(file, memory, handBack);
            }
            if (memory != null && (long) LONGS.getAcquire(memory, UrpcLayout.MAGIC_OFFSET) != 0) {
                throw new IOException(file + " is not a urpc channel (bad magic number)");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no initialised urpc channel at " + file + " after " + timeout);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + file, e);
            }
        }
    }

    private static MappedByteBuffer tryMap(Path file) throws IOException {
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = fc.size();
            if (size < UrpcLayout.RING_AB) {
                return null;
            }
            return (MappedByteBuffer) fc.map(FileChannel.MapMode.READ_WRITE, 0, size).order(ByteOrder.nativeOrder());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static UrpcChannel attachTo(Path file, MappedByteBuffer memory, boolean handBack) throws IOException {
        int version = (int) INTS.get(memory, UrpcLayout.VERSION_OFFSET);
        if (version != UrpcLayout.VERSION) {
            throw new IOException(file + ": urpc layout version " + version + ", expected " + UrpcLayout.VERSION);
        }
        int slots = (int) INTS.get(memory, UrpcLayout.SLOTS_OFFSET);
        try {
            UrpcLayout.checkSlots(slots);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        SlotSpacing spacing;
        try {
            spacing = SlotSpacing.ofBytes((int) INTS.get(memory, UrpcLayout.SLOT_BYTES_OFFSET));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (memory.capacity() < UrpcLayout.bytes(slots, spacing)) {
            throw new IOException(file + ": " + memory.capacity() + " bytes, a " + slots + "-slot channel needs "
                    + UrpcLayout.bytes(slots, spacing));
        }
        FlowControl flow;
        try {
            flow = FlowControl.ofCode((int) INTS.get(memory, UrpcLayout.FLOW_OFFSET));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if ((long) LONGS.getAcquire(memory, UrpcLayout.SIDE_A + UrpcLayout.STATE) == CLOSED) {
            throw new IOException(file + ": its creator (pid " + LONGS.get(memory, UrpcLayout.SIDE_A + UrpcLayout.PID)
                    + ") already closed the channel");
        }
        LONGS.set(memory, UrpcLayout.SIDE_B + UrpcLayout.PID, ProcessHandle.current().pid());
        if (!LONGS.compareAndSet(memory, UrpcLayout.SIDE_B + UrpcLayout.STATE, NOT_ATTACHED, OPEN)) {
            throw new IOException(file + ": side B is already attached");
        }
        return newEnd(memory, false, slots, spacing, flow, defaultAckBatch(slots), handBack, file);
    }

    /** Writes the header and side A's state, then publishes the magic number last: an attacher that sees it sees all. */
    private static void initialise(ByteBuffer memory, int slots, SlotSpacing spacing, FlowControl flow) {
        INTS.set(memory, UrpcLayout.VERSION_OFFSET, UrpcLayout.VERSION);
        INTS.set(memory, UrpcLayout.SLOTS_OFFSET, slots);
        INTS.set(memory, UrpcLayout.SLOT_BYTES_OFFSET, spacing.bytes());
        INTS.set(memory, UrpcLayout.FLOW_OFFSET, flow.code());
        LONGS.set(memory, UrpcLayout.SIDE_A + UrpcLayout.PID, ProcessHandle.current().pid());
        LONGS.set(memory, UrpcLayout.SIDE_A + UrpcLayout.STATE, OPEN);
        LONGS.setRelease(memory, UrpcLayout.MAGIC_OFFSET, UrpcLayout.MAGIC);
    }

    private static UrpcChannel newEnd(ByteBuffer memory, boolean sideA, int slots, SlotSpacing spacing,
            FlowControl flow, int ackBatch, boolean handBack, Path file) {
        return flow == FlowControl.EPOCH
                ? new EpochUrpcChannel(memory, sideA, slots, spacing, ackBatch, handBack, file)
                : new UsedBitUrpcChannel(memory, sideA, slots, spacing, ackBatch, file);
    }

    static int defaultAckBatch(int slots) {
        return Math.max(1, slots / 2);
    }

    static void checkAckBatch(int slots, int ackBatch) {
        if (ackBatch < 1 || ackBatch > slots) {
            throw new IllegalArgumentException("urpc.ackBatch must be in [1, " + slots + "]: " + ackBatch);
        }
    }

    // ---- validation ------------------------------------------------------------------------------------------

    /**
     * Transport bits of a published control word other than {@link #BIT}: the sender always clears them ({@code
     * control & PAYLOAD_MASK}), so a word with any of them set was not written by a urpc sender.
     */
    static final long RESERVED_BITS = ControlWord.TRANSPORT_MASK & ~BIT;
    /** The message number's bits: never all zero in a published word ({@link #beginPublish} refuses 0). */
    static final long MESSAGE_BITS = 0xFFFFL << 8;

    /**
     * Whether {@code control}, a word the peer published, is one a urpc sender can write. Two and-compares on a value
     * the poll has already loaded: the price of never handing a handler a forged frame.
     */
    static boolean isWellFormed(long control) {
        return (control & RESERVED_BITS) == 0 && (control & MESSAGE_BITS) != 0;
    }

    /** Fails this end because of the received control word {@code control} at {@code position}; see {@link #fail}. */
    final UrpcRingException badControl(long position, long control) {
        return badControl(position, control,
                (control & MESSAGE_BITS) == 0 ? "message number 0" : "reserved transport bits set");
    }

    /** As {@link #badControl(long, long)}, saying {@code why} the word is impossible. */
    final UrpcRingException badControl(long position, long control, String why) {
        return fail("rx frame " + position + " (slot " + (position & mask) + ") has control word 0x"
                + Long.toHexString(control) + ", which no urpc sender writes (" + why + ")", null);
    }

    /**
     * Closes this end with {@code what} as its failure and returns the exception for the caller to throw: once, since
     * every later poll and send sees the end closed. Off the hot path (only on corrupt memory), so its allocation and
     * string building cost nothing in normal operation.
     */
    final UrpcRingException fail(String what, Throwable cause) {
        UrpcRingException e = new UrpcRingException(this + ": " + what, cause);
        failure = e;
        try {
            close(); // tells the peer, through our state line
        } catch (InternalError unmapped) {
            // the state line is beyond a truncated file's end: this end is closed (open is false), the peer cannot
            // be told through memory that is gone
        }
        return e;
    }

    /**
     * What a fault while accessing the ring becomes. A mapped file cut shorter than its layout (by another process,
     * or a full tmpfs) makes the access raise SIGBUS, which the JVM turns into {@link InternalError} (HotSpot's
     * message: "a fault occurred in an unsafe memory access operation"); for a file-backed end that is reported as
     * a {@link UrpcRingException} naming the file and its size. Any other InternalError is the JVM's own and is
     * rethrown unchanged. Caught around poll, writableFrames, claim, putWord and publish, where it costs nothing
     * until thrown.
     *
     * <p><b>Limit:</b> HotSpot raises the error synchronously only in interpreted code; in compiled code it marks it
     * pending and throws it at the thread's next transition into the VM, which may be after the urpc method has
     * returned, so then it escapes this translation. Files are therefore written out in full at {@link #create}
     * (no sparse pages a full tmpfs cannot back) and are owner-only (only the same user can truncate them).
     */
    final RuntimeException translate(InternalError e) {
        if (file == null) {
            throw e;
        }
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (IOException | RuntimeException io) {
            size = -1; // unlinked after both ends attached, as is usual: say what we can
        }
        long needed = UrpcLayout.bytes(capacity, spacing);
        String message = String.valueOf(e.getMessage());
        if (size >= needed && !message.contains("fault occurred")) {
            throw e;
        }
        return fail("the channel file was truncated while mapped ("
                + (size < 0 ? "it is no longer at that path" : size + " bytes") + ", a " + capacity
                + "-slot channel needs " + needed + ")", e);
    }

    /** The failure that closed this end (see {@link UrpcRingException}), or null. */
    public final UrpcRingException failure() {
        return failure;
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    /** {@link #claim()} if there is room, with the fault translation once (see {@link Channel#tryClaim()}). */
    @Override
    public final FrameWriter tryClaim() {
        try {
            return credit() > 0 ? claimSlot() : null;
        } catch (InternalError e) {
            throw translate(e);
        }
    }

    @Override
    public final FrameWriter claim() {
        try {
            return claimSlot();
        } catch (InternalError e) {
            throw translate(e);
        }
    }

    private FrameWriter claimSlot() {
        if (txSlot >= 0) {
            throw new IllegalStateException("previous frame not published");
        }
        // Credit left from the caller's writableFrames() check is enough; only without it count credit again.
        if ((txProduced == txLimit || !isOpen()) && writableFrames() == 0) {
            throw new IllegalStateException(failure != null ? "channel failed: " + failure.getMessage()
                    : !open ? "channel closed" : !isPeerOpen() ? "peer closed the channel"
                    : "channel full: check writableFrames() before claim()");
        }
        txSlot = txRing + ((txProduced & mask) << slotShift);
        return this;
    }

    @Override
    public final void putWord(int index, long value) {
        Frame.checkWord(index);
        if (txSlot < 0) { // a writer kept past its publish would otherwise write into the shared header
            throw new IllegalStateException("putWord without claim");
        }
        try {
            store(buffer, address, (int) txSlot + (index << 3), value);
        } catch (InternalError e) {
            throw translate(e);
        }
        txWritten |= 1L << index;
    }

    /**
     * Credit, free slots known, refreshed from the peer's side as its scheme says (an ack, or cleared words) when
     * used up. The schemes' own parts ({@link #credit}, {@link #transportBit}, {@link #receive}) run inside these
     * three, which translate the fault of a truncated file (see {@link #translate}) once for both.
     */
    @Override
    public final int writableFrames() {
        try {
            return credit();
        } catch (InternalError e) {
            throw translate(e);
        }
    }

    @Override
    public final void publish(long control) {
        int slot = beginPublish(control);
        long word = (control & PAYLOAD_MASK) | transportBit();
        try {
            // release: the payload stores above happen-before the receiver's acquire load of this word
            storeRelease(buffer, address, slot + Frame.CONTROL_OFFSET, word);
        } catch (InternalError e) {
            throw translate(e);
        }
        endPublish();
    }

    /**
     * The whole frame in one call (generated codecs send this way). Memory ordering as for {@link #putWord} then
     * {@link #publish(long)}, which this is: the payload words go into the claimed slot with plain stores, and
     * {@code publish(control)} then writes the control word with a release store, so every one of these stores
     * happens-before the receiver's acquire load that finds the new control word, and with it before its payload
     * loads. Until that store the slot is still this end's (the receiver reads it only after seeing a new control
     * word), so the order of the payload stores among themselves does not matter, and a publish refused after them
     * (message number 0) leaves nothing visible: the slot stays claimed.
     */
    @Override
    public final void publish(long control, long[] words, int offset, int count) {
        Frame.checkCount(words, offset, count);
        int slot = (int) txSlot;
        if (slot < 0) { // a writer kept past its publish would otherwise write into the shared header
            throw new IllegalStateException("publish without claim");
        }
        try {
            for (int i = 0; i < count; i++) {
                store(buffer, address, slot + (i << 3), words[offset + i]);
            }
        } catch (InternalError e) {
            throw translate(e);
        }
        txWritten |= (1L << count) - 1;
        publish(control);
    }

    @Override
    public final int poll(FrameHandler handler, int limit) {
        if (failure != null) {
            return 0; // reported once already
        }
        try {
            return receive(handler, limit);
        } catch (InternalError e) {
            throw translate(e);
        }
    }

    /** The scheme's {@link #writableFrames}: 0 when the channel is closed. */
    abstract int credit();

    /** The transport bit of the control word of frame {@code txProduced}, about to be published. */
    abstract long transportBit();

    /** The scheme's {@link #poll}: validates, delivers and hands slots back. */
    abstract int receive(FrameHandler handler, int limit);

    /** Checks a publish and zeroes the payload words the codec did not write; returns the slot's byte offset. */
    private int beginPublish(long control) {
        if (ControlWord.message(control) == 0) {
            throw new IllegalArgumentException("message number 0 is reserved for empty slots");
        }
        int slot = (int) txSlot;
        if (slot < 0) {
            throw new IllegalStateException("publish without claim");
        }
        int index = DIRTY_PAD + (int) (txProduced & mask);
        long stale = txDirty[index] & ~txWritten;
        while (stale != 0) {
            store(buffer, address, slot + (Long.numberOfTrailingZeros(stale) << 3), 0L);
            stale &= stale - 1;
        }
        txDirty[index] = (byte) txWritten;
        return slot;
    }

    /** Ends a publish: the slot is the peer's now. */
    private void endPublish() {
        txProduced++;
        txSlot = -1;
        txWritten = 0;
    }

    // ---- receiving -------------------------------------------------------------------------------------------

    @Override
    public final long control() {
        return rxControl;
    }

    @Override
    public final long word(int index) {
        Frame.checkWord(index);
        return load(buffer, address, (int) rxSlot + (index << 3));
    }

    /**
     * Plain loads, as {@link #word}: called only from the handler of a poll, which has loaded this slot's control
     * word with acquire and found a new frame, so the sender's payload stores happen-before these loads.
     */
    @Override
    public final long read(long[] dst, int offset) {
        Frame.checkRange(dst, offset);
        int slot = (int) rxSlot;
        for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
            dst[offset + i] = load(buffer, address, slot + (i << 3));
        }
        return rxControl;
    }


    // ---- state -----------------------------------------------------------------------------------------------

    @Override
    public final int capacity() {
        return capacity;
    }

    /** Open while neither end has closed. */
    @Override
    public final boolean isOpen() {
        return open && isPeerOpen();
    }

    /** Whether the peer has not closed its end (a peer that has not attached yet counts as open). */
    final boolean isPeerOpen() {
        // The peer's state line is written once per lifetime, so this load hits the local cache.
        return loadAcquire(buffer, address, peerState + UrpcLayout.STATE) != CLOSED;
    }

    /**
     * Closes this end: no more claims here, and the peer sees the channel closed. Frames already published stay
     * readable by the peer. The mapping of a file-backed end is released by the garbage collector; the file stays.
     */
    @Override
    public final void close() {
        if (open) {
            open = false;
            storeRelease(buffer, address, ownState + UrpcLayout.STATE, CLOSED);
        }
    }

    public final FlowControl flowControl() {
        return flowControl;
    }

    /** How far apart this channel's frames lie. */
    public final SlotSpacing spacing() {
        return spacing;
    }

    /** Whether this end's receiver hands consumed lines back to the sender (see {@link EpochUrpcChannel}). */
    public boolean handsBack() {
        return false;
    }

    /** The mapped file, or null for an in-process channel. */
    public final Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "urpc[" + flowControl.label() + (handsBack() ? " with hand-back" : "") + ", " + capacity + " slots"
                + (spacing == SlotSpacing.SPREAD ? "" : ", " + spacing.name().toLowerCase(java.util.Locale.ROOT))
                + ", side " + (sideA ? "A" : "B")
                + (file != null ? ", " + file : "") + "]";
    }
}
