package io.flotilla.codegen;

import io.flotilla.binding.Binding;
import io.flotilla.binding.BindingException;
import io.flotilla.binding.Continuation;
import io.flotilla.binding.InProcessCapabilityTransfer;
import io.flotilla.channel.ChannelPair;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameSink;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.loopback.LoopbackChannel;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Reflective access to the generated code of one interface, for property tests: random argument values from the
 * model, recording handlers and reply continuations (dynamic proxies), stub calls, and frame capture.
 */
final class Harness {

    final GeneratedSources src;
    final Interface iface;
    final String holderName;
    final Class<?> holder;
    final Class<?> handlerClass;

    Harness(GeneratedSources src, Interface iface) {
        this.src = src;
        this.iface = iface;
        this.holderName = JavaNames.upperCamel(iface.name());
        this.holder = src.load(holderName);
        this.handlerClass = src.load(holderName + "Handler");
    }

    /** A call a recording proxy received: method name and arguments (the responder last, for rpc calls). */
    record Call(String method, Object[] args) {
        @Override
        public String toString() {
            return method + Arrays.deepToString(args);
        }
    }

    /** One binding end with a recording handler. */
    final class End {
        final Binding binding;
        final Object stub;
        final List<Call> calls = new ArrayList<>();
        final List<BindingException> errors = new ArrayList<>();

        End(Binding binding) {
            this.binding = binding;
            binding.setErrorHandler(errors::add);
            Object handler = recorder(handlerClass, calls);
            this.stub = invokeStatic(holder, "bind", binding, handler);
        }

        void deliver(long[] frame) {
            binding.deliver(new ArrayFrame(frame));
        }
    }

    /** Two connected ends sharing an in-process capability transfer. */
    End[] pair(int slots) {
        return pair(LoopbackChannel.open(slots));
    }

    /** Two connected ends on the two ends of {@code p}, sharing an in-process capability transfer. */
    End[] pair(ChannelPair p) {
        var caps = new InProcessCapabilityTransfer();
        return new End[] {new End(new Binding(p.left(), caps)), new End(new Binding(p.right(), caps))};
    }

    static void pump(End... ends) {
        for (int rounds = 0; rounds < 100_000; rounds++) {
            int n = 0;
            int queued = 0;
            for (End e : ends) {
                n += e.binding.poll(64);
                queued += e.binding.queuedFrames();
            }
            if (n == 0 && queued == 0) {
                return;
            }
        }
        throw new AssertionError("no quiescence");
    }

