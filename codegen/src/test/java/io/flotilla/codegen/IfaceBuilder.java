package io.flotilla.codegen;

import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.Annotation;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds checked interface models in tests, as the front end would, while the parser is written elsewhere. Every
 * declaration gets a distinct position ({@code name.if:line:1}, lines counting up) so tests can check where
 * warnings point.
 */
final class IfaceBuilder {

    private final String name;
    private String description;
    private String doc = "";
    private final List<TypeDef> types = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private int line = 1;

    private IfaceBuilder(String name) {
        this.name = name;
        this.description = name;
    }

    static IfaceBuilder iface(String name) {
        return new IfaceBuilder(name);
    }

    SourcePos nextPos() {
        return new SourcePos(name + ".if", ++line, 1);
    }

    IfaceBuilder description(String d) {
        this.description = d;
        return this;
    }

    IfaceBuilder doc(String d) {
        this.doc = d;
        return this;
    }

    /** Looks up a declared type by name, or a builtin. */
    Type type(String n) {
        for (TypeDef t : types) {
            if (t.typeName().equals(n)) {
                return t;
            }
        }
        return BuiltinType.byName(n).orElseThrow(() -> new IllegalArgumentException("no type " + n));
    }

    IfaceBuilder alias(String n, String target) {
        types.add(new AliasDef(n, type(target), false, nextPos(), "", false));
        return this;
    }

    /** fields: "type name" pairs, e.g. {@code struct("ext", "uint64 base", "color kind")}. */
    IfaceBuilder struct(String n, String... fields) {
        var fs = new ArrayList<StructDef.Field>();
        for (String f : fields) {
            String[] tn = f.trim().split("\\s+");
            fs.add(new StructDef.Field(tn[1], type(tn[0]), nextPos(), ""));
        }
        types.add(new StructDef(n, fs, nextPos(), "A struct called " + n + ".", false));
        return this;
    }

    IfaceBuilder enumeration(String n, String... members) {
        var ms = Arrays.stream(members).map(m -> new EnumDef.Member(m, nextPos())).toList();
        types.add(new EnumDef(n, ms, nextPos(), "", false));
        return this;
    }

    IfaceBuilder array(String n, String element, int length) {
        types.add(new ArrayDef(n, type(element), length, nextPos(), "", false));
        return this;
    }

    /**
     * A message. Arguments: {@code "uint32 a"}, {@code "String s[16]"} (bounded string), {@code "uint8 buf[len, 64]"}
     * (dynamic array); for an rpc prefix with {@code in } or {@code out }.
     */
    IfaceBuilder message(String n, String... args) {
        messages.add(new Message(Message.Kind.MESSAGE, n, parseArgs(args, false), List.<Annotation>of(), nextPos(),
                "Doc of " + n + "."));
        return this;
    }

    IfaceBuilder rpc(String n, String... args) {
        messages.add(new Message(Message.Kind.RPC, n, parseArgs(args, true), List.<Annotation>of(), nextPos(), ""));
        return this;
    }

    private List<Argument> parseArgs(String[] args, boolean rpc) {
        var out = new ArrayList<Argument>();
        for (String a : args) {
            String s = a.trim();
            Argument.Direction dir = Argument.Direction.NONE;
            if (rpc) {
                if (s.startsWith("in ")) {
                    dir = Argument.Direction.IN;
                    s = s.substring(3).trim();
                } else if (s.startsWith("out ")) {
                    dir = Argument.Direction.OUT;
                    s = s.substring(4).trim();
                } else {
                    throw new IllegalArgumentException("rpc argument needs in/out: " + a);
                }
            }
            int sp = s.indexOf(' ');
            String typeName = s.substring(0, sp);
            String rest = s.substring(sp + 1).trim();
            Argument.Shape shape = new Argument.Shape.Simple();
            String argName = rest;
            int br = rest.indexOf('[');
            if (br >= 0) {
                argName = rest.substring(0, br);
                String inside = rest.substring(br + 1, rest.length() - 1);
                if (typeName.equals("String")) {
                    shape = new Argument.Shape.BoundedString(Long.parseLong(inside.trim()));
                } else {
                    String[] lm = inside.split(",");
                    shape = new Argument.Shape.DynamicArray(lm[0].trim(), Long.parseLong(lm[1].trim()), nextPos());
                }
            }
            out.add(new Argument(dir, argName, type(typeName), shape, nextPos()));
        }
        return out;
    }

    Interface build() {
        return new Interface(name, description, doc, types, messages, new SourcePos(name + ".if", 1, 1));
    }
}
