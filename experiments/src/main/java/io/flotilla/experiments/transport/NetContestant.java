package io.flotilla.experiments.transport;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.net.NetLoopbackTransport;
import org.HdrHistogram.Histogram;

/**
 * net over a TCP loopback connection, measured as {@link ChannelContestant} measures urpc. The loops are this class's
 * own, not {@link ChannelContestant}'s, on purpose: a call site's type profile belongs to its bytecode, so sharing
 * those loops made their channel calls see net's classes beside urpc's. With three receiver classes the sites went
 * megamorphic and urpc paid an interface dispatch per call in every full run (its throughput fell behind the queues
 * that have loops of their own), which no urpc program with one transport per call site pays.
 */
final class NetContestant extends Contestant {

    private final Channel main;
    private final Channel worker;

    NetContestant() {
        super("net");
        ChannelPair pair = new NetLoopbackTransport().open(Endpoint.local(0), Endpoint.local(1),
                ChannelOptions.DEFAULT.withSlots(CAPACITY));
        main = pair.left();
        worker = pair.right();
    }

    @Override
    void close() {
        main.close();
        worker.close();
    }

    private static final class Receiver implements FrameHandler {
        long last;
        boolean stopped;

        @Override
        public void onFrame(FrameReader frame) {
            long value = frame.word(0);
            if (value == STOP) {
                stopped = true;
                return;
            }
            expect(value, last + 1);
            last = value;
        }
    }

    private static void send(Channel channel, long value) {
        while (channel.writableFrames() == 0) {
            spinWait();
        }
        FrameWriter w = channel.claim();
        w.putWord(0, value);
        w.publish(ChannelContestant.CONTROL);
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        Receiver replies = new Receiver();
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            send(main, ++i);
            while (main.poll(replies, 1) == 0) {
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        send(main, STOP);
        return i;
    }

    @Override
    void echo() {
        Receiver requests = new Receiver();
        while (true) {
            while (worker.poll(requests, 1) == 0) {
                spinWait();
            }
            if (requests.stopped) {
                return;
            }
            send(worker, requests.last);
        }
    }

    @Override
    long produce(long deadline) {
        long i = 0;
        do {
            send(main, ++i);
        } while (!expired(i, deadline));
        send(main, STOP);
        return i;
    }

    @Override
    void consume(BatchClock clock) {
        Receiver requests = new Receiver();
        clock.start();
        while (!requests.stopped) {
            if (worker.poll(requests, CAPACITY) == 0) {
                spinWait();
            }
            clock.tick(requests.last);
        }
    }
}
