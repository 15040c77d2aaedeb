package io.flotilla.kernel;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;

/**
 * The route frame that goes before every monitor message on a link between nodes and on a core's
 * {@linkplain Internode#inbox inbox}: who sent the message, to whom, and how many frames it has. The node runtime
 * reads only route frames; the message's own frames follow it unchanged.
 *
 * <pre>
 * control word  message {@value #MESSAGE}, fragment 0, last, token 0
 * word 0        sending core (or {@value #NODE}: the node runtime itself)
 * word 1        receiving core (or {@value #NODE}: the receiving node runtime)
 * word 2        frames that follow (1..{@value #MAX_FRAMES})
 * words 3..6    0
 * </pre>
 *
 * {@value #MESSAGE} lies below {@link ControlWord#FIRST_FRAMEWORK_MESSAGE} (so a {@code Binding} hands it to its
 * receiver) and above every message number a generated kernel interface uses.
 */
public final class InternodeRoute {

    /** The route frame's message number. */
    public static final int MESSAGE = 0xFEFF;
    /** The core number that stands for a node runtime rather than a core. */
    public static final int NODE = -1;
    /** Most frames one routed message may have: a bound on what a peer can make a node buffer. */
    public static final int MAX_FRAMES = 64;

    private InternodeRoute() {}

    public static boolean isRoute(long control) {
        return ControlWord.message(control) == MESSAGE;
    }

    public static void write(FrameWriter w, int from, int to, int frames) {
        w.putWord(0, from);
        w.putWord(1, to);
        w.putWord(2, frames);
        for (int i = 3; i < 7; i++) {
            w.putWord(i, 0);
        }
        w.publish(ControlWord.of(MESSAGE, 0, true, 0));
    }

    public static int from(FrameReader r) {
        return (int) r.word(0);
    }

    public static int to(FrameReader r) {
        return (int) r.word(1);
    }

    public static int frames(FrameReader r) {
        return (int) r.word(2);
    }

    /**
     * Null if {@code r} is a well-formed route frame for a machine of {@code cores} cores, else what is wrong: the
     * words are a peer's, so every field is checked before it is used.
     */
    public static String check(FrameReader r, int cores) {
        if (!isRoute(r.control()) || !ControlWord.isLast(r.control()) || ControlWord.fragment(r.control()) != 0) {
            return "not a route frame: " + ControlWord.toString(r.control());
        }
        long from = r.word(0);
        long to = r.word(1);
        long frames = r.word(2);
        if (from < NODE || from >= cores || to < NODE || to >= cores) {
            return "route names no core of this machine: from " + from + " to " + to;
        }
        if (frames < 1 || frames > MAX_FRAMES) {
            return "route announces " + frames + " frames (1.." + MAX_FRAMES + ")";
        }
        for (int i = 3; i < 7; i++) {
            if (r.word(i) != 0) {
                return "route frame word " + i + " is not 0";
            }
        }
        return null;
    }
}
