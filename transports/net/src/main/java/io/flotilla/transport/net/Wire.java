package io.flotilla.transport.net;

import io.flotilla.frame.Frame;

/**
 * The byte layout of the {@code net} protocol, version {@value #VERSION}. All integers are big-endian.
 *
 * <pre>
 * record    := length:u32 type:u8 body           length counts type and body, so it is at least 1
 *
 * HELLO     1  client -> server  version:u16 ringFrames:u32 batchFrames:u32 sessionId:u64 fingerprint:u64
 *                                nonce:byte[32] nameLength:u8 name:utf8      (sessionId 0 opens a new session)
 * CHALLENGE 2  server -> client  nonce:byte[32] sessionId:u64 ringFrames:u32 batchFrames:u32 mac:byte[32]
 * PROOF     3  client -> server  mac:byte[32]
 * WELCOME   4  server -> client  (empty)                      the session is open: data may flow both ways
 * REFUSE    5  server -> client  reason:u8 ({@link NetRefusal} ordinal); the server closes right after
 *              client -> server  the same, in answer to a CHALLENGE whose proof failed; the client closes
 * DATA      6  both ways         ack:u64 firstSeq:u64 frames:byte[64 * n], n >= 1; frame i has seq firstSeq + i
 * ACK       7  both ways         ack:u64
 * BYE       8  both ways         (empty)                      the sender closed its end
 * </pre>
 *
 * <p>Sequence numbers start at 1 in each direction of a session and survive reconnections; {@code ack} is
 * cumulative: "I have consumed every frame up to this sequence number" (0: none yet). Only HELLO's first field is
 * read before the version is known to match, so a later version can change everything after it.
 */
final class Wire {

    static final int VERSION = 1;

    static final int HELLO = 1;
    static final int CHALLENGE = 2;
    static final int PROOF = 3;
    static final int WELCOME = 4;
    static final int REFUSE = 5;
    static final int DATA = 6;
    static final int ACK = 7;
    static final int BYE = 8;

    static final int LENGTH_BYTES = 4;
    static final int TYPE_BYTES = 1;
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;

    /** HELLO of any version: at least the version field; at most what a version-1 HELLO can take, rounded up. */
    static final int HELLO_MIN = TYPE_BYTES + 2;
    static final int HELLO_MAX = 512;
    static final int HELLO_V1_FIXED = 2 + 4 + 4 + 8 + 8 + NONCE_BYTES + 1;
    static final int CHALLENGE_LENGTH = TYPE_BYTES + NONCE_BYTES + 8 + 4 + 4 + MAC_BYTES;
    static final int PROOF_LENGTH = TYPE_BYTES + MAC_BYTES;
    static final int WELCOME_LENGTH = TYPE_BYTES;
    static final int REFUSE_LENGTH = TYPE_BYTES + 1;
    static final int DATA_HEADER = TYPE_BYTES + 8 + 8;
    static final int ACK_LENGTH = TYPE_BYTES + 8;
    static final int BYE_LENGTH = TYPE_BYTES;

    private Wire() {}

    /** Length field of a DATA record carrying {@code frames} frames. */
    static int dataLength(int frames) {
        return DATA_HEADER + frames * Frame.BYTES;
    }

    static String typeName(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case CHALLENGE -> "CHALLENGE";
            case PROOF -> "PROOF";
            case WELCOME -> "WELCOME";
            case REFUSE -> "REFUSE";
            case DATA -> "DATA";
            case ACK -> "ACK";
            case BYE -> "BYE";
            default -> "type " + type;
        };
    }
}
