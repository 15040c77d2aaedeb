package io.flotilla.dsl.iface;

import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the type declarations of one file, in order, and adds them to the {@link TypeScope}.
 *
 * <p>A declaration with an error still takes its name (see {@link TypeScope#declareBroken}), so that its uses do
 * not each report a second, misleading "unknown type".
 */
final class TypeChecker {

    private final TypeScope scope;
    private final Resolver resolver;
    private final Positions positions;
    private final Diagnostics diagnostics;
    private final DocComments docs;
    private final boolean included;

    TypeChecker(TypeScope scope, FileParser file, Diagnostics diagnostics, boolean included) {
        this.scope = scope;
        this.resolver = new Resolver(scope, file.positions(), diagnostics);
        this.positions = file.positions();
        this.diagnostics = diagnostics;
        this.docs = new DocComments(file.tokens());
        this.included = included;
    }

    Resolver resolver() {
        return resolver;
    }

    /** Checks one declaration; returns the type it adds to the interface, or null if it adds none. */
    TypeDef declare(IfParser.TypeDeclContext decl) {
        IfParser.IdentContext name = nameOf(decl);
        resolver.declared(name.getText(), positions.of(name.start));
        int errorsBefore = diagnostics.errorCount();
        TypeDef def = build(decl, name.getText(), positions.of(name.start), docs.before(decl.start));
        if (def == null || diagnostics.errorCount() > errorsBefore) {
            takeName(name);
            return null;
        }
        return register(def) ? def : null;
    }

    private static IfParser.IdentContext nameOf(IfParser.TypeDeclContext decl) {
        if (decl instanceof IfParser.AliasDeclContext a) {
            return a.name;
        } else if (decl instanceof IfParser.StructDeclContext s) {
            return s.name;
        } else if (decl instanceof IfParser.EnumDeclContext e) {
            return e.name;
        }
        return ((IfParser.TypedefDeclContext) decl).name;
    }

    private TypeDef build(IfParser.TypeDeclContext decl, String name, SourcePos pos, String doc) {
        if (decl instanceof IfParser.AliasDeclContext a) {
            return alias(a, name, pos, doc);
        } else if (decl instanceof IfParser.StructDeclContext s) {
            return struct(s, name, pos, doc);
        } else if (decl instanceof IfParser.EnumDeclContext e) {
            return enumeration(e, name, pos, doc);
        }
        return typedef((IfParser.TypedefDeclContext) decl, name, pos, doc);
    }

    /** {@code alias NEW builtin;} */
    private TypeDef alias(IfParser.AliasDeclContext a, String name, SourcePos pos, String doc) {
        String target = a.target.getText();
        BuiltinType builtin = BuiltinType.byName(target).orElse(null);
        if (builtin == null) {
            diagnostics.error(positions.of(a.target.start), scope.declaredAt(target) != null
                    ? "the target of an alias must be a builtin type; for '" + target + "' write: typedef "
                            + target + " " + name + ";"
                    : "unknown builtin type '" + target + "'");
            return null;
        }
        if (builtin == BuiltinType.STRING) {
            diagnostics.error(positions.of(a.target.start), Resolver.STRING_ONLY_AS_ARGUMENT);
            return null;
        }
        return new AliasDef(name, builtin, false, pos, doc, included);
    }

    /** {@code typedef struct { T f; ... } name;} */
    private TypeDef struct(IfParser.StructDeclContext s, String name, SourcePos pos, String doc) {
        List<StructDef.Field> fields = new ArrayList<>();
        Map<String, SourcePos> seen = new HashMap<>();
        for (IfParser.FieldContext f : s.field()) {
            String fieldName = f.name.getText();
            SourcePos fieldPos = positions.of(f.name.start);
            SourcePos first = seen.putIfAbsent(fieldName, fieldPos);
            if (first != null) {
                diagnostics.error(fieldPos, "duplicate field '" + fieldName + "' in struct '" + name
                        + "' (first declared at " + first + ")");
            }
            if (f.bound() != null) {
                diagnostics.error(positions.of(f.bound().start), f.type.getText().equals("String")
                        ? Resolver.STRING_ONLY_AS_ARGUMENT
                        : "a struct field cannot have a bound; declare an array type with typedef T name[N]");
                continue;
            }
            Type type = resolver.resolve(f.type);
            if (type == BuiltinType.STRING) {
                diagnostics.error(positions.of(f.type.start), Resolver.STRING_ONLY_AS_ARGUMENT);
            } else if (type != null) {
                String fieldDoc = docs.trailing(f.SEMI().getSymbol());
                fields.add(new StructDef.Field(fieldName, type, fieldPos,
                        fieldDoc.isEmpty() ? docs.before(f.start) : fieldDoc));
            }
        }
        if (fields.size() != s.field().size()) {
            return null;
        }
        StructDef def = new StructDef(name, fields, pos, doc, included);
        long flat = scope.factsOf(def).flatFields();
        if (flat > Limits.MAX_FLAT_FIELDS) {
            diagnostics.error(pos, "struct '" + name + "' has " + flat + " fields once nested structs are expanded;"
                    + " at most " + Limits.MAX_FLAT_FIELDS + " are allowed");
        }
        return def;
    }

    /** {@code typedef enum { A, B } name;} */
    private TypeDef enumeration(IfParser.EnumDeclContext e, String name, SourcePos pos, String doc) {
        List<EnumDef.Member> members = new ArrayList<>();
        Map<String, SourcePos> seen = new HashMap<>();
        for (IfParser.EnumMemberContext m : e.enumMember()) {
            SourcePos memberPos = positions.of(m.start);
            SourcePos first = seen.putIfAbsent(m.getText(), memberPos);
            if (first != null) {
                diagnostics.error(memberPos, "duplicate member '" + m.getText() + "' in enum '" + name
                        + "' (first declared at " + first + ")");
            }
            members.add(new EnumDef.Member(m.getText(), memberPos));
        }
        return new EnumDef(name, members, pos, doc, included);
    }

    /** {@code typedef T name;} or the fixed array {@code typedef T name[N];} */
    private TypeDef typedef(IfParser.TypedefDeclContext t, String name, SourcePos pos, String doc) {
        IfParser.BoundContext bound = t.bound();
        if (bound != null && bound.lengthName != null) {
            diagnostics.error(positions.of(bound.start),
                    "a dynamic array can only be a message argument; a fixed array type is written typedef T name[N]");
            return null;
        }
        Type target = resolver.resolve(t.target);
        if (target == null) {
            return null;
        }
        if (target == BuiltinType.STRING) {
            diagnostics.error(positions.of(t.target.start), Resolver.STRING_ONLY_AS_ARGUMENT);
            return null;
        }
        if (bound == null) {
            return new AliasDef(name, target, true, pos, doc, included);
        }
        if (scope.facts(target).hasCapability()) {
            diagnostics.error(positions.of(t.target.start), "a fixed array cannot hold capabilities");
            return null;
        }
        long length = resolver.bound(bound, Limits.MAX_FIXED_ARRAY, "fixed array length");
        return length < 0 ? null : new ArrayDef(name, target, (int) length, pos, doc, included);
    }

    /**
     * Adds a checked type to the scope, unless its name is taken. Returns whether the interface gains it: a
     * declaration named like a builtin has no effect (the builtin wins, as in Flounder), and an include's alias
     * redeclared with the same meaning (intermon.if redeclares coreid) is kept once.
     */
    private boolean register(TypeDef def) {
        String name = def.typeName();
        if (TypeScope.isBuiltin(name)) {
            if (!included) {
                diagnostics.warning(def.pos(), "'" + name + "' is a builtin type; this declaration has no effect");
            }
            return false;
        }
        if (scope.factsOf(def).depth() > Limits.MAX_TYPE_DEPTH) {
            diagnostics.error(def.pos(), "type '" + name + "' is nested more than " + Limits.MAX_TYPE_DEPTH
                    + " levels deep");
            scope.declareBroken(name, def.pos());
            return false;
        }
        SourcePos first = scope.declaredAt(name);
        if (first == null) {
            scope.declare(def, scope.factsOf(def));
            return true;
        }
        TypeDef earlier = scope.declared(name);
        if (!first.file().equals(def.pos().file()) && earlier != null && sameAlias(earlier, def)) {
            return false;
        }
        diagnostics.error(def.pos(), "type '" + name + "' is already declared at " + first);
        return false;
    }

    /** A failed declaration still takes its name, unless the name is a builtin's or already taken. */
    private void takeName(IfParser.IdentContext name) {
        String text = name.getText();
        if (!TypeScope.isBuiltin(text) && scope.declaredAt(text) == null) {
            scope.declareBroken(text, positions.of(name.start));
        }
    }

    /** Both are aliases (either form) of the very same type. Identity, not equals: see {@link TypeScope}. */
    private static boolean sameAlias(TypeDef a, TypeDef b) {
        return a instanceof AliasDef x && b instanceof AliasDef y && x.resolved() == y.resolved();
    }
}
