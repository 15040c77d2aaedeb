package io.flotilla.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import static io.flotilla.codegen.JavaStubGenerator.*;

import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import io.flotilla.codegen.WireLayout.Piece;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every emitter of a generated artifact shares: the checked and named model of one interface, and the Java
 * types, parameter lists and javadoc fragments its messages turn into. One subclass per artifact (types, each stub
 * flavour, handler, codec, decoder), as Flounder keeps one backend per file.
 */
abstract class Emitter {

    final InterfaceModel model;
    final Interface iface;
    final ClassName holder;
    final ClassName stub;
    final ClassName handler;
    final ClassName codec;
    final ClassName decoder;
    final ClassName futureStub;
    final ClassName blockingStub;
    final Map<TypeDef, ClassName> typeClasses;
    final Map<StructDef, List<String>> fieldNames;
    final Map<EnumDef, List<String>> memberNames;
    final List<Msg> msgs;
    final List<Wire> wires;
    final long fingerprint;
    final String canonicalText;

    Emitter(InterfaceModel m) {
        this.model = m;
        this.iface = m.iface;
        this.holder = m.holder;
        this.stub = m.stub;
        this.handler = m.handler;
        this.codec = m.codec;
        this.decoder = m.decoder;
        this.futureStub = m.futureStub;
        this.blockingStub = m.blockingStub;
        this.typeClasses = m.typeClasses;
        this.fieldNames = m.fieldNames;
        this.memberNames = m.memberNames;
        this.msgs = m.msgs;
        this.wires = m.wires;
        this.fingerprint = m.fingerprint;
        this.canonicalText = m.canonicalText;
    }

    TypeName javaType(Type type) {
        Type t = WireLayout.resolve(type);
        if (t instanceof BuiltinType b) {
            return switch (b) {
                case UINT8, INT8, CHAR -> TypeName.BYTE;
                case UINT16, INT16 -> TypeName.SHORT;
                case UINT32, INT32, INT, IREF -> TypeName.INT;
                case UINT64, INT64, SIZE, UINTPTR, INTPTR, ERRVAL -> TypeName.LONG;
                case BOOL -> TypeName.BOOLEAN;
                case STRING -> STRING;
                case CAP, GIVE_AWAY_CAP -> CAPABILITY;
            };
        }
        return typeClasses.get((TypeDef) t);
    }

    TypeName argType(Argument a) {
        if (a.shape() instanceof Argument.Shape.BoundedString) {
            return STRING;
        }
        if (a.shape() instanceof Argument.Shape.DynamicArray) {
            return ArrayTypeName.of(javaType(a.type()));
        }
        return javaType(a.type());
    }

    boolean isReference(Argument a) {
        TypeName t = argType(a);
        return !t.isPrimitive() && !t.equals(CAPABILITY);
    }

    List<ParameterSpec> params(List<Argument> args, List<String> names) {
        var ps = new ArrayList<ParameterSpec>();
        for (int i = 0; i < args.size(); i++) {
            ps.add(ParameterSpec.builder(argType(args.get(i)), names.get(i)).build());
        }
        return ps;
    }

    String argList(List<String> names) {
        return String.join(", ", names);
    }

    /** A javadoc line per argument. */
    CodeBlock paramDocs(List<Argument> args, List<String> names) {
        var b = CodeBlock.builder();
        for (int i = 0; i < args.size(); i++) {
            b.add("@param $L $L\n", names.get(i), argDoc(args.get(i)));
        }
        return b.build();
    }

    String argDoc(Argument a) {
        String type = a.type().typeName();
        if (a.shape() instanceof Argument.Shape.BoundedString s) {
            return "{@code String " + a.name() + "[" + s.maxBytes() + "]}: at most " + (s.maxBytes() - 1)
                    + " UTF-8 bytes; not null";
        }
        if (a.shape() instanceof Argument.Shape.DynamicArray d) {
            return "{@code " + type + " " + a.name() + "[" + d.lengthName() + ", " + d.maxCount() + "]}: at most "
                    + d.maxCount() + " elements; not null";
        }
        Type t = WireLayout.resolve(a.type());
        String extra = "";
        if (t instanceof BuiltinType b && b.isCapability()) {
            extra = b == BuiltinType.GIVE_AWAY_CAP ? "; moved to the peer; may be null" : "; copied to the peer; "
                    + "may be null";
        } else if (t instanceof BuiltinType b && !b.isSigned() && b != BuiltinType.BOOL && b.bits() < 64
                && b != BuiltinType.CHAR) {
            extra = "; unsigned on the wire, carried in a Java " + javaType(b) + " of the same width";
        } else if (!(t instanceof BuiltinType)) {
            extra = "; not null";
        }
        return "{@code " + type + " " + a.name() + "}" + extra;
    }

    String prefixed(List<String> names) {
        var sb = new StringBuilder();
        for (String n : names) {
            sb.append(", ").append(n);
        }
        return sb.toString();
    }

    String messageDoc(Msg m) {
        String d = m.source.doc().isBlank() ? "" : "<p>" + doc(m.source.doc()) + "\n\n";
        return d + "<p>" + (m.isRpc() ? "rpc" : "message") + " {@code " + m.source.name() + "}, declared at "
                + where(m.source.pos()) + ".";
    }

    /**
     * A declaration's place for javadoc: the file's name without its directory, so that generated sources do
     * not depend on where the project was built (reproducible builds, stable diffs).
     */
    static String where(SourcePos pos) {
        String file = pos.file();
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return file.substring(slash + 1) + ":" + pos.line() + ":" + pos.column();
    }

    /** The {@code @throws} lines for a method taking {@code w}'s arguments: only what can happen. */
    String throwsDoc(Wire w, String suffix) {
        var sb = new StringBuilder();
        if (!w.layout.parts.isEmpty()) {
            sb.append("@throws IllegalArgumentException if a string or array is too long, or a string is not "
                    + "valid Unicode").append(suffix).append('\n');
        }
        if (w.args.stream().anyMatch(this::isReference)) {
            sb.append("@throws NullPointerException if a string, array or value argument is null")
                    .append(suffix).append('\n');
        }
        if (w.layout.hasCaps()) {
            sb.append("@throws io.flotilla.binding.BindingException if the binding cannot transfer a capability")
                    .append(suffix).append('\n');
        }
        return sb.toString();
    }

    String pieceName(Wire w, Piece p) {
        var sb = new StringBuilder(w.args.get(p.path().get(0)).name());
        Type t = w.args.get(p.path().get(0)).type();
        for (int i = 1; i < p.path().size(); i++) {
            Type r = WireLayout.resolve(t);
            int k = p.path().get(i);
            if (r instanceof StructDef s) {
                sb.append('.').append(s.fields().get(k).name());
                t = s.fields().get(k).type();
            } else if (r instanceof ArrayDef a) {
                sb.append('[').append(k).append(']');
                t = a.element();
            }
        }
        return sb.toString();
    }
}
