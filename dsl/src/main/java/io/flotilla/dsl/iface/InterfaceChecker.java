package io.flotilla.dsl.iface;

import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The semantic pass, fed one declaration at a time while the files are parsed (includes first, then the
 * interface), and finished once the interface is complete. Its findings count only if there was no syntax error;
 * {@link InterfaceLanguage} keeps them apart and stops feeding declarations at the first syntax error, since a
 * tree with errors may lack parts.
 */
final class InterfaceChecker {

    private final Diagnostics diagnostics;
    private final TypeScope scope = new TypeScope();
    private final List<TypeDef> types = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private boolean sawMessage;
    /** The interface's doc comment, taken at its first declaration, before the parser releases the header tokens. */
    private String interfaceDoc;

    InterfaceChecker(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The consumer of an include file's declarations, which must all be type declarations. */
    Consumer<IfParser.DeclarationContext> include(FileParser file) {
        var typeChecker = new TypeChecker(scope, file, diagnostics, true);
        return d -> {
            if (d.typeDecl() != null) {
                add(typeChecker.declare(d.typeDecl()));
            } else {
                diagnostics.error(file.positions().of(d.start), "an include file can only declare types");
            }
        };
    }

    /** The consumer of the interface file's declarations. */
    Consumer<IfParser.DeclarationContext> main(FileParser file) {
        var typeChecker = new TypeChecker(scope, file, diagnostics, false);
        var docs = new DocComments(file.tokens());
        var messageChecker = new MessageChecker(typeChecker.resolver(), docs);
        return d -> {
            if (interfaceDoc == null) {
                interfaceDoc = docs.before(((IfParser.InterfaceFileContext) d.getParent()).start);
            }
            if (d.typeDecl() != null) {
                if (sawMessage) {
                    diagnostics.error(file.positions().of(d.start),
                            "type declarations must come before the first message");
                }
                add(typeChecker.declare(d.typeDecl()));
            } else {
                sawMessage = true;
                Message m = messageChecker.check(d.messageDecl());
                if (m != null) {
                    messages.add(m);
                }
            }
        };
    }

    private void add(TypeDef def) {
        if (def != null) {
            types.add(def);
        }
    }

    /** Checks what only the whole interface can tell; returns the model if the pass found no error. */
    Optional<Interface> finish(FileParser file, IfParser.InterfaceFileContext tree) {
        Positions positions = file.positions();
        String name = tree.name.getText();
        SourcePos pos = positions.of(tree.name.start);
        if (!sawMessage) {
            diagnostics.error(pos, "interface '" + name + "' declares no messages");
        }
        checkFileName(file.source().name(), name, pos);
        String description = tree.description == null
                ? name
                : Literals.string(tree.description, positions, diagnostics);
        if (diagnostics.hasErrors()) {
            return Optional.empty();
        }
        String doc = interfaceDoc != null ? interfaceDoc : new DocComments(file.tokens()).before(tree.start);
        return Optional.of(new Interface(name, description, doc, types, messages, pos));
    }

    /** Flounder insists that interface {@code x} lives in {@code x.if}; we only warn. */
    private void checkFileName(String file, String name, SourcePos pos) {
        String base = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        if (base.endsWith(".if") && !base.equals(name + ".if")) {
            diagnostics.warning(pos, "interface '" + name + "' is declared in '" + base + "'; Flounder expects it in '"
                    + name + ".if'");
        }
    }
}
