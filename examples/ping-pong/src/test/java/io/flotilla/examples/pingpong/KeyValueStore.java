package io.flotilla.examples.pingpong;

import io.flotilla.binding.Binding;
import io.flotilla.cap.Capability;
import io.flotilla.examples.pingpong.generated.KeyValue;
import io.flotilla.examples.pingpong.generated.KeyValueHandler;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server side of the failure tests: a key-value store whose keys select what goes wrong. {@code "boom"} makes
 * {@code put} throw; {@code "slow"} makes {@code get} keep its responder unanswered (answer later with
 * {@link #answerSlow}, or by a put of {@code "answer-slow"}); {@code "close"} makes {@code get} close the
 * server's end with that call pending; {@code "bad"} makes {@code get} answer with a malformed frame; {@code remove} is left
 * unimplemented; {@code frame} answers with a capability, which a binding without capability transfer refuses.
 */
final class KeyValueStore implements KeyValueHandler {

    /** A capability the store hands out; what it names does not matter here. */
    record Frame(long bytes) implements Capability {}

    final Binding binding;
    final Map<String, byte[]> values = new HashMap<>();
    final List<KeyValue.GetResponder> slow = new ArrayList<>();

    KeyValueStore(Binding binding) {
        this.binding = binding;
    }

    @Override
    public void put(String key, byte[] value, KeyValue.PutResponder responder) {
        if (key.equals("boom")) {
            throw new IllegalStateException("disk on fire");
        }
        if (key.equals("answer-slow")) {
            answerSlow();
        }
        values.put(key, value);
        responder.send(0L);
    }

    @Override
    public void get(String key, KeyValue.GetResponder responder) {
        switch (key) {
            case "slow" -> slow.add(responder);
            case "close" -> binding.close(); // with this very call pending
            case "bad" -> {
                // a response frame no decoder accepts: the last word of a one-word fixed part is not zero
                FrameWriter w = binding.claim();
                w.putWord(6, 1);
                w.publish(ControlWord.of(KeyValue.GET_RESPONSE, 0, true, responder.token()));
            }
            default -> {
                byte[] v = values.get(key);
                responder.send(v == null ? new byte[0] : v, v != null);
            }
        }
    }

    @Override
    public void frame(long bytes, KeyValue.FrameResponder responder) {
        responder.send(new Frame(bytes));
    }

    /** Answers every call kept by a {@code "slow"} get. */
    void answerSlow() {
        for (KeyValue.GetResponder r : slow) {
            r.send(new byte[] {1}, true);
        }
        slow.clear();
    }
}