    @SuppressWarnings("unchecked")
    static <T> T recorder(Class<T> type, List<Call> calls) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> type.getSimpleName() + "-recorder";
                };
            }
            calls.add(new Call(m.getName(), args == null ? new Object[0] : args));
            return null;
        });
    }

    // ---- messages --------------------------------------------------------------------------------------------

    String javaName(Message m) {
        return JavaNames.lowerCamel(m.name());
    }

    private final java.util.Map<String, Class<?>> nestedCache = new java.util.HashMap<>();

    Class<?> nested(String simple) {
        return nestedCache.computeIfAbsent(simple, s -> src.load(holderName + "$" + s));
    }

    /** Sends message {@code m} on {@code end}'s stub (the overload without continuation). */
    void send(End end, Message m, Object[] args) {
        invoke(end.stub, javaName(m), args);
    }

    /** Sends message {@code m} with a continuation. */
    void send(End end, Message m, Object[] args, Continuation whenSent) {
        Object[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = whenSent;
        invoke(end.stub, javaName(m), all);
    }

    /** Calls rpc {@code m}; the reply proxy records into {@code replies}. */
    void call(End end, Message m, Object[] inArgs, List<Call> replies) {
        Class<?> replyType = nested(JavaNames.upperCamel(m.name()) + "Reply");
        Object[] all = Arrays.copyOf(inArgs, inArgs.length + 1);
        all[inArgs.length] = recorder(replyType, replies);
        invoke(end.stub, javaName(m), all);
    }

    /** Sends a response through a responder the handler received. */
    static void respond(Object responder, Object[] outArgs) {
        invoke(responder, "send", outArgs);
    }

    /** Encodes a wire message into frames (each 8 words, control last) with the codec, as a test sink collects. */
    List<long[]> encode(String encodeName, int token, Object[] args) {
        var frames = new ArrayList<long[]>();
        FrameSink sink = new FrameSink() {
            @Override
            public boolean hasRoomFor(int n) {
                return true;
            }

            @Override
            public FrameWriter claim() {
                long[] f = new long[8];
                frames.add(f);
                return new FrameWriter() {
                    @Override
                    public void putWord(int index, long value) {
                        Objects.checkIndex(index, 7);
                        f[index] = value;
                    }

                    @Override
                    public void publish(long control) {
                        f[7] = control;
                    }
                };
            }
        };
        try {
            Object codec = src.load(holderName + "Codec")
                    .getConstructor(FrameSink.class, io.flotilla.binding.CapabilityTransfer.class)
                    .newInstance(sink, new InProcessCapabilityTransfer());
            Object[] all = new Object[args.length + 1];
            all[0] = token;
            System.arraycopy(args, 0, all, 1, args.length);
            invoke(codec, encodeName, all);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return frames;
    }

    record ArrayFrame(long[] f) implements FrameReader {
        @Override
        public long control() {
            return f[7];
        }

        @Override
        public long word(int index) {
            Objects.checkIndex(index, 7);
            return f[index];
        }
    }

    // ---- reflection ------------------------------------------------------------------------------------------

    private static final java.util.Map<Class<?>, Method[]> METHODS = new java.util.concurrent.ConcurrentHashMap<>();

    static Object invoke(Object target, String name, Object... args) {
        for (Method m : METHODS.computeIfAbsent(target.getClass(), Class::getMethods)) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length && fits(m, args)) {
                try {
                    m.setAccessible(true);
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new AssertionError(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no method " + name + "/" + args.length + " on " + target.getClass());
    }

    private static boolean fits(Method m, Object[] args) {
        Class<?>[] ps = m.getParameterTypes();
        for (int i = 0; i < ps.length; i++) {
            if (args[i] != null && !ps[i].isPrimitive() && !ps[i].isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    static Object invokeStatic(Class<?> c, String name, Object... args) {
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(null, args);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no method " + name);
    }

    // ---- random values from the model ------------------------------------------------------------------------

    /** Random arguments for {@code args}; {@code edge} biases towards extremes (maximum lengths, extreme values). */
    Object[] randomArgs(List<Argument> args, Random r) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = randomArg(args.get(i), r);
        }
        return out;
    }

    Object randomArg(Argument a, Random r) {
        if (a.shape() instanceof Argument.Shape.BoundedString s) {
            return randomString(r, (int) Math.min(s.maxBytes() - 1, 10_000));
        }
        if (a.shape() instanceof Argument.Shape.DynamicArray d) {
            int max = (int) Math.min(d.maxCount(), 10_000);
            int n = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> max;
                default -> r.nextInt(max + 1);
            };
            BuiltinType e = (BuiltinType) WireLayout.resolve(a.type());
            Class<?> c = switch (e.bits()) {
                case 1 -> boolean.class;
                case 8 -> byte.class;
                case 16 -> short.class;
                case 32 -> int.class;
                default -> long.class;
            };
            Object arr = Array.newInstance(c, n);
            for (int i = 0; i < n; i++) {
                Array.set(arr, i, random(e, r));
            }
            return arr;
        }
        return random(a.type(), r);
    }

    Object random(Type type, Random r) {
        Type t = WireLayout.resolve(type);
        if (t instanceof BuiltinType b) {
            long v = switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> Long.MIN_VALUE >>> r.nextInt(64);
                default -> r.nextLong();
            };
            return switch (b) {
                case BOOL -> r.nextBoolean();
                case UINT8, INT8, CHAR -> (byte) v;
                case UINT16, INT16 -> (short) v;
                case UINT32, INT32, INT, IREF -> (int) v;
                case CAP, GIVE_AWAY_CAP -> r.nextInt(5) == 0 ? null : new TestCap(r.nextInt());
                case STRING -> throw new IllegalStateException();
                default -> v;
            };
        }
        if (t instanceof EnumDef e) {
            Object[] cs = nested(JavaNames.upperCamel(e.typeName())).getEnumConstants();
            return cs[r.nextInt(cs.length)];
        }
        if (t instanceof StructDef s) {
            Class<?> c = nested(JavaNames.upperCamel(s.typeName()));
            RecordComponent[] rc = c.getRecordComponents();
            Object[] vals = new Object[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                vals[i] = random(s.fields().get(i).type(), r);
                types[i] = rc[i].getType();
            }
            return construct(c, types, vals);
        }
        ArrayDef a = (ArrayDef) t;
        Class<?> c = nested(JavaNames.upperCamel(a.typeName()));
        Class<?> arrType = c.getConstructors()[0].getParameterTypes()[0];
        Object arr = Array.newInstance(arrType.getComponentType(), a.length());
        for (int i = 0; i < a.length(); i++) {
            Array.set(arr, i, random(a.element(), r));
        }
        return construct(c, new Class<?>[] {arrType}, new Object[] {arr});
    }

    private static Object construct(Class<?> c, Class<?>[] types, Object[] vals) {
        try {
            return c.getConstructor(types).newInstance(vals);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A random valid string of at most {@code maxBytes} UTF-8 bytes, often exactly that many. */
    static String randomString(Random r, int maxBytes) {
        var sb = new StringBuilder();
        int bytes = 0;
        int target = r.nextInt(3) == 0 ? maxBytes : r.nextInt(maxBytes + 1);
        while (bytes < target) {
            int cp = switch (r.nextInt(6)) {
                case 0 -> 0x80 + r.nextInt(0x800 - 0x80);
                case 1 -> 0x800 + r.nextInt(0xD800 - 0x800);
                case 2 -> 0x10000 + r.nextInt(0x110000 - 0x10000);
                case 3 -> r.nextInt(0x80);
                default -> 0x20 + r.nextInt(0x5F);
            };
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > target) {
                cp = 'a';
                n = 1;
            }
            sb.appendCodePoint(cp);
            bytes += n;
        }
        return sb.toString();
    }

    /** Deep equality of argument lists (arrays by content, records and array classes by value). */
    static boolean sameArgs(Object[] a, Object[] b) {
        return Arrays.deepEquals(a, b);
    }
}
