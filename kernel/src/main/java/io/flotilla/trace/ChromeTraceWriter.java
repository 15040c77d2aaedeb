package io.flotilla.trace;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Tracer;
import io.flotilla.machine.Machine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes a run as Chrome trace-event JSON (the "JSON Object format" that ui.perfetto.dev and chrome://tracing
 * open): {@code {"traceEvents":[...],"displayTimeUnit":"ns"}}. One process (pid 1, named after the machine), one
 * thread per booted core (tid = core, named "core N"); every upcall is a complete slice ({@code "ph":"X"}) named
 * after its dispatcher, every message a flow arrow from the slice that sent it ({@code "ph":"s"}) to the slice that
 * handled it ({@code "ph":"f"}, {@code "bp":"e"}).
 *
 * <p>Times arrive in cycles and are written in microseconds at the machine's clock, to the nanosecond, so the same
 * sim run always gives the same file. Streams as it goes (nothing is kept per event) and synchronises every event,
 * so the pinned platform's core threads may share one writer. {@link #close()} ends the JSON; a file that was not
 * closed is cut short, which Perfetto usually still opens.
 */
public final class ChromeTraceWriter implements Tracer, AutoCloseable {

    private static final int PID = 1;

    private final Writer out;
    private final Map<Dispatcher, String> names = new IdentityHashMap<>();
    private double clockGhz = 1.0;
    private boolean firstEvent = true;
    private boolean closed;
    private long events;

    /** Writes to {@code out}, which this writer closes. */
    public ChromeTraceWriter(Writer out) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
        write("{\"traceEvents\":[\n");
    }

    /** Writes to {@code file}, replacing it. */
    public static ChromeTraceWriter toFile(Path file) throws IOException {
        return new ChromeTraceWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void boot(Machine machine, int cores) {
        clockGhz = machine.clockGhz();
        begin().append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":").append(PID)
                .append(",\"args\":{\"name\":");
        string("flotilla: " + machine.name()).append("}}");
        flushBuffer();
        for (int c = 0; c < cores; c++) {
            begin().append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":").append(PID).append(",\"tid\":")
                    .append(c).append(",\"args\":{\"name\":\"core ").append(c).append("\"}}");
            flushBuffer();
            // Perfetto orders tracks by this, so core 10 comes after core 9, not after core 1.
            begin().append("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":").append(PID)
                    .append(",\"tid\":").append(c).append(",\"args\":{\"sort_index\":").append(c).append("}}");
            flushBuffer();
        }
    }

    @Override
    public synchronized void slice(int core, Dispatcher owner, String what, long start, long end) {
        begin().append("{\"name\":");
        string(owner == null ? "monitor" : names.computeIfAbsent(owner, Dispatcher::name));
        buf.append(",\"cat\":");
        string(what);
        buf.append(",\"ph\":\"X\",\"pid\":").append(PID).append(",\"tid\":").append(core).append(",\"ts\":");
        micros(start).append(",\"dur\":");
        micros(Math.max(0, end - start)).append('}');
        flushBuffer();
    }

    @Override
    public synchronized void sent(int from, int to, long flow, long time) {
        flow("s", from, flow, time, "");
    }

    @Override
    public synchronized void received(int core, long flow, long sentAt, long time) {
        // bp "e": the arrow ends on the slice enclosing this time (the handler), not on the next slice to start.
        flow("f", core, flow, time, ",\"bp\":\"e\"");
    }

    private void flow(String phase, int core, long flow, long time, String extra) {
        begin().append("{\"name\":\"message\",\"cat\":\"message\",\"ph\":\"").append(phase).append("\",\"id\":")
                .append(flow).append(",\"pid\":").append(PID).append(",\"tid\":").append(core).append(",\"ts\":");
        micros(time).append(extra).append('}');
        flushBuffer();
    }

    /** Events written so far, metadata included. */
    public synchronized long events() {
        return events;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            out.write("\n],\"displayTimeUnit\":\"ns\"}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- formatting: one reused buffer, no String.format (it is slow and locale-dependent) --------------------

    private final StringBuilder buf = new StringBuilder(256);

    /** Starts the next event in {@link #buf}; every event ends with {@link #flushBuffer()} before the next. */
    private StringBuilder begin() {
        if (closed) {
            throw new IllegalStateException("trace writer closed");
        }
        buf.setLength(0);
        if (!firstEvent) {
            buf.append(",\n");
        }
        firstEvent = false;
        events++;
        return buf;
    }

    /** Cycles as microseconds with three decimals (whole nanoseconds). */
    private StringBuilder micros(long cycles) {
        long ns = Math.round(cycles / clockGhz);
        if (ns < 0) {
            buf.append('-');
            ns = -ns;
        }
        long frac = ns % 1000;
        buf.append(ns / 1000).append('.');
        if (frac < 100) {
            buf.append('0');
        }
        if (frac < 10) {
            buf.append('0');
        }
        return buf.append(frac);
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    private StringBuilder string(String s) {
        buf.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> buf.append("\\\"");
                case '\\' -> buf.append("\\\\");
                case '\n' -> buf.append("\\n");
                case '\r' -> buf.append("\\r");
                case '\t' -> buf.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        buf.append(String.format("\\u%04x", (int) ch));
                    } else {
                        buf.append(ch);
                    }
                }
            }
        }
        return buf.append('"');
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flushBuffer() {
        try {
            out.append(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
