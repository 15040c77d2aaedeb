package io.flotilla.codegen;

import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two versions of an interface and classifies each difference, as {@code flotilla compile
 * --breaking-against} and the Maven plugin's {@code check-compatibility} goal report it:
 *
 * <ul>
 *   <li><b>wire-breaking</b>: peers built from the two versions cannot talk — a wire message removed, renumbered
 *       (a message inserted or removed before it), turned from message to rpc or back, or with arguments whose
 *       canonical wire form changed (a type, a string's or array's maximum, an enum's member count);
 *   <li><b>source-breaking</b>: the wire is the same, but code written against the old generated Java no longer
 *       compiles — a type, struct field or enum member renamed, the interface renamed;
 *   <li><b>compatible</b>: a message added after every old one (old peers do not know it: do not send it to them).
 * </ul>
 *
 * The comparison is per wire message, on the canonical wire description the fingerprint is hashed from; the two
 * fingerprints are part of the report, since peers that compare them refuse each other after any change.
 */
public final class CompatibilityCheck {

    /** How bad a change is, from harmless to fatal. */
    public enum Level {
        COMPATIBLE("compatible"), SOURCE_BREAKING("source-breaking"), WIRE_BREAKING("wire-breaking");

        private final String label;

        Level(String label) {
            this.label = label;
        }

        /** @return the word the report uses */
        public String label() {
            return label;
        }
    }

    /** One difference: its level, where it is (in the new file, or the old one for a removal), and what it is. */
    public record Change(Level level, SourcePos pos, String message) {

        /** @return {@code file:line:col: level: message} */
        public String render() {
            return pos + ": " + level.label() + ": " + message;
        }
    }

    /** Every change found, and the two wire fingerprints. */
    public record Report(List<Change> changes, long oldFingerprint, long newFingerprint) {

        public Report {
            changes = List.copyOf(changes);
        }

        /** @return the worst level of any change; {@link Level#COMPATIBLE} if there is none */
        public Level worst() {
            Level w = Level.COMPATIBLE;
            for (Change c : changes) {
                if (c.level().compareTo(w) > 0) {
                    w = c.level();
                }
            }
            return w;
        }
    }

    private CompatibilityCheck() {}

    /**
     * Compares two checked interfaces.
     *
     * @param older the version peers and code were built against
     * @param newer the version that replaces it
     * @return the changes, in the order of the newer file
     * @throws IllegalArgumentException if either cannot be generated (check it with the generator first)
     */
    public static Report compare(Interface older, Interface newer) {
        InterfaceModel a = model(older);
        InterfaceModel b = model(newer);
        var changes = new ArrayList<Change>();
        if (!a.holder.simpleName().equals(b.holder.simpleName())) {
            changes.add(new Change(Level.SOURCE_BREAKING, newer.pos(), "interface renamed: class "
                    + a.holder.simpleName() + " is now " + b.holder.simpleName()));
        }
        compareWires(a, b, newer, changes);
        compareTypes(a, b, changes);
        return new Report(changes, a.fingerprint, b.fingerprint);
    }

    private static InterfaceModel model(Interface iface) {
        var m = new InterfaceModel(iface, "compat");
        m.check();
        if (!m.hasErrors()) {
            m.name();
            m.layout();
        }
        if (m.hasErrors()) {
            throw new IllegalArgumentException(iface.name() + " cannot be generated: " + m.diags);
        }
        return m;
    }

    private static void compareWires(InterfaceModel a, InterfaceModel b, Interface newer, List<Change> out) {
        Map<String, Wire> before = new HashMap<>();
        int lastOld = 0;
        for (Wire w : a.wires) {
            before.put(w.wireName, w);
            lastOld = Math.max(lastOld, w.number);
        }
        Map<String, Wire> after = new HashMap<>();
        for (Wire w : b.wires) {
            after.put(w.wireName, w);
        }
        for (Wire w : b.wires) {
            Wire old = before.get(w.wireName);
            SourcePos pos = w.msg.source.pos();
            if (old == null) {
                if (w.kind.equals("RPC_RESPONSE") && !before.containsKey(otherHalf(w))) {
                    continue; // a new rpc: its call half says so
                }
                if (w.number > lastOld) {
                    out.add(new Change(Level.COMPATIBLE, pos, "'" + w.wireName + "' added as message number "
                            + w.number + ", after every old one: peers built from the old file do not know it"));
                } else {
                    out.add(new Change(Level.WIRE_BREAKING, pos, "'" + w.wireName + "' added as message number "
                            + w.number + ", which old peers use for another message"));
                }
                continue;
            }
            if (!old.kind.equals(w.kind)) {
                out.add(new Change(Level.WIRE_BREAKING, pos, "'" + w.wireName + "' was " + kind(old) + ", is now "
                        + kind(w)));
            } else if (old.number != w.number) {
                out.add(new Change(Level.WIRE_BREAKING, pos, "'" + w.wireName + "' moved from message number "
                        + old.number + " to " + w.number + " (a message was added or removed before it)"));
            }
            String was = WireLayout.canonical(old.args);
            String is = WireLayout.canonical(w.args);
            if (!was.equals(is)) {
                out.add(new Change(Level.WIRE_BREAKING, pos, "arguments of '" + w.wireName + "' changed on the wire: "
                        + was + " -> " + is));
            } else if (!old.argNames.equals(w.argNames) && w.kind.equals("RPC_RESPONSE") && w.msg.result != null) {
                out.add(new Change(Level.SOURCE_BREAKING, pos, "out arguments of rpc '" + w.msg.source.name()
                        + "' renamed: " + old.argNames + " -> " + w.argNames + " (components of its result record)"));
            }
        }
        for (Wire w : a.wires) {
            if (!after.containsKey(w.wireName)) {
                // a removed message has no place in the new file: point at the new file's interface declaration
                out.add(new Change(Level.WIRE_BREAKING, newer.pos(),
                        "'" + w.wireName + "' (message number " + w.number + ") was removed"));
            }
        }
        for (Msg m : a.msgs) {
            for (Msg n : b.msgs) {
                if (m.source.name().equals(n.source.name()) && !m.javaName.equals(n.javaName)) {
                    out.add(new Change(Level.SOURCE_BREAKING, n.source.pos(), "Java name of '" + n.source.name()
                            + "' changed: " + m.javaName + " -> " + n.javaName));
                }
            }
        }
    }

    private static void compareTypes(InterfaceModel a, InterfaceModel b, List<Change> out) {
        Map<String, TypeDef> newTypes = new HashMap<>();
        for (TypeDef t : b.typeClasses.keySet()) {
            newTypes.put(t.typeName(), t);
        }
        for (var e : a.typeClasses.entrySet()) {
            TypeDef old = e.getKey();
            TypeDef neu = newTypes.get(old.typeName());
            if (neu == null) {
                // a type is only on the wire through messages, which the wire comparison covers
                out.add(new Change(Level.SOURCE_BREAKING, old.pos(), "type '" + old.typeName() + "' (class "
                        + e.getValue().simpleName() + ") was removed or renamed"));
                continue;
            }
            String was = e.getValue().simpleName();
            String is = b.typeClasses.get(neu).simpleName();
            if (!was.equals(is)) {
                out.add(new Change(Level.SOURCE_BREAKING, neu.pos(), "class of type '" + neu.typeName()
                        + "' renamed: " + was + " -> " + is));
            }
            if (old instanceof StructDef s && neu instanceof StructDef t
                    && !Objects.equals(a.fieldNames.get(s), b.fieldNames.get(t))) {
                out.add(new Change(Level.SOURCE_BREAKING, neu.pos(), "fields of struct '" + neu.typeName()
                        + "' renamed: " + a.fieldNames.get(s) + " -> " + b.fieldNames.get(t)));
            }
            if (old instanceof EnumDef s && neu instanceof EnumDef t) {
                List<String> was1 = a.memberNames.get(s);
                List<String> is1 = b.memberNames.get(t);
                int common = Math.min(was1.size(), is1.size());
                if (!was1.subList(0, common).equals(is1.subList(0, common)) || is1.size() < was1.size()) {
                    out.add(new Change(Level.SOURCE_BREAKING, neu.pos(), "members of enum '" + neu.typeName()
                            + "' renamed or removed: " + was1 + " -> " + is1));
                }
            }
        }
    }

    private static String otherHalf(Wire w) {
        String base = w.msg.source.name();
        return w.kind.equals("RPC_CALL") ? base + "_response" : base + "_call";
    }

    private static String kind(Wire w) {
        return switch (w.kind) {
            case "MESSAGE" -> "a message";
            case "RPC_CALL" -> "an rpc's call";
            default -> "an rpc's response";
        };
    }
}
