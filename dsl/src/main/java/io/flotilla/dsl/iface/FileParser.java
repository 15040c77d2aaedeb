package io.flotilla.dsl.iface;

import io.flotilla.dsl.source.SourceFile;
import java.util.function.Consumer;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Parses one file, handing each declaration to a consumer as soon as it is parsed (see
 * {@link IfParser#onEachDeclaration}); syntax errors go to the given {@link Diagnostics}.
 *
 * <p>Once a declaration has been consumed, the tokens before it are released: together with the parser dropping
 * consumed declarations from its tree, this keeps memory flat on a 10 MB file. The tokens of the last declaration
 * are kept, since the next one's doc comment is found by looking back to where it ended.
 */
final class FileParser {

    private final Positions positions;
    private final ReleasingTokenStream tokens;
    private final IfParser parser;
    private final SyntaxErrorStrategy errors;
    private boolean lexerFailed;

    FileParser(SourceFile source, Diagnostics diagnostics) {
        this.positions = new Positions(source);
        this.errors = new SyntaxErrorStrategy(positions, diagnostics);
        var lexer = new IfLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg,
                    RecognitionException e) {
                lexerFailed = true;
                errors.inputEndsInComment();
                diagnostics.error(positions.at(line, column, -1), msg);
            }
        });
        this.tokens = new ReleasingTokenStream(lexer);
        this.parser = new IfParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(errors);
    }

    Positions positions() {
        return positions;
    }

    SourceFile source() {
        return positions.source();
    }

    CommonTokenStream tokens() {
        return tokens;
    }

    /** Whether everything parsed so far is free of syntax errors. */
    boolean clean() {
        return !lexerFailed && errors.errors() == 0;
    }

    /** Parses an interface file; warns about text after its end, which is ignored as Flounder ignores it. */
    IfParser.InterfaceFileContext parseInterface(Consumer<IfParser.DeclarationContext> each, Diagnostics diagnostics) {
        parser.onEachDeclaration(releasingAfter(each));
        IfParser.InterfaceFileContext tree = parser.interfaceFile();
        if (clean() && tokens.LA(1) != Token.EOF) {
            diagnostics.warning(positions.of(tokens.LT(1)), "text after the end of the interface is ignored");
        }
        return tree;
    }

    /** Parses an include file: type declarations only. */
    void parseInclude(Consumer<IfParser.DeclarationContext> each) {
        parser.onEachDeclaration(releasingAfter(each));
        parser.includeFile();
    }

    private Consumer<IfParser.DeclarationContext> releasingAfter(Consumer<IfParser.DeclarationContext> each) {
        return d -> {
            each.accept(d);
            tokens.releaseBefore(d.start.getTokenIndex());
        };
    }

    /** A token stream that can forget the tokens the parser is done with. */
    private static final class ReleasingTokenStream extends CommonTokenStream {

        private int released;

        ReleasingTokenStream(IfLexer lexer) {
            super(lexer);
        }

        /** Drops the tokens before {@code index}; nothing looks back past the declaration that starts there. */
        void releaseBefore(int index) {
            for (; released < index; released++) {
                tokens.set(released, null);
            }
        }
    }
}
