package io.flotilla.transport.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake's records and its proof of the cluster secret.
 *
 * <p>Each side proves the secret by an HMAC-SHA256, keyed by the secret, over the whole transcript: both nonces,
 * the interface name and fingerprint, the session id and both sides' sizes. The proofs differ by a role byte
 * ({@code 'S'} or {@code 'C'}): without it a client could reflect the server's own MAC back as its proof. Fresh
 * nonces on both sides make a recorded handshake useless to replay. Proofs are compared in constant time.
 */
final class Handshake {

    private static final byte[] LABEL = "flotilla-net".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    static final byte SERVER_ROLE = 'S';
    static final byte CLIENT_ROLE = 'C';

    private Handshake() {}

    /** HELLO as sent by a client of this version. */
    record Hello(int version, int ringFrames, int batchFrames, long sessionId, long fingerprint, byte[] nonce,
            byte[] name) {

        ByteBuf encode(ByteBufAllocator alloc) {
            int length = Wire.TYPE_BYTES + Wire.HELLO_V1_FIXED + name.length;
            ByteBuf b = alloc.buffer(Wire.LENGTH_BYTES + length);
            b.writeInt(length).writeByte(Wire.HELLO).writeShort(version).writeInt(ringFrames).writeInt(batchFrames)
                    .writeLong(sessionId).writeLong(fingerprint).writeBytes(nonce).writeByte(name.length)
                    .writeBytes(name);
            return b;
        }

        /** Reads the body after the version field, or returns null when it is not a well-formed version-1 body. */
        static Hello decodeV1(int version, ByteBuf body) {
            if (body.readableBytes() < Wire.HELLO_V1_FIXED - 2) {
                return null;
            }
            int ring = body.readInt();
            int batch = body.readInt();
            long session = body.readLong();
            long fingerprint = body.readLong();
            byte[] nonce = new byte[Wire.NONCE_BYTES];
            body.readBytes(nonce);
            int nameLength = body.readUnsignedByte();
            if (body.readableBytes() != nameLength) {
                return null;
            }
            byte[] name = new byte[nameLength];
            body.readBytes(name);
            return new Hello(version, ring, batch, session, fingerprint, nonce, name);
        }
    }

    /** CHALLENGE: the server's nonce, the session it opens or resumes, its sizes and its proof. */
    record Challenge(byte[] nonce, long sessionId, int ringFrames, int batchFrames, byte[] mac) {

        ByteBuf encode(ByteBufAllocator alloc) {
            ByteBuf b = alloc.buffer(Wire.LENGTH_BYTES + Wire.CHALLENGE_LENGTH);
            b.writeInt(Wire.CHALLENGE_LENGTH).writeByte(Wire.CHALLENGE).writeBytes(nonce).writeLong(sessionId)
                    .writeInt(ringFrames).writeInt(batchFrames).writeBytes(mac);
            return b;
        }

        static Challenge decode(ByteBuf body) {
            byte[] nonce = new byte[Wire.NONCE_BYTES];
            body.readBytes(nonce);
            long session = body.readLong();
            int ring = body.readInt();
            int batch = body.readInt();
            byte[] mac = new byte[Wire.MAC_BYTES];
            body.readBytes(mac);
            return new Challenge(nonce, session, ring, batch, mac);
        }
    }

    static ByteBuf proof(ByteBufAllocator alloc, byte[] mac) {
        return alloc.buffer(Wire.LENGTH_BYTES + Wire.PROOF_LENGTH).writeInt(Wire.PROOF_LENGTH).writeByte(Wire.PROOF)
                .writeBytes(mac);
    }

    static ByteBuf welcome(ByteBufAllocator alloc) {
        return alloc.buffer(Wire.LENGTH_BYTES + Wire.WELCOME_LENGTH).writeInt(Wire.WELCOME_LENGTH)
                .writeByte(Wire.WELCOME);
    }

    static ByteBuf refuse(ByteBufAllocator alloc, NetRefusal why) {
        return alloc.buffer(Wire.LENGTH_BYTES + Wire.REFUSE_LENGTH).writeInt(Wire.REFUSE_LENGTH)
                .writeByte(Wire.REFUSE).writeByte(why.ordinal());
    }

    static byte[] nonce() {
        byte[] n = new byte[Wire.NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** A fresh session id; never 0, which in HELLO asks for a new session. */
    static long newSessionId() {
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0);
        return id;
    }

    /** The MAC of {@code role} over the transcript of one handshake. */
    static byte[] mac(byte[] secret, byte role, Hello hello, Challenge challenge) {
        ByteBuffer t = ByteBuffer.allocate(LABEL.length + 1 + 2 + 2 * Wire.NONCE_BYTES + 1 + hello.name().length
                + 8 + 8 + 4 * 4);
        t.put(LABEL).put(role).putShort((short) hello.version()).put(hello.nonce()).put(challenge.nonce())
                .put((byte) hello.name().length).put(hello.name()).putLong(hello.fingerprint())
                .putLong(challenge.sessionId()).putInt(hello.ringFrames()).putInt(hello.batchFrames())
                .putInt(challenge.ringFrames()).putInt(challenge.batchFrames());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(t.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** Constant-time comparison, so the time a check takes says nothing about how much of a forged MAC matched. */
    static boolean sameMac(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    /** Null when a peer's announced sizes are acceptable, else why not. */
    static String checkSizes(int ringFrames, int batchFrames) {
        if (ringFrames < 2 || ringFrames > NetConfig.MAX_RING_FRAMES || Integer.bitCount(ringFrames) != 1) {
            return "ring of " + ringFrames + " frames (not a power of two in 2.." + NetConfig.MAX_RING_FRAMES + ")";
        }
        if (batchFrames < 1 || batchFrames > NetConfig.MAX_BATCH_FRAMES) {
            return "batch limit of " + batchFrames + " frames (not in 1.." + NetConfig.MAX_BATCH_FRAMES + ")";
        }
        return null;
    }
}
