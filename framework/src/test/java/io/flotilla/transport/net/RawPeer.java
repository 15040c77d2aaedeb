package io.flotilla.transport.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A hand-driven peer on a plain java.net.Socket, for feeding a server exactly the bytes a test wants. */
final class RawPeer implements AutoCloseable {

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawPeer(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 2000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(ByteBuf b) throws IOException {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        send(bytes);
    }

    /** The next record, from its type byte on; throws EOFException when the server closed. */
    ByteBuf readRecord() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return Unpooled.wrappedBuffer(body);
    }

    /** True when the server closes the connection within the socket timeout, after any records it still sends. */
    boolean closedByServer() throws IOException {
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[4096];
        try {
            while (raw.read(sink) >= 0) {
                // drain a REFUSE or whatever else precedes the close
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** A version-1 HELLO as a good client of {@code config} sends it. */
    static Handshake.Hello hello(NetConfig config, long sessionId) {
        return new Handshake.Hello(Wire.VERSION, config.ringFrames(), config.maxBatchFrames(), sessionId,
                config.fingerprint(), Handshake.nonce(), config.interfaceName().getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the whole client handshake for a new session; returns the server's CHALLENGE. */
    Handshake.Challenge handshake(NetConfig config) throws IOException {
        Handshake.Hello hello = hello(config, 0);
        send(hello.encode(Unpooled.buffer().alloc()));
        ByteBuf c = readRecord();
        if (c.readUnsignedByte() != Wire.CHALLENGE) {
            throw new IOException("expected CHALLENGE");
        }
        Handshake.Challenge challenge = Handshake.Challenge.decode(c);
        send(Handshake.proof(Unpooled.buffer().alloc(),
                Handshake.mac(config.clusterSecret(), Handshake.CLIENT_ROLE, hello, challenge)));
        ByteBuf w = readRecord();
        if (w.readUnsignedByte() != Wire.WELCOME) {
            throw new IOException("expected WELCOME");
        }
        return challenge;
    }

    static byte[] record(int type, byte[] body) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(1 + body.length).writeByte(type).writeBytes(body);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static boolean isEof(IOException e) {
        return e instanceof EOFException || e instanceof SocketException;
    }
}
