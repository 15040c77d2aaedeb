package io.flotilla.dsl.iface;

import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The semantic pass: turns parse trees that are free of syntax errors into the resolved {@link Interface}, or
 * reports why it cannot.
 */
final class InterfaceChecker {

    private final Diagnostics diagnostics;
    private final TypeScope scope = new TypeScope();

    InterfaceChecker(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** @return the model, if the whole pass found no error */
    Optional<Interface> check(List<ParsedFile> includes, ParsedFile main) {
        List<TypeDef> types = new ArrayList<>();
        for (ParsedFile include : includes) {
            types.addAll(includeTypes(include));
        }
        var file = (IfParser.InterfaceFileContext) main.tree();
        Positions positions = main.positions();
        var typeDecls = new ArrayList<IfParser.TypeDeclContext>();
        var messageDecls = new ArrayList<IfParser.MessageDeclContext>();
        for (IfParser.DeclarationContext d : file.declaration()) {
            if (d.typeDecl() != null) {
                if (!messageDecls.isEmpty()) {
                    diagnostics.error(positions.of(d.start), "type declarations must come before the first message");
                }
                typeDecls.add(d.typeDecl());
            } else {
                messageDecls.add(d.messageDecl());
            }
        }
        // Every type first, misplaced ones included, so that one misplaced declaration does not make each
        // message that uses it report an unknown type as well.
        var typeChecker = new TypeChecker(scope, main, diagnostics, false);
        types.addAll(typeChecker.declareAll(typeDecls));
        var docs = new DocComments(main.tokens());
        List<Message> messages = new MessageChecker(typeChecker.resolver(), docs).checkAll(messageDecls);

        String name = file.name.getText();
        SourcePos pos = positions.of(file.name.start);
        if (messageDecls.isEmpty()) {
            diagnostics.error(pos, "interface '" + name + "' declares no messages");
        }
        checkFileName(main.source().name(), name, pos);
        String description = file.description == null
                ? name
                : Literals.string(file.description, positions, diagnostics);
        if (diagnostics.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new Interface(name, description, docs.before(file.start), types, messages, pos));
    }

    private List<TypeDef> includeTypes(ParsedFile include) {
        var typeDecls = new ArrayList<IfParser.TypeDeclContext>();
        for (IfParser.DeclarationContext d : ((IfParser.IncludeFileContext) include.tree()).declaration()) {
            if (d.typeDecl() != null) {
                typeDecls.add(d.typeDecl());
            } else {
                diagnostics.error(include.positions().of(d.start), "an include file can only declare types");
            }
        }
        return new TypeChecker(scope, include, diagnostics, true).declareAll(typeDecls);
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
