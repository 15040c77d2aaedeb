package io.flotilla.transport.urpc;

import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link UrpcProcessTest}: attaches to a urpc channel file as side B and echoes every frame
 * back unchanged until it has echoed {@code count} frames, the parent closes the channel, or 60 s pass.
 * Usage: {@code UrpcEchoMain <file> <count>}; exit status 0 on success.
 */
public final class UrpcEchoMain {

    private UrpcEchoMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long count = Long.parseLong(args[1]);
        UrpcChannel channel = UrpcChannel.attach(file, Duration.ofSeconds(30));
        long[] echoed = {0};
        FrameHandler echo = frame -> {
            FrameWriter w = channel.claim(); // the poll below takes no more frames than there is room to echo
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                w.putWord(i, frame.word(i));
            }
            w.publish(frame.control());
            echoed[0]++;
        };
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int spins = 0;
        while (echoed[0] < count && channel.isOpen()) {
            int room = channel.writableFrames();
            if (room == 0 || channel.poll(echo, room) == 0) {
                if ((++spins & 0xFF) == 0) {
                    Thread.yield();
                    if (System.nanoTime() > deadline) {
                        System.err.println("echo: timed out after " + echoed[0] + " frames");
                        System.exit(2);
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
        }
        channel.close();
        System.out.println("echoed " + echoed[0]);
        System.exit(echoed[0] == count ? 0 : 3);
    }
}
