package io.flotilla.examples.pingpong;

import io.flotilla.binding.RpcException;
import io.flotilla.binding.RpcStatus;
import io.flotilla.cap.Capability;
import io.flotilla.examples.pingpong.generated.KeyValue;
import java.util.ArrayList;
import java.util.List;

/** Every way one key-value call ended, in order: a test asserts there is exactly one. */
final class Outcomes implements KeyValue.PutReply, KeyValue.GetReply, KeyValue.RemoveReply, KeyValue.FrameReply {

    final List<Object> ends = new ArrayList<>();
    RpcException failure;
    /** Runs after each end is recorded: the next step of a script. */
    Runnable then = () -> {};

    @Override
    public void reply(long err) {
        ends.add("put " + err);
        then.run();
    }

    @Override
    public void reply(byte[] value, boolean found) {
        ends.add("get " + value.length + " " + found);
        then.run();
    }

    @Override
    public void reply(boolean existed) {
        ends.add("remove " + existed);
        then.run();
    }

    @Override
    public void reply(Capability frame) {
        ends.add("frame " + frame);
        then.run();
    }

    @Override
    public void failed(RpcException f) {
        failure = f;
        ends.add(f.status());
        then.run();
    }

    boolean done() {
        return !ends.isEmpty();
    }

    /** The status the call ended with; fails the test unless it ended exactly once, with a failure. */
    RpcStatus onlyStatus() {
        if (ends.size() != 1 || !(ends.get(0) instanceof RpcStatus s)) {
            throw new AssertionError("expected exactly one failure, got " + ends);
        }
        return s;
    }
}
